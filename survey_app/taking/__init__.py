"""Taking a survey: anonymous, server-rendered, one page per section."""
