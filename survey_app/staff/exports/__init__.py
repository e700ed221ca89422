"""Exports of microdata and publication tables: streamed, or made in the background."""
