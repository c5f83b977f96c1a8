"""diplograph: dated, sourced claims about interstate relations, as a temporal knowledge graph."""

from .api import Graph, IngestReport
from .errors import DiplographError
from .models import ActorRef, Claim, Document, Mention, PartialDate

__version__ = "0.1.0"

__all__ = [
    "Graph", "IngestReport", "DiplographError",
    "ActorRef", "Claim", "Document", "Mention", "PartialDate", "__version__",
]
