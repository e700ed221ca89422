"""Questionnaires in the database: syncing files to versions, and finding what is open."""
