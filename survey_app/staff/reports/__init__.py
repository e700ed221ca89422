"""The SNA community-insights section, made for a wave from the staff area."""
