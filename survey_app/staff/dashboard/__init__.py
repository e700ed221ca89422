"""The dashboard: figures counted in the database and the tables a view shows."""
