"""One small function per claim type, a module per family of types: given a trigger's
Frame, who did what to whom.

Dates, modality, attribution and evidence are filled in by the pipeline from the frame;
each function only yields ``Parties`` (subject, object, or a list for 3+ parties) with a
confidence adjustment and an optional subtype. The data file of the same name declares
triggers, codes and examples (diplograph/data/claims/<type>.yaml)."""

from __future__ import annotations

from . import agreements, force, meetings, membership, other, quantity, relations  # noqa: F401  (they register)
from .common import Parties, paragraph_gap

__all__ = ["Parties", "paragraph_gap"]
