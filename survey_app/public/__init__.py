"""Pages anyone can see: the list of surveys, help, privacy, quick exit and the health check."""
