"""The exception hierarchy. Library code raises these; only the CLI and the web layer
decide how they look. Every message names the thing at fault and says what to do."""

from __future__ import annotations


class DiplographError(Exception):
    """Base class of every error diplograph raises on purpose."""

    status = 500


class ConfigError(DiplographError):
    """A bad setting or configuration file."""

    status = 400


class DataFileError(DiplographError):
    """A bad reference-data or claim-type file; lists every problem at once."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{path}: {len(problems)} problem(s):\n{lines}")


class SourceError(DiplographError):
    """A document that cannot be read, decoded or dated."""

    status = 422

    def __init__(self, source: str, problem: str, *, line: int | None = None, hint: str = ""):
        self.source = source
        self.problem = problem
        self.line = line
        self.hint = hint
        where = f"{source}:{line}" if line is not None else source
        msg = f"{where}: {problem}"
        if hint:
            msg += f" ({hint})"
        super().__init__(msg)


class StoreError(DiplographError):
    """The store cannot be opened or used (e.g. its schema is newer than this release)."""


class StoreLocked(StoreError):
    """Another process holds the store open (DuckDB: one process at a time). The message
    names it; ``server`` is its server record when it is ``diplograph serve``."""

    status = 503

    def __init__(self, message: str, *, path: str, pid: int | None, server: dict | None = None):
        self.path = path
        self.pid = pid
        self.server = server
        super().__init__(message)


class NotFound(DiplographError):
    """Something asked for by id or name does not exist."""

    status = 404


class UnknownActor(NotFound):
    """An actor name or id that the reference knowledge does not know."""

    def __init__(self, query: str, suggestions: list[str] | None = None):
        self.query = query
        self.suggestions = suggestions or []
        msg = f"Unknown actor {query!r}."
        if self.suggestions:
            msg += " Did you mean: " + ", ".join(self.suggestions) + "?"
        msg += " Try `diplograph actors QUERY` to search names, codes and aliases."
        super().__init__(msg)


class DocumentNotFound(NotFound):
    """No stored document has this id (or id prefix)."""

    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        super().__init__(
            f"No document {doc_id!r} in the store. `diplograph docs` lists stored documents."
        )


class FactNotFound(NotFound):
    """No fact has this id (or id prefix)."""

    def __init__(self, fact_id: str):
        self.fact_id = fact_id
        super().__init__(f"No fact {fact_id!r}. `diplograph facts` lists facts with their ids.")


class InvalidQuery(DiplographError):
    """A bad query parameter: bad date, reversed range, unknown filter value."""

    status = 400
