"""Facts: claims about the same real-world event, merged across documents, with their
support and the contradictions between them. Pure functions over Claims; no store."""

from .merge import Conflict, Fact, fact_key, find_conflicts, merge_facts

__all__ = ["Fact", "Conflict", "merge_facts", "find_conflicts", "fact_key"]
