"""diplograph's own values as JSON, and back: what the CLI and a running ``diplograph
serve`` exchange when the CLI asks the server (``diplograph.remote``).

Dataclasses and errors are rebuilt only if they are diplograph's own (a class of a
``diplograph.*`` module that is a dataclass, or a DiplographError): decoding never calls
anything else, so a message can carry data, never code. Dates, times, paths, tuples, sets
and counters keep their type.

    >>> decode(json.loads(json.dumps(encode(PartialDate("2024-05", "month")))))
    PartialDate(value='2024-05', precision='month', text=None)
"""

from __future__ import annotations

import dataclasses
import importlib
import json  # noqa: F401  (the doctest)
import numbers
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .errors import DiplographError
from .models import PartialDate  # noqa: F401  (the doctest)


class WireError(DiplographError):
    """A message that does not decode to diplograph's own values."""

    status = 400


def encode(value: Any) -> Any:
    """A JSON-able form of ``value``."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Path):
        return {"$path": str(value)}
    if isinstance(value, DiplographError):
        return {"$error": _name(type(value)), "message": str(value),
                "attrs": {k: encode(v) for k, v in vars(value).items()}}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"$dc": _name(type(value)),
                "fields": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, Counter):
        return {"$counter": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"$set": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    raise TypeError(f"diplograph.wire cannot send a {type(value).__module__}.{type(value).__qualname__}")


def decode(data: Any) -> Any:
    """The value ``encode`` gave ``data`` for. Raises WireError on anything else."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if not any(k.startswith("$") for k in data):
        return {k: decode(v) for k, v in data.items()}
    try:
        if "$datetime" in data:
            return datetime.fromisoformat(data["$datetime"])
        if "$date" in data:
            return date.fromisoformat(data["$date"])
        if "$path" in data:
            return Path(data["$path"])
        if "$tuple" in data:
            return tuple(decode(v) for v in data["$tuple"])
        if "$set" in data:
            return {decode(v) for v in data["$set"]}
        if "$dict" in data:
            return {_hashable(decode(k)): decode(v) for k, v in data["$dict"]}
        if "$counter" in data:
            return Counter({_hashable(decode(k)): decode(v) for k, v in data["$counter"]})
        if "$dc" in data:
            cls = _class(data["$dc"])
            if not dataclasses.is_dataclass(cls):
                raise WireError(f"{data['$dc']} is not a diplograph dataclass")
            obj = object.__new__(cls)
            names = {f.name for f in dataclasses.fields(cls)}
            for k, v in data["fields"].items():
                if k not in names:
                    raise WireError(f"{data['$dc']} has no field {k!r}")
                object.__setattr__(obj, k, decode(v))  # frozen and slotted dataclasses too
            return obj
        if "$error" in data:
            cls = _class(data["$error"])
            if not issubclass(cls, DiplographError):
                raise WireError(f"{data['$error']} is not a diplograph error")
            err = cls.__new__(cls)
            Exception.__init__(err, str(data["message"]))
            for k, v in data.get("attrs", {}).items():
                setattr(err, k, decode(v))
            return err
    except (TypeError, ValueError, KeyError, AttributeError) as e:
        raise WireError(f"a malformed value in the message: {e}") from e
    raise WireError(f"an unknown kind of value in the message: {sorted(data)[0]}")


def _name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _class(name: Any) -> type:
    module, _, qualname = str(name).partition(":")
    if not (module == "diplograph" or module.startswith("diplograph.")) or not qualname.isidentifier():
        raise WireError(f"{name} is not one of diplograph's classes")
    try:
        cls = getattr(importlib.import_module(module), qualname)
    except (ImportError, AttributeError) as e:
        raise WireError(f"{name} is not one of diplograph's classes") from e
    if not isinstance(cls, type):
        raise WireError(f"{name} is not a class")
    return cls


def _hashable(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v
