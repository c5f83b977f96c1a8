"""Containment: an exception inside one sentence, frame or document-level step of the
extractor is caught, reported (document, character offsets, stage, error) on the
``diplograph.extract`` logger and to the caller's list, and the rest of the document is
extracted. No text makes ``extract_claims`` raise."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

log = logging.getLogger("diplograph.extract")
T = TypeVar("T")


@dataclass(frozen=True)
class ExtractionError:
    """One contained failure: where in which document, in which stage, and what."""

    doc: str
    start: int
    end: int
    stage: str
    error: str
    where: str  # the innermost frame of the traceback, file:line in function

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def __str__(self) -> str:
        return (f"{self.doc}: extractor error in {self.stage} at characters {self.start}-{self.end} "
                f"({self.error}; {self.where}); the rest of the document was extracted")


class Containment:
    """Runs steps of one document's extraction, each guarded; collects what failed."""

    def __init__(self, doc: str, sink: list[ExtractionError] | None = None) -> None:
        self.doc = doc
        self.errors: list[ExtractionError] = sink if sink is not None else []
        self.offset = 0  # where the text being read starts in the document (a window of it)

    def run(self, stage: str, span: tuple[int, int], fn: Callable[..., T], *args: Any,
            default: T, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except Exception as e:  # noqa: BLE001 - the point of this class
            self.report(stage, span, e)
            return default

    def report(self, stage: str, span: tuple[int, int], e: BaseException) -> None:
        tb = traceback.extract_tb(e.__traceback__)
        last = tb[-1] if tb else None
        where = f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno} in {last.name}" if last else "?"
        err = ExtractionError(self.doc, span[0] + self.offset, span[1] + self.offset, stage,
                              f"{type(e).__name__}: {e}", where)
        self.errors.append(err)
        log.warning("%s", err)
