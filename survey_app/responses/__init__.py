"""Responses in the database: storing one in a transaction, and reading them back."""
