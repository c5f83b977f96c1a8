"""Mentions in text: actors, dates and quantities, each with character spans."""
