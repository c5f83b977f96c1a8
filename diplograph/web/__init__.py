"""The REST API and the web page (``diplograph serve``): a FastAPI app over ``Graph``."""

from .app import create_app

__all__ = ["create_app"]
