"""TEMPORARY stand-in date finder for developing claims; replaced by the dates work."""
from __future__ import annotations
import re
from dataclasses import dataclass
from ..models import PartialDate

_M = "January February March April May June July August September October November December".split()
_MI = {m.lower(): i + 1 for i, m in enumerate(_M)}
_RX = re.compile(r"\b(?:(?P<d1>\d{1,2}) (?P<m1>" + "|".join(_M) + r") (?P<y1>\d{4})|(?P<m2>" + "|".join(_M) + r")(?: (?P<d2>\d{1,2}),?)?(?: (?:of )?(?P<y2>\d{4}))?|(?<![$\d,.])(?P<y3>(?:19|20)\d{2})(?![\d,%-]))\b")


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    value: PartialDate | None
    relative: bool = False
    vague: bool = False
    future: bool = False
    inherited: bool = False


def find_dates(text: str, *, published: PartialDate | None) -> list[DateMention]:
    out = []
    year = None
    for m in _RX.finditer(text):
        g = m.groupdict()
        if g["y3"]:
            year = g["y3"]
            out.append(DateMention(m.start(), m.end(), m.group(0), PartialDate(year, "year", m.group(0))))
            continue
        mon = _MI[(g["m1"] or g["m2"]).lower()]
        y = g["y1"] or g["y2"]
        inh = False
        if not y:
            y = year or (published.value[:4] if published else None)
            inh = True
        if not y:
            continue
        year = y
        d = g["d1"] or g["d2"]
        if d:
            v = PartialDate(f"{y}-{mon:02d}-{int(d):02d}", "day", m.group(0))
        else:
            v = PartialDate(f"{y}-{mon:02d}", "month", m.group(0))
        out.append(DateMention(m.start(), m.end(), m.group(0), v, inherited=inh))
    return out
