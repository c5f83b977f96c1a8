"""Mentions: actors, dates and quantities found in a document text (pure functions)."""
