"""Helpers the routers share: query-parameter parsing and dataclass → JSON."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from typing import Any

from ...errors import InvalidQuery
from ...models import PartialDate
from ...queries import _jsonable


class BadParameter(InvalidQuery):
    """A query parameter that cannot be used; carries the parameter's name."""

    def __init__(self, parameter: str, message: str):
        self.parameter = parameter
        super().__init__(f"Bad parameter {parameter!r}: {message}")


def date_param(value: str | None, name: str) -> str | None:
    """Check a YYYY[-MM[-DD]] query date here, so the error names the web parameter."""
    if value is None or value == "":
        return None
    try:
        PartialDate.parse(value)
    except ValueError as e:
        raise BadParameter(name, str(e).rstrip(".") + ".") from e
    return value


def choice_param(value: str | None, name: str, allowed: tuple[str, ...] | list[str]) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        raise BadParameter(name, f"{value!r} is not one of: {', '.join(allowed)}.")
    return value


def to_json(obj: Any) -> Any:
    """A dataclass (or list of them) as plain JSON values (dates as ISO strings)."""
    if isinstance(obj, list):
        return [to_json(o) for o in obj]
    if is_dataclass(obj) and not isinstance(obj, type):
        return _jsonable(asdict(obj))
    return _jsonable(obj)


def window(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    """A page of a list computed whole (an actor's relations, conflicts)."""
    return {"total": len(items), "limit": limit, "offset": offset,
            "more": offset + limit < len(items), "items": to_json(items[offset:offset + limit])}


def store_page(rows: list[Any], limit: int, offset: int) -> dict[str, Any]:
    """A page fetched from the store with ``limit + 1`` rows: the extra one says there is more."""
    return {"total": None, "limit": limit, "offset": offset, "more": len(rows) > limit,
            "items": to_json(rows[:limit])}
