"""TEMPORARY stand-in resolver for developing claims; replaced by the actors work."""
from __future__ import annotations
import re
from ..models import ActorRef, Mention, PartialDate

_T = {
 "UZB": ("Uzbekistan", "state", ["Uzbekistan", "Uzbek", "Tashkent", "Mirziyoyev", "Karimov"]),
 "KAZ": ("Kazakhstan", "state", ["Kazakhstan", "Kazakh", "Astana", "Tokayev", "Nazarbayev"]),
 "TJK": ("Tajikistan", "state", ["Tajikistan", "Tajik", "Dushanbe"]),
 "KGZ": ("Kyrgyzstan", "state", ["Kyrgyzstan", "Kyrgyz", "Bishkek"]),
 "TKM": ("Turkmenistan", "state", ["Turkmenistan", "Turkmen", "Ashgabat"]),
 "AZE": ("Azerbaijan", "state", ["Azerbaijan", "Azerbaijani", "Baku", "Aliyev"]),
 "TUR": ("Turkey", "state", ["Turkey", "Türkiye", "Turkish", "Ankara"]),
 "RUS": ("Russia", "state", ["Russian Federation", "Russia", "Russian", "Moscow", "Kremlin"]),
 "ISR": ("Israel", "state", ["Israel", "Israeli", "Jerusalem", "Tel Aviv", "Jewish state", "Netanyahu", "Peres"]),
 "IRN": ("Iran", "state", ["Iran", "Iranian", "Tehran", "Islamic Republic"]),
 "CHN": ("China", "state", ["China", "Chinese", "Beijing"]),
 "USA": ("United States", "state", ["United States", "US", "U.S.", "American", "Washington", "Trump", "White House"]),
 "UKR": ("Ukraine", "state", ["Ukraine", "Ukrainian", "Kyiv"]),
 "ARM": ("Armenia", "state", ["Armenia", "Armenian", "Yerevan"]),
 "OTS": ("Organization of Turkic States", "organisation", ["Organization of Turkic States", "OTS", "Turkic Council"]),
 "ABRAHAM_ACCORDS": ("Abraham Accords", "accord", ["Abraham Accords"]),
 "CSTO": ("Collective Security Treaty Organization", "organisation", ["CSTO"]),
 "NATO": ("NATO", "organisation", ["NATO"]),
 "EU": ("European Union", "organisation", ["European Union", "EU"]),
 "CHABAHAR": ("Chabahar Agreement", "accord", ["Chabahar Agreement"]),
}
_ALIAS = {a: k for k, (_, _, al) in _T.items() for a in al}
_RX = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _ALIAS), key=len, reverse=True)) + r")(?![\w])")
_COREF = re.compile(r"\b(the country|it|the two countries|both countries|the two states)\b", re.I)


def find_mentions(text: str, *, published: PartialDate | None = None) -> list[Mention]:
    out = []
    for m in _RX.finditer(text):
        k = _ALIAS[m.group(1)]
        name, kind, _ = _T[k]
        via = "name" if m.group(1) == name else "alias"
        out.append(Mention(m.start(), m.end(), m.group(1), ActorRef(k, name, kind), 0.9, via))
    return out
