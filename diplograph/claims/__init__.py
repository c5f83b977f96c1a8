"""Claims: typed, dated, modality-aware, sourced statements extracted from a document.

``extract_claims(text, doc=..., published=...)`` is the stage function (``extract_many`` the
same for several documents); claim types are
declared in diplograph/data/claims/<type>.yaml and implemented in claims/types/ (a module per family of types)."""

from .pipeline import extract_claims, extract_many
from .registry import ClaimType, claim_types, extractor, extractors

__all__ = ["extract_claims", "extract_many", "claim_types", "extractor", "extractors", "ClaimType"]
