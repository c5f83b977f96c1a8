"""One router per concern; ``app.py`` includes them all under /api (pages at /)."""
