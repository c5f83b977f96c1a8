"""Compile compact gold specs into gold JSON Lines (the claim contract plus `optional` and
`modality_alt`).

A spec has one claim a line, fields separated by `|`:

    type | subject | object | date | modality | needle [| key=value ...]

- subject/object: actor ids (see ACTORS); `-` for none; `A+B+C` in the subject gives a
  `parties` list (three or more), sorted, with subject and object its first two.
- date: `-` (null), `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `start/end`.
- modality: `asserted`, or `speculative/negated` for a modality with an accepted alternative.
- needle: text that occurs once in the document (`needle#2` picks the 2nd occurrence), or
  `@START-END`, character offsets of a span (for documents written by others, whose text
  must not be copied here); the evidence is the sentence around it.
- options: `opt` (optional claim), `sub=...` (subtype), `attr=...` (attributed_to),
  `q=VALUE:UNIT:METRIC` (quantity).

Usage: python eval/build_gold.py SPEC DOCUMENT OUT.jsonl [--offsets-only]
       python eval/build_gold.py --all [SEEDS_DIR]     (rebuild every gold file from eval/specs)
`--offsets-only` leaves the evidence text out (for documents written by others)."""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

ACTORS: dict[str, tuple[str, str]] = {
    # states
    "AFG": ("Afghanistan", "state"), "ARE": ("United Arab Emirates", "state"),
    "ARG": ("Argentina", "state"), "ARM": ("Armenia", "state"), "AUS": ("Australia", "state"),
    "AZE": ("Azerbaijan", "state"), "BHR": ("Bahrain", "state"), "BRA": ("Brazil", "state"),
    "BLR": ("Belarus", "state"), "CAN": ("Canada", "state"), "CHL": ("Chile", "state"),
    "CHN": ("China", "state"), "COL": ("Colombia", "state"), "DEU": ("Germany", "state"),
    "EGY": ("Egypt", "state"), "ESP": ("Spain", "state"), "ETH": ("Ethiopia", "state"),
    "FIN": ("Finland", "state"), "FRA": ("France", "state"), "GBR": ("United Kingdom", "state"),
    "GEO": ("Georgia", "state"), "GHA": ("Ghana", "state"), "IDN": ("Indonesia", "state"),
    "IND": ("India", "state"), "IRN": ("Iran", "state"), "IRQ": ("Iraq", "state"),
    "ISR": ("Israel", "state"), "ITA": ("Italy", "state"), "JPN": ("Japan", "state"),
    "KAZ": ("Kazakhstan", "state"), "KEN": ("Kenya", "state"), "KGZ": ("Kyrgyzstan", "state"),
    "KOR": ("South Korea", "state"), "LVA": ("Latvia", "state"), "MAR": ("Morocco", "state"),
    "MEX": ("Mexico", "state"), "MLI": ("Mali", "state"), "MNG": ("Mongolia", "state"),
    "MYS": ("Malaysia", "state"), "NER": ("Niger", "state"), "NGA": ("Nigeria", "state"),
    "PAK": ("Pakistan", "state"), "PER": ("Peru", "state"), "PHL": ("Philippines", "state"),
    "POL": ("Poland", "state"), "PRK": ("North Korea", "state"), "PSE": ("Palestine", "state"),
    "QAT": ("Qatar", "state"), "RUS": ("Russia", "state"), "SAU": ("Saudi Arabia", "state"),
    "SDN": ("Sudan", "state"), "SGP": ("Singapore", "state"), "SWE": ("Sweden", "state"),
    "SYR": ("Syria", "state"), "THA": ("Thailand", "state"), "TJK": ("Tajikistan", "state"),
    "TKM": ("Turkmenistan", "state"), "TLS": ("Timor-Leste", "state"), "TUR": ("Turkey", "state"),
    "UKR": ("Ukraine", "state"), "USA": ("United States", "state"), "UZB": ("Uzbekistan", "state"),
    "VEN": ("Venezuela", "state"), "VNM": ("Vietnam", "state"), "BFA": ("Burkina Faso", "state"),
    "ZAF": ("South Africa", "state"), "SRB": ("Serbia", "state"), "HUN": ("Hungary", "state"),
    "NOR": ("Norway", "state"), "OMN": ("Oman", "state"), "KWT": ("Kuwait", "state"),
    "JOR": ("Jordan", "state"), "URY": ("Uruguay", "state"), "PRY": ("Paraguay", "state"),
    "BOL": ("Bolivia", "state"), "SEN": ("Senegal", "state"), "RWA": ("Rwanda", "state"),
    "COD": ("Democratic Republic of the Congo", "state"), "SOM": ("Somalia", "state"),
    "DJI": ("Djibouti", "state"), "LKA": ("Sri Lanka", "state"), "BGD": ("Bangladesh", "state"),
    "NZL": ("New Zealand", "state"), "MMR": ("Myanmar", "state"), "KHM": ("Cambodia", "state"),
    "GRC": ("Greece", "state"), "CYP": ("Cyprus", "state"), "ROU": ("Romania", "state"),
    "MDA": ("Moldova", "state"), "EST": ("Estonia", "state"), "LTU": ("Lithuania", "state"),
    "ECU": ("Ecuador", "state"), "PAN": ("Panama", "state"), "CUB": ("Cuba", "state"),
    "NIC": ("Nicaragua", "state"), "DZA": ("Algeria", "state"), "TUN": ("Tunisia", "state"),
    "LBY": ("Libya", "state"), "TCD": ("Chad", "state"), "AGO": ("Angola", "state"),
    "TGO": ("Togo", "state"), "ERI": ("Eritrea", "state"), "CRI": ("Costa Rica", "state"), "GIN": ("Guinea", "state"), "GAB": ("Gabon", "state"), "LAO": ("Laos", "state"), "BRN": ("Brunei", "state"), "AUT": ("Austria", "state"), "PNG": ("Papua New Guinea", "state"),
    "TZA": ("Tanzania", "state"), "UGA": ("Uganda", "state"), "MOZ": ("Mozambique", "state"),
    "DNK": ("Denmark", "state"), "TWN": ("Taiwan", "state"), "HND": ("Honduras", "state"),
    "GTM": ("Guatemala", "state"), "SLB": ("Solomon Islands", "state"), "TUV": ("Tuvalu", "state"),
    "NRU": ("Nauru", "state"), "VUT": ("Vanuatu", "state"), "FJI": ("Fiji", "state"),
    "CIV": ("Côte d'Ivoire", "state"), "MNE": ("Montenegro", "state"),
    "BIH": ("Bosnia and Herzegovina", "state"), "XKX": ("Kosovo", "state"), "ALB": ("Albania", "state"),
    "MKD": ("North Macedonia", "state"), "BEN": ("Benin", "state"), "BDI": ("Burundi", "state"),
    "SSD": ("South Sudan", "state"), "CHE": ("Switzerland", "state"), "NLD": ("Netherlands", "state"),
    "BLZ": ("Belize", "state"), "SLV": ("El Salvador", "state"), "DOM": ("Dominican Republic", "state"),
    "HTI": ("Haiti", "state"), "MHL": ("Marshall Islands", "state"), "PLW": ("Palau", "state"),
    "KIR": ("Kiribati", "state"), "TON": ("Tonga", "state"), "WSM": ("Samoa", "state"),
    "ISL": ("Iceland", "state"), "MDV": ("Maldives", "state"), "NPL": ("Nepal", "state"),
    "BTN": ("Bhutan", "state"), "MLT": ("Malta", "state"), "CMR": ("Cameroon", "state"),
    "CAF": ("Central African Republic", "state"), "COG": ("Republic of the Congo", "state"),
    "BRB": ("Barbados", "state"), "JAM": ("Jamaica", "state"), "MUS": ("Mauritius", "state"), "LBN": ("Lebanon", "state"),
    "BWA": ("Botswana", "state"), "MWI": ("Malawi", "state"), "ZWE": ("Zimbabwe", "state"),
    "ZMB": ("Zambia", "state"), "MDG": ("Madagascar", "state"), "NAM": ("Namibia", "state"),
    # organisations
    "OTS": ("Organization of Turkic States", "organisation"),
    "CSTO": ("Collective Security Treaty Organization", "organisation"),
    "NATO": ("North Atlantic Treaty Organization", "organisation"),
    "EU": ("European Union", "organisation"), "UN": ("United Nations", "organisation"),
    "OIC": ("Organisation of Islamic Cooperation", "organisation"),
    "ASEAN": ("Association of Southeast Asian Nations", "organisation"),
    "AU": ("African Union", "organisation"),
    "ECOWAS": ("Economic Community of West African States", "organisation"),
    "AES": ("Alliance of Sahel States", "organisation"),
    "GCC": ("Gulf Cooperation Council", "organisation"),
    "SCO": ("Shanghai Cooperation Organisation", "organisation"),
    "BRICS": ("BRICS", "organisation"), "MERCOSUR": ("Mercosur", "organisation"),
    "EAEU": ("Eurasian Economic Union", "organisation"),
    "WTO": ("World Trade Organization", "organisation"),
    "CIS": ("Commonwealth of Independent States", "organisation"),
    "PACIFIC_ALLIANCE": ("Pacific Alliance", "organisation"),
    "CELAC": ("Community of Latin American and Caribbean States", "organisation"),
    "EAC": ("East African Community", "organisation"),
    "ARAB_LEAGUE": ("League of Arab States", "organisation"),
    "QUAD": ("Quadrilateral Security Dialogue", "organisation"),
    "OAS": ("Organization of American States", "organisation"),
    "SADC": ("Southern African Development Community", "organisation"),
    "IGAD": ("Intergovernmental Authority on Development", "organisation"),
    # accords
    "ABRAHAM_ACCORDS": ("Abraham Accords", "accord"),
    "CHABAHAR": ("Chabahar Agreement", "accord"),
    "PFP": ("Partnership for Peace", "accord"),
    "BRI": ("Belt and Road Initiative", "accord"),
    "CPTPP": ("Comprehensive and Progressive Agreement for Trans-Pacific Partnership", "accord"),
    # groups
    "CENTRAL_ASIA": ("Central Asia", "group"), "AFRICA": ("Africa", "group"),
}

HERE = Path(__file__).resolve().parent

FIELDS = ("type", "subject", "object", "date", "modality", "needle")
_END = re.compile(r"""[.!?]["”’)]*(?=\s|$)|\n""")
# Words after which a full stop does not end a sentence.
_ABBREV = {"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
           "Mr", "Mrs", "Ms", "Dr", "St", "No", "Gen", "Col", "Lt", "Sgt", "Gov", "Sen", "Rep",
           "Prof", "vs", "km", "approx", "Jr", "Sr"}


def _known_actors() -> dict[str, tuple[str, str]]:
    """ACTORS, then every id of the reference data (states, organisations and accords,
    groups), then the batch files eval/specs/actors/*.csv (id,name,kind) that list actors
    the reference data does not know yet."""
    known = dict(ACTORS)
    ref = HERE.parent / "diplograph" / "data" / "actors"
    with (ref / "states.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            known.setdefault(row["id"], (row["name"], "state"))
    with (ref / "organisations.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            known.setdefault(row["id"], (row["name"], row["kind"]))
    with (ref / "groups.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            known.setdefault(row["id"], (row["name"], "group"))
    for extra in sorted((HERE / "specs" / "actors").glob("*.csv")):
        with extra.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                known.setdefault(row["id"], (row["name"], row["kind"]))
    return known


_KNOWN: dict[str, tuple[str, str]] = {}


def actor(aid: str) -> dict | None:
    if aid in ("-", ""):
        return None
    if not _KNOWN:
        _KNOWN.update(_known_actors())
    if aid not in _KNOWN:
        raise SystemExit(f"unknown actor id {aid!r}: use an id of diplograph/data/actors/*.csv, "
                         "or list it in a file eval/specs/actors/<batch>.csv (id,name,kind)")
    name, kind = _KNOWN[aid]
    return {"id": aid, "name": name, "kind": kind}


def _ends(text: str, lo: int, hi: int):
    for m in _END.finditer(text, lo, hi):
        if text[m.start()] == ".":
            word = re.search(r"(\w+)$", text[max(0, m.start() - 12):m.start()])
            w = word.group(1) if word else ""
            if w in _ABBREV or (len(w) == 1 and w.isupper()):
                continue  # "Jan. 29", "U.S. forces"
        yield m


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) containing text[start:end]; inside a JSON line, the sentence
    inside the string value."""
    left = 0
    for m in _ends(text, 0, start):
        left = m.end()
    json_key = text.rfind('": "', left, start)
    if json_key != -1:
        left = json_key + 4
    while left < start and text[left].isspace():
        left += 1
    m = next(_ends(text, end, len(text)), None)
    right = m.end() if m else len(text)
    if m and text[m.start()] == "\n":
        right = m.start()
    while right > left and text[right - 1].isspace():
        right -= 1
    if text.startswith('"}', right - 2) or text.startswith('",', right - 2):
        right -= 2
    elif text[right - 1:right] == '"' and text[right:right + 1] in "},":
        right -= 1
    return left, right


def find(text: str, needle: str, where: str) -> tuple[int, int]:
    m = re.fullmatch(r"@(\d+)-(\d+)", needle)
    if m:  # a span given by offsets (specs of third-party documents quote nothing)
        start, end = int(m.group(1)), int(m.group(2))
        if not 0 <= start < end <= len(text):
            raise SystemExit(f"{where}: span {needle} is outside the document")
        return sentence_span(text, start, end)
    nth = 1
    if re.search(r"#\d+$", needle):
        needle, n = needle.rsplit("#", 1)
        nth = int(n)
    hits = [m.start() for m in re.finditer(re.escape(needle), text)]
    if not hits:
        raise SystemExit(f"{where}: needle {needle!r} not found")
    if nth > len(hits):
        raise SystemExit(f"{where}: needle {needle!r} has only {len(hits)} occurrence(s)")
    if len(hits) > 1 and nth == 1:
        print(f"warning: {where}: needle {needle!r} occurs {len(hits)} times; using the first", file=sys.stderr)
    idx = hits[nth - 1]
    return sentence_span(text, idx, idx + len(needle))


def precision(value: str | None) -> str | None:
    if value is None:
        return None
    if "/" in value:
        return "interval"
    return {4: "year", 7: "month", 10: "day"}[len(value)]


def compile_spec(spec: str, text: str, doc: str, *, quote: bool) -> list[dict]:
    out = []
    for n, line in enumerate(spec.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 6:
            raise SystemExit(f"{doc} spec line {n}: expected at least 6 fields: {line}")
        ctype, subj, obj, date, modality, needle, *opts = parts
        start, end = find(text, needle, f"{doc} spec line {n}")
        mod, _, alt = modality.partition("/")
        rec: dict = {"doc": doc, "type": ctype}
        if "+" in subj:
            ids = sorted(subj.split("+"))
            parties = [actor(i) for i in ids]
            rec["subject"], rec["object"] = parties[0], parties[1]
            rec["parties"] = parties
        else:
            rec["subject"], rec["object"] = actor(subj), actor(obj)
        dv = None if date == "-" else date
        rec["date"] = {"value": dv, "precision": precision(dv)}
        rec["modality"] = mod
        if alt:
            rec["modality_alt"] = alt
        rec["attributed_to"] = None
        rec["quantity"] = None
        rec["optional"] = False
        for o in opts:
            if o == "opt":
                rec["optional"] = True
            elif o.startswith("sub="):
                rec["subtype"] = o[4:]
            elif o.startswith("attr="):
                rec["attributed_to"] = o[5:]
            elif o.startswith("q="):
                v, unit, metric = o[2:].split(":")
                rec["quantity"] = {"value": float(v) if "." in v else int(v), "unit": unit, "metric": metric}
            else:
                raise SystemExit(f"{doc} spec line {n}: unknown option {o!r}")
        ev = {"start": start, "end": end}
        if quote:
            ev = {"text": text[start:end], **ev}
        rec["evidence"] = ev
        out.append(rec)
    return out



def build_all(seeds_dir: Path) -> None:
    """Rebuild every gold file from eval/specs: articles quote their evidence, seeds do not."""
    for spec in sorted((HERE / "specs" / "articles").glob("*.spec")):
        doc = next(p for p in sorted((HERE / "articles").glob(spec.stem + ".*")))
        main([str(spec), str(doc), str(HERE / "gold" / "articles" / f"{spec.stem}.claims.jsonl")])
    for spec in sorted((HERE / "specs" / "seeds").glob("*.spec")):
        doc = seeds_dir / f"{spec.stem}.txt"
        main([str(spec), str(doc), str(HERE / "gold" / "seeds" / f"{spec.stem}.claims.jsonl"), "--offsets-only"])


def main(argv: list[str]) -> None:
    if argv[:1] == ["--all"]:
        build_all(Path(argv[1]) if len(argv) > 1 else HERE.parent.parent / "shared" / "seeds")
        return
    offsets_only = "--offsets-only" in argv
    args = [a for a in argv if a != "--offsets-only"]
    spec_path, doc_path, out_path = map(Path, args)
    text = doc_path.read_text(encoding="utf-8")
    recs = compile_spec(spec_path.read_text(encoding="utf-8"), text, doc_path.name, quote=not offsets_only)
    with out_path.open("w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{out_path}: {len(recs)} claims")


if __name__ == "__main__":
    main(sys.argv[1:])
