"""Mentions: actors (actors.py, knowledge.py), dates and quantities found in a document's text."""
