"""Build diplograph/data/actors/states.csv from the curated table beside this script,
pycountry (ISO 3166 codes and official names; LGPL, used here at build time only) and the
COW State System Membership list (../shared/data/alliances/cow_states2016.csv).

    .venv/bin/pip install pycountry   # build time only, not a run-time dependency
    .venv/bin/python scripts/build_actor_data.py
    .venv/bin/python scripts/build_actor_data.py --office-holders   # office_holders.csv only

The run-time package reads only the CSV this writes."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
TABLE = Path(__file__).with_name("actor_states_table.txt")
COW = ROOT.parent / "shared" / "data" / "alliances" / "cow_states2016.csv"
DATA = ROOT / "diplograph" / "data" / "actors"
OUT = DATA / "states.csv"
IGO = ROOT.parent / "shared" / "data" / "alliances" / "cow_igo_v3_membership_spells_manyios.csv"
HOLDERS = Path(__file__).with_name("actor_office_holders.txt")
CURATED = Path(__file__).with_name("actor_memberships_curated.txt")

# manystates ids (and, when the id is blank, COW IGO column names) that are not ISO alpha-3.
MANYSTATES = {"ALG": "DZA", "GIN - GNB": "GNB", "GIN - GNQ": "GNQ", "GIN - PNG": "PNG",
              "KOS": "XKX", "SDN - SSD": "SSD"}
MANYSTATES_BY_NAME = {"car": "CAF", "domrepublic": "DOM", "etimor": "TLS", "sierraleone": "SLE",
                      "soafrica": "ZAF", "stlucia": "LCA"}

# Surnames too common (or too ambiguous with ordinary words) to name a person on their own.
COMMON_SURNAMES = {
    "Cohen", "Katz", "Levy", "Li", "Wang", "Yang", "Hu", "Jiang", "Zhu", "Tang", "Qian", "Wen",
    "Qin", "Ban", "Rice", "Baker", "Powell", "Christopher", "Gore", "Harris", "Costa", "Michel",
    "Shalom", "Sharon", "Bennett", "Washington", "Ivanov", "Cem", "Johnson", "Herzog", "Bush",
    "Clinton", "Akhmetov", "Sargsyan", "Yona", "Mamin", "Gül", "Gul", "Fidan", "Khaldi",
    "Ashkenazi", "Cameron", "May", "Lapid", "Barak", "Kerry", "Fuchs",
    # office-holders added 2026-11: common names, words, places, names shared across states
    "Abbasi", "Abdo", "Abdullah", "Achi", "Ahmed", "Akhund", "Albert", "Anand", "Andersson",
    "Araújo", "Ashraf", "Asif", "Assaf", "Austin", "Ba", "Barre", "Bashir", "Beatrix", "Bhandari",
    "Bhattarai", "Bishop", "Blair", "Borisov", "Brown", "Bērziņš", "Calderón", "Carter", "Castillo",
    "Castro", "Champagne", "Chang", "Charles", "Cho", "Choe", "Choi", "Chung", "Cleverly",
    "Connolly", "Cooper", "Cuong", "Cvetković", "Dan", "Dar", "Dion", "Dionne", "Dissanayake",
    "Dong", "Duncan", "Dung", "Duque", "Elizabeth", "English", "Faisal", "Fallon", "Faye", "Felipe",
    "Fernández", "Filip", "Fischer", "Franco", "França", "Frederik", "Gabriel", "Gallant", "García",
    "Girma", "Guillaume", "Gunawardena", "Güler", "Halina", "Hamada", "Hamid", "Hammond", "Han", "Harald",
    "Harper", "Hassan", "Hayashi", "Henri", "Higgins", "Hun", "Hunt", "Hussain", "Hwang", "Ismail",
    "Jeong", "Jilani", "Jonathan", "Juan Carlos", "Kaczyński", "Kakar", "Kan", "Kang", "Karki",
    "Kenny", "Kern", "Key", "Keïta", "Khalifa", "Khamis", "Khan", "Khattak", "Kim", "Klaus",
    "Koirala", "Koizumi", "Lam", "Lee", "Lugo", "Maas", "Manet", "Mansour", "Marin", "Marrero",
    "Martin", "Maurer", "Maïga", "McGuinty", "Michal", "Mills", "Mohamed", "Mohammed", "Mohamud",
    "Montenegro", "Moon", "Morales", "Moreno", "Morrison", "Mukherjee", "Muscat", "Nathan", "Nawaf",
    "Nicholson", "Nikolić", "Novák", "Nunes", "Orban", "Pak", "Park", "Patil", "Pavel", "Payne",
    "Paz", "Petkov", "Peña", "Philippe", "Poudel", "Quang", "Qureshi", "Rahman", "Rashid",
    "Rasmussen", "Reynolds", "Robles", "Sabah", "Salam", "Salih", "Sang", "Santos", "Saqr",
    "Schmitt", "Serra", "Sharaf", "Shin", "Singh", "Sisulu", "Solá", "Song", "Suh", "Suleiman",
    "Sánchez", "Tan", "Tedros", "Touré", "Traoré", "Türk", "Vella", "Vieira", "Vázquez", "Wade",
    "Wallace", "Wei", "Williamson", "Wong", "Yadav", "Youssouf", "Yun", "Zaki", "dos Santos",
}
SOURCES = {
    "P": "public records of office (government and parliament websites; Wikipedia lists of office-holders), curated for diplograph 2026-11",
    "N": "named in 2025 news reporting on Israel-Central Asia relations, curated for diplograph 2026-11",
}
COW_IGO_SOURCE = ("COW IGO v3 (Pevehouse et al. 2020, JPR 57(3)) via manyios, CC BY 4.0; "
                  "full membership years only, 2014 = end of coverage")

# COW abbreviations whose state has another ISO 3166 alpha-3 code.
COW_TO_ISO = {
    "USA": "USA", "CAN": "CAN", "BHM": "BHS", "CUB": "CUB", "HAI": "HTI", "DOM": "DOM",
    "JAM": "JAM", "TRI": "TTO", "BAR": "BRB", "DMA": "DMA", "GRN": "GRD", "SLU": "LCA",
    "SVG": "VCT", "AAB": "ATG", "SKN": "KNA", "MEX": "MEX", "BLZ": "BLZ", "GUA": "GTM",
    "HON": "HND", "SAL": "SLV", "NIC": "NIC", "COS": "CRI", "PAN": "PAN", "COL": "COL",
    "VEN": "VEN", "GUY": "GUY", "SUR": "SUR", "ECU": "ECU", "PER": "PER", "BRA": "BRA",
    "BOL": "BOL", "PAR": "PRY", "CHL": "CHL", "ARG": "ARG", "URU": "URY", "UKG": "GBR",
    "IRE": "IRL", "NTH": "NLD", "BEL": "BEL", "LUX": "LUX", "FRN": "FRA", "MNC": "MCO",
    "LIE": "LIE", "SWZ": "CHE", "SPN": "ESP", "AND": "AND", "POR": "PRT", "GMY": "DEU",
    "GDR": "DDR", "POL": "POL", "AUS": "AUT", "HUN": "HUN", "CZE": "CSK", "CZR": "CZE",
    "SLO": "SVK", "ITA": "ITA", "SNM": "SMR", "MLT": "MLT", "ALB": "ALB", "MNG": "MNE",
    "MAC": "MKD", "CRO": "HRV", "YUG": "YUG", "BOS": "BIH", "KOS": "XKX", "SLV": "SVN",
    "GRC": "GRC", "CYP": "CYP", "BUL": "BGR", "MLD": "MDA", "ROM": "ROU", "RUS": "RUS",
    "EST": "EST", "LAT": "LVA", "LIT": "LTU", "UKR": "UKR", "BLR": "BLR", "ARM": "ARM",
    "GRG": "GEO", "AZE": "AZE", "FIN": "FIN", "SWD": "SWE", "NOR": "NOR", "DEN": "DNK",
    "ICE": "ISL", "CAP": "CPV", "STP": "STP", "GNB": "GNB", "EQG": "GNQ", "GAM": "GMB",
    "MLI": "MLI", "SEN": "SEN", "BEN": "BEN", "MAA": "MRT", "NIR": "NER", "CDI": "CIV",
    "GUI": "GIN", "BFO": "BFA", "LBR": "LBR", "SIE": "SLE", "GHA": "GHA", "TOG": "TGO",
    "CAO": "CMR", "NIG": "NGA", "GAB": "GAB", "CEN": "CAF", "CHA": "TCD", "CON": "COG",
    "DRC": "COD", "UGA": "UGA", "KEN": "KEN", "TAZ": "TZA", "BUI": "BDI", "RWA": "RWA",
    "SOM": "SOM", "DJI": "DJI", "ETH": "ETH", "ERI": "ERI", "ANG": "AGO", "MZM": "MOZ",
    "ZAM": "ZMB", "ZIM": "ZWE", "MAW": "MWI", "SAF": "ZAF", "NAM": "NAM", "LES": "LSO",
    "BOT": "BWA", "SWA": "SWZ", "MAG": "MDG", "COM": "COM", "MAS": "MUS", "SEY": "SYC",
    "MOR": "MAR", "ALG": "DZA", "TUN": "TUN", "LIB": "LBY", "SUD": "SDN", "SSD": "SSD",
    "IRN": "IRN", "TUR": "TUR", "IRQ": "IRQ", "EGY": "EGY", "SYR": "SYR", "LEB": "LBN",
    "JOR": "JOR", "ISR": "ISR", "SAU": "SAU", "YEM": "YEM", "KUW": "KWT", "BAH": "BHR",
    "QAT": "QAT", "UAE": "ARE", "OMA": "OMN", "AFG": "AFG", "TKM": "TKM", "TAJ": "TJK",
    "KYR": "KGZ", "UZB": "UZB", "KZK": "KAZ", "CHN": "CHN", "MON": "MNG", "TAW": "TWN",
    "PRK": "PRK", "ROK": "KOR", "JPN": "JPN", "IND": "IND", "BHU": "BTN", "PAK": "PAK",
    "BNG": "BGD", "MYA": "MMR", "SRI": "LKA", "MAD": "MDV", "NEP": "NPL", "THI": "THA",
    "CAM": "KHM", "LAO": "LAO", "DRV": "VNM", "MAL": "MYS", "SIN": "SGP", "BRU": "BRN",
    "PHI": "PHL", "INS": "IDN", "ETM": "TLS", "AUL": "AUS", "PNG": "PNG", "NEW": "NZL",
    "VAN": "VUT", "SOL": "SLB", "KIR": "KIR", "TUV": "TUV", "FIJ": "FJI", "TON": "TON",
    "NAU": "NRU", "MSI": "MHL", "PAL": "PLW", "FSM": "FSM", "WSM": "WSM",
}

# States whose dates COW does not give (or gives for a predecessor): curated.
MANUAL_DATES = {
    "SUN": ("1922-12-30", "1991-12-26"),
    "YUG": ("1918-12-01", "2006-06-03"),
    "SRB": ("2006-06-05", ""),
    "CSK": ("1918-10-28", "1992-12-31"),
    "DDR": ("1949-10-07", "1990-10-03"),
    "RUS": ("1991-12-26", ""),
    "PSE": ("1988-11-15", ""),
    "VAT": ("1929-02-11", ""),
}
MANUAL_OFFICIAL = {
    "KOR": "Republic of Korea", "TWN": "Republic of China", "SUN": "Union of Soviet Socialist Republics",
    "YUG": "Socialist Federal Republic of Yugoslavia", "CSK": "Czechoslovak Socialist Republic",
    "DDR": "German Democratic Republic", "PSE": "State of Palestine", "XKX": "Republic of Kosovo",
    "USA": "United States of America",
}
MANUAL_COW = {"SRB": 345, "SUN": 365}
MANUAL_ALPHA2 = {"XKX": "XK", "SUN": "SU", "YUG": "YU", "CSK": "CS", "DDR": "DD", "TWN": "TW"}


def main() -> int:
    cow: dict[str, dict] = {}
    with COW.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            iso = COW_TO_ISO.get(r["stateabb"])
            if not iso:
                continue
            start = f"{int(r['styear']):04d}-{int(r['stmonth']):02d}-{int(r['stday']):02d}"
            end = f"{int(r['endyear']):04d}-{int(r['endmonth']):02d}-{int(r['endday']):02d}"
            end = "" if end == "2016-12-31" else end  # still a member when the list closes
            e = cow.setdefault(iso, {"code": int(r["ccode"]), "abb": r["stateabb"], "start": start, "end": end})
            e["end"] = end
    rows = []
    problems = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("|")
        if len(parts) != 6:
            problems.append(f"bad line: {line}")
            continue
        iso3, short, capitals, demonyms, aliases, epithets = parts
        caps = [c for c in capitals.split(";") if c]
        cur = [c for c in caps if not c.endswith("~")]
        former = [c[:-1] for c in caps if c.endswith("~")]
        pc = pycountry.countries.get(alpha_3=iso3) or pycountry.historic_countries.get(alpha_3=iso3)
        alpha2 = MANUAL_ALPHA2.get(iso3) or (pc.alpha_2 if pc else "")
        iso_name = pc.name if pc else ""
        # ISO gives an official name only where it differs from its short name ("Russian Federation")
        official = MANUAL_OFFICIAL.get(iso3) or getattr(pc, "official_name", "") or (
            iso_name if iso_name != short and "," not in iso_name else "")
        alias_list = [a for a in aliases.split(";") if a]
        # pycountry's ISO name is an alternative name when it differs ("Türkiye", "Korea, Republic of" is skipped)
        if iso_name and iso_name != short and "," not in iso_name and iso_name not in alias_list:
            alias_list.append(iso_name)
        c = cow.get(iso3, {})
        start, end = MANUAL_DATES.get(iso3, (c.get("start", ""), c.get("end", "")))
        cow_code = MANUAL_COW.get(iso3, c.get("code", ""))
        src = ["ISO 3166-1 via pycountry 26.2.16"]
        if cow_code != "":
            src.append("COW State System Membership v2016")
        src.append("names, demonyms, capitals: curated (diplograph)")
        rows.append({
            "id": iso3, "iso2": alpha2, "iso3": iso3 if iso3 not in ("XKX",) else "",
            "cow_code": cow_code, "cow_abb": c.get("abb", ""), "name": short,
            "official_name": official, "start": start, "end": end,
            "capitals": ";".join(cur), "former_capitals": ";".join(former),
            "demonyms": demonyms, "aliases": ";".join(alias_list), "epithets": epithets,
            "source": "; ".join(src),
        })
    missing = sorted(set(COW_TO_ISO.values()) - {r["id"] for r in rows})
    if missing:
        problems.append(f"COW states missing from the table: {missing}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} states to {OUT.relative_to(ROOT)}")
    ids = {r["id"] for r in rows}
    return build_office_holders(ids) or build_memberships(ids)


def slug(name: str) -> str:
    import re
    import unicodedata

    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", s.lower()).strip("_")


def build_office_holders(state_ids: set[str]) -> int:
    orgs = {r["id"] for r in csv.DictReader((DATA / "organisations.csv").open(encoding="utf-8"))}
    out, problems = [], []
    for n, line in enumerate(HOLDERS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("|")
        if len(parts) != 8:
            problems.append(f"line {n}: {len(parts)} fields")
            continue
        name, surname, aliases, actor, role, start, end, src = parts
        surname = surname or name.split()[-1]
        if actor not in state_ids and actor not in orgs:
            problems.append(f"line {n}: unknown actor {actor}")
        out.append({
            "person_id": slug(name), "name": name, "aliases": aliases, "surname": surname,
            "surname_alone": "no" if surname in COMMON_SURNAMES else "yes",
            "actor": actor, "role": role, "start": start, "end": end, "source": SOURCES[src],
        })
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    with (DATA / "office_holders.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(out[0]))
        w.writeheader()
        w.writerows(out)
    print(f"wrote {len(out)} terms of office")
    return 0


def build_memberships(state_ids: set[str]) -> int:
    orgs = list(csv.DictReader((DATA / "organisations.csv").open(encoding="utf-8")))
    by_cow = {o["cow_igo"]: o["id"] for o in orgs if o["cow_igo"]}
    org_ids = {o["id"] for o in orgs}
    out, problems = [], []
    seen = set()
    with IGO.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            org = by_cow.get(r["igoID"])
            if not org:
                continue
            member = MANYSTATES.get(r["stateID"]) or MANYSTATES_BY_NAME.get(r["StateName"]) or r["stateID"]
            if member == "SRB" and int(r["End"]) < 2006:
                member = "YUG"
            if member not in state_ids:
                problems.append(f"COW IGO: unknown state {r['stateID']} ({r['StateName']}) in {org}")
                continue
            key = (member, org, r["Beg"])
            if key in seen:
                continue
            seen.add(key)
            out.append({"member": member, "organisation": org, "start": r["Beg"],
                        "end": "" if r["End"] == "2014" else r["End"], "status": "full",
                        "source": COW_IGO_SOURCE})
    cow_pairs = {(m["member"], m["organisation"]) for m in out}
    for n, line in enumerate(CURATED.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        member, org, start, end, status, src = line.split("|")
        if member not in state_ids or org not in org_ids:
            problems.append(f"curated line {n}: unknown {member} or {org}")
            continue
        # curated records replace the coarser COW spells of the same pair
        if (member, org) in cow_pairs:
            out = [m for m in out if not (m["member"] == member and m["organisation"] == org
                                          and m["source"] == COW_IGO_SOURCE)]
        out.append({"member": member, "organisation": org, "start": start, "end": end,
                    "status": status, "source": src})
    if problems:
        print("\n".join(sorted(set(problems))), file=sys.stderr)
    out.sort(key=lambda m: (m["organisation"], m["start"], m["member"]))
    with (DATA / "memberships.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(out[0]))
        w.writeheader()
        w.writerows(out)
    print(f"wrote {len(out)} memberships")
    return 0


def office_holders_only() -> int:
    """Rewrite office_holders.csv alone, checking actors against the states.csv on disk."""
    ids = {r["id"] for r in csv.DictReader(OUT.open(encoding="utf-8"))}
    return build_office_holders(ids)


if __name__ == "__main__":
    raise SystemExit(office_holders_only() if "--office-holders" in sys.argv[1:] else main())
