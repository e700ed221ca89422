"""Documents built from the database for people outside the app: the SNA "Community Insights" report."""
