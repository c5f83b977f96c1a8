"""Deriving facts, relation states and conflicts from claims in bulk SQL.

``facts.merge`` and ``states`` say what facts and states are, claim by claim, in Python;
that reference runs at about 3,000 claims a second. Most events are plain: every claim of
them is dated to a day, a month or a year, is not a figure, names two actors and no exit
from a treaty concerns them. For those, the same rules fit in a few set operations, which
DuckDB runs over a million claims in seconds:

- a day-dated claim is its own event (one per distinct day);
- a month joins the earliest day of that month, or else the month's own event;
- a year joins the earliest day or month event of that year, or else the year's own event;

(the order ``merge._cluster`` visits claims in: most precise first, so a vaguer date joins
the earliest event it fits). The event's date, its representative claim and its best
evidence are the first claim of each ranking that ``merge._fact`` uses, ties going to the
claim stored first (``rowid``), as the reference sees them in table order.

Everything else (undated claims, intervals, figures, three-party events, the relations
that an exit or a severance can end) goes through the Python reference: ``python_keys``
names those events, which ``queries.rebuild`` merges in Python. tests/test_derive_sql.py
checks both ways give the same tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

STATE_TYPES = {"alliance": "allied", "strategic_partnership": "strategic_partners",
               "diplomatic_relations": "diplomatic_relations", "accession_membership": "member_of"}
SYMMETRIC_STATES = ("allied", "strategic_partners", "diplomatic_relations")
ONE_TIME = ("alliance", "strategic_partnership", "diplomatic_relations", "embassy_opened", "accession_membership")
_ENDER = ("(type = 'other' AND subtype IN ('withdrawal', 'suspension', 'termination', 'severance')) "
          "OR (type = 'diplomatic_relations' AND subtype = 'severed')")
_MODALITY = "CASE modality WHEN 'asserted' THEN 0 WHEN 'negated' THEN 1 WHEN 'planned' THEN 2 ELSE 3 END"
_PRANK = "CASE date_precision WHEN 'day' THEN 3 WHEN 'month' THEN 2 ELSE 1 END"
_SOURCE = "coalesce(nullif(doc_id, ''), nullif(source_name, ''), '?')"
_KIND = "CASE WHEN coalesce(source_name, '') <> '' THEN 'dataset' ELSE 'extracted' END"


def stage_claims(conn: duckdb.DuckDBPyConnection, keys: Sequence[str] | None) -> None:
    """Copy the claims of these events (None: all) into ``_d_claims``, with their table
    order, and name the events the Python reference must merge in ``_d_py``."""
    where = "" if keys is None else "WHERE fact_key IN (SELECT unnest(?::VARCHAR[]))"
    conn.execute(f"""
        CREATE OR REPLACE TEMP TABLE _d_claims AS
        SELECT rowid AS rn, id, doc_id, type, subtype, subject_id, subject_name, subject_kind,
               object_id, object_name, object_kind, parties, date_value, date_precision, modality,
               attributed_to, quantity_value, quantity_unit, quantity_metric, evidence_text,
               evidence_start, evidence_end, confidence, source_name, created_at, fact_key
        FROM claims {where}""", [] if keys is None else [list(keys)])  # noqa: S608 - fixed text
    # plain: dated to a day, month or year in ISO form, not a figure, two parties named by
    # subject and object, a known modality and a confidence
    conn.execute(f"""
        CREATE OR REPLACE TEMP TABLE _d_py AS
        WITH ender_pairs AS (
            SELECT DISTINCT list_sort(CASE WHEN parties IS NOT NULL
                                      THEN json_extract_string(parties, '$[*].id')
                                      ELSE list_filter([subject_id, object_id], lambda x: coalesce(x, '') <> '') END) AS pair
            FROM _d_claims WHERE {_ENDER}
        )
        SELECT DISTINCT fact_key FROM _d_claims
        WHERE fact_key IS NULL OR date_value IS NULL OR parties IS NOT NULL OR type = 'quantity'
           OR confidence IS NULL OR isnan(confidence)
           OR modality NOT IN ('asserted', 'negated', 'planned', 'speculative')
           OR NOT CASE date_precision WHEN 'day' THEN regexp_full_match(date_value, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')
                                      WHEN 'month' THEN regexp_full_match(date_value, '[0-9]{{4}}-[0-9]{{2}}')
                                      WHEN 'year' THEN regexp_full_match(date_value, '[0-9]{{4}}')
                                      ELSE FALSE END
           OR {_ENDER}
           OR (type IN ('alliance', 'strategic_partnership', 'diplomatic_relations', 'accession_membership')
               AND list_sort(list_filter([subject_id, object_id], lambda x: coalesce(x, '') <> '')) IN (SELECT pair FROM ender_pairs))
    """)  # noqa: S608 - fixed text


def python_keys(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT fact_key FROM _d_py WHERE fact_key IS NOT NULL ORDER BY 1").fetchall()]


def insert_facts(conn: duckdb.DuckDBPyConnection) -> None:
    """Cluster the plain claims into events and insert their facts and fact_claims."""
    conn.execute(f"""
        CREATE OR REPLACE TEMP TABLE _d_pc AS
        SELECT rn, fact_key, type, date_value, {_PRANK} AS prank, modality, {_MODALITY} AS mi, confidence,
               doc_id, evidence_start, id, {_KIND} AS kind, {_SOURCE} AS src, created_at
        FROM _d_claims WHERE fact_key NOT IN (SELECT fact_key FROM _d_py WHERE fact_key IS NOT NULL)""")  # noqa: S608
    # the event each claim joins, named by its first claim's date (its seed): ck
    conn.execute("""
        CREATE OR REPLACE TEMP TABLE _d_cl AS
        WITH days AS (SELECT DISTINCT fact_key, date_value AS seed FROM _d_pc WHERE prank = 3),
        months AS (
            SELECT m.fact_key, m.date_value AS m, coalesce(min(d.seed), m.date_value) AS seed
            FROM (SELECT DISTINCT fact_key, date_value FROM _d_pc WHERE prank = 2) m
            LEFT JOIN days d ON d.fact_key = m.fact_key AND left(d.seed, 7) = m.date_value
            GROUP BY m.fact_key, m.date_value),
        seeds AS (SELECT fact_key, seed FROM days UNION SELECT fact_key, seed FROM months),
        years AS (
            SELECT y.fact_key, y.date_value AS y, coalesce(min(s.seed), y.date_value) AS seed
            FROM (SELECT DISTINCT fact_key, date_value FROM _d_pc WHERE prank = 1) y
            LEFT JOIN seeds s ON s.fact_key = y.fact_key AND left(s.seed, 4) = y.date_value
            GROUP BY y.fact_key, y.date_value)
        SELECT c.*, c.fact_key || '#' || CASE c.prank WHEN 3 THEN c.date_value WHEN 2 THEN m.seed ELSE y.seed END AS ck
        FROM _d_pc c
        LEFT JOIN months m ON c.prank = 2 AND m.fact_key = c.fact_key AND m.m = c.date_value
        LEFT JOIN years y ON c.prank = 1 AND y.fact_key = c.fact_key AND y.y = c.date_value
    """)
    # one row per event; most have one claim, whose fact needs no ranking
    conn.execute("""
        CREATE OR REPLACE TEMP TABLE _d_grp AS
        SELECT ck, any_value(fact_key) AS fact_key, count(*) AS n, min(mi) AS fm, min(rn) AS rn1, min(id) AS id1,
               min(confidence) AS c1, min(kind) AS k1, min(created_at) AS rec,
               bool_or(modality = 'asserted') AS said, bool_or(modality = 'negated') AS denied,
               bool_or(coalesce(doc_id, '') <> '') AS has_doc
        FROM _d_cl GROUP BY ck""")
    # several claims: the rankings of merge._fact, first claim on a tie; the product in
    # the fact's claim order (document, offset, then the order merging saw them)
    conn.execute("""
        CREATE OR REPLACE TEMP TABLE _d_ev AS
        SELECT ck, fact_key, fm, 'F' || left(sha1(fact_key || '|' || id1), 12) AS fid, 1 AS n_claims, 1 AS n_sources,
               1.0 - (1.0 - greatest(0.0, least(0.99, c1))) AS conf_raw, k1 AS source_kinds, rec AS recorded_at,
               rn1 AS date_rn, rn1 AS rep_rn, rn1 AS best_rn
        FROM _d_grp WHERE n = 1
        UNION ALL
        SELECT c.ck, any_value(c.fact_key), any_value(g.fm),
               'F' || left(sha1(any_value(c.fact_key) || '|' || string_agg(c.id, '|' ORDER BY c.id)), 12),
               count(*), count(DISTINCT c.src) FILTER (WHERE c.mi = g.fm),
               1.0 - list_reduce(list(1.0 - greatest(0.0, least(0.99, c.confidence))
                                      ORDER BY coalesce(c.doc_id, ''), coalesce(c.evidence_start, 0), -c.prank, c.rn)
                                 FILTER (WHERE c.mi = g.fm), lambda a, b: a * b),
               string_agg(DISTINCT c.kind, ',' ORDER BY c.kind), min(c.created_at),
               arg_min(c.rn, (-c.prank, -c.confidence, c.rn)),
               arg_min(c.rn, (c.mi <> g.fm, -c.confidence, -c.prank, c.rn)),
               arg_min(c.rn, (c.mi <> g.fm, -c.prank, -c.confidence, coalesce(c.doc_id, ''),
                              coalesce(c.evidence_start, 0), c.rn))
        FROM _d_cl c JOIN _d_grp g ON g.ck = c.ck AND g.n > 1 GROUP BY c.ck""")
    conn.create_function("_d_round4", _round4, ["DOUBLE"], "DOUBLE", type="arrow")
    try:
        conn.execute(f"""
            INSERT INTO facts
            SELECT e.fid, e.fact_key, r.type, r.subtype,
                   {_actor('r', 'subject')}, {_actor('r', 'object')}, NULL,
                   d.date_value, d.date_precision, {_bounds('d')}, d.id,
                   CASE e.fm WHEN 0 THEN 'asserted' WHEN 1 THEN 'negated' WHEN 2 THEN 'planned' ELSE 'speculative' END,
                   e.n_claims, e.n_sources, _d_round4(e.conf_raw), b.id,
                   CASE WHEN r.quantity_value IS NOT NULL THEN r.quantity_value END,
                   CASE WHEN r.quantity_value IS NOT NULL THEN r.quantity_unit END,
                   CASE WHEN r.quantity_value IS NOT NULL THEN r.quantity_metric END,
                   e.source_kinds, e.recorded_at, {_evidence('b')}
            FROM _d_ev e JOIN _d_claims r ON r.rn = e.rep_rn JOIN _d_claims d ON d.rn = e.date_rn
            JOIN _d_claims b ON b.rn = e.best_rn""")  # noqa: S608 - fixed text
    finally:
        conn.remove_function("_d_round4")
    conn.execute("INSERT INTO fact_claims SELECT e.fid, c.id FROM _d_cl c JOIN _d_ev e USING (ck)")


def insert_states(conn: duckdb.DuckDBPyConnection) -> None:
    """Relation states of the plain facts (no exit can end them: those are not plain)."""
    kinds = " ".join(f"WHEN '{t}' THEN '{s}'" for t, s in STATE_TYPES.items())
    symmetric = ", ".join(f"'{s}'" for s in SYMMETRIC_STATES)
    conn.execute(f"""
        INSERT INTO states
        WITH s AS (
            SELECT f.*, CASE f.type {kinds} END AS kind FROM facts f
            WHERE f.id IN (SELECT fid FROM _d_ev WHERE fm = 0 AND split_part(fact_key, '|', 1) IN (SELECT unnest(?::VARCHAR[])))
              AND f.type IN (SELECT unnest(?::VARCHAR[]))
              AND coalesce(f.subject_id, '') <> '' AND coalesce(f.object_id, '') <> ''
        ), o AS (
            SELECT s.*, (kind IN ({symmetric}) AND object_id < subject_id) AS swap FROM s
        ), t AS (
            SELECT o.*,
                   CASE WHEN swap THEN object_id ELSE subject_id END AS a_id,
                   CASE WHEN swap THEN object_name ELSE subject_name END AS a_name,
                   CASE WHEN swap THEN object_kind ELSE subject_kind END AS a_kind,
                   CASE WHEN swap THEN subject_id ELSE object_id END AS b_id,
                   CASE WHEN swap THEN subject_name ELSE object_name END AS b_name,
                   CASE WHEN swap THEN subject_kind ELSE object_kind END AS b_kind
            FROM o
        )
        SELECT 'S' || left(sha1(kind || '|' || a_id || '|' || b_id || '|' || id), 12), kind,
               a_id, a_name, a_kind, b_id, b_name, b_kind,
               date_value, date_precision, date_start, TRUE, NULL, NULL, NULL, id, NULL,
               recorded_at, n_sources, confidence, source_kinds, best_claim,
               evidence_doc, evidence_text, evidence_start, evidence_end, evidence_attributed_to,
               evidence_source_kind, evidence_source_name
        FROM t""", [list(STATE_TYPES), list(STATE_TYPES)])  # noqa: S608


def date_conflict_keys(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Plain events of a one-time kind given several asserted dates by an article: their
    conflict (whose reason lists every date and source) is worded by the reference."""
    rows = conn.execute("""
        SELECT fact_key FROM _d_grp
        WHERE fm = 0 AND split_part(fact_key, '|', 1) IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY fact_key HAVING count(*) > 1 AND bool_or(has_doc)
        ORDER BY 1""", [list(ONE_TIME)]).fetchall()
    return [r[0] for r in rows]


def insert_modality_conflicts(conn: duckdb.DuckDBPyConnection) -> None:
    """Plain events asserted by some claims and denied by others (find_conflicts' wording)."""
    conn.execute("""
        CREATE OR REPLACE TEMP TABLE _d_names AS
        SELECT id, CASE WHEN coalesce(source, '') = '' THEN id WHEN contains(source, '://') THEN source
                        ELSE coalesce(nullif(string_split(source, '/')[-1], ''), id) END AS name
        FROM documents""")
    conn.execute("""
        INSERT OR REPLACE INTO conflicts
        WITH c AS (
            SELECT e.fid, e.fact_key, c.modality, coalesce(n.name, coalesce(nullif(c.doc_id, ''), '?')) AS name
            FROM _d_cl c JOIN _d_ev e USING (ck) JOIN _d_grp g ON g.ck = c.ck AND g.said AND g.denied
            LEFT JOIN _d_names n ON n.id = coalesce(nullif(c.doc_id, ''), '?')
            WHERE c.modality IN ('asserted', 'negated')
        ), g AS (
            SELECT fid, any_value(fact_key) AS fact_key,
                   string_agg(DISTINCT name, ', ' ORDER BY name) FILTER (WHERE modality = 'asserted') AS yes,
                   string_agg(DISTINCT name, ', ' ORDER BY name) FILTER (WHERE modality = 'negated') AS no
            FROM c GROUP BY fid HAVING yes IS NOT NULL AND no IS NOT NULL
        )
        SELECT 'C' || left(sha1('modality' || g.fact_key || g.fid), 12), 'modality',
               'asserted by ' || yes || ' and denied by ' || no, g.fact_key, '["' || g.fid || '"]',
               '[' || array_to_string(list_transform(
                   list_sort(list_distinct(list_filter([f.subject_id, f.object_id], lambda x: x IS NOT NULL))),
                   lambda x: '"' || x || '"'), ', ') || ']'
        FROM g JOIN facts f ON f.id = g.fid""")


def fill_answer_tables(conn: duckdb.DuckDBPyConnection, keys: Sequence[str] | None) -> None:
    """The per-actor tables as-of questions read (migrations 6 and 8) and the per-pair facts
    of timelines (migration 7), for the facts of these events (None: all; the caller deleted
    what they replace). Sorted by actor (or pair), so that a question reads the few row
    groups of its actor."""
    if keys is None:
        scope, params = "TRUE", []
    else:
        scope, params = "f.key IN (SELECT unnest(?::VARCHAR[]))", [list(keys)]
    cscope = "TRUE" if keys is None else "c.fact_key IN (SELECT unnest(?::VARCHAR[]))"
    # the speculative and planned relation claims, once per actor they name
    conn.execute(f"""
        CREATE OR REPLACE TEMP TABLE _d_talk AS
        WITH c AS (
            SELECT c.id AS claim_id, c.type, c.modality, c.subject_id, c.subject_name, c.object_id, c.object_name,
                   c.date_value, c.attributed_to, c.confidence, c.doc_id AS evidence_doc, c.evidence_text,
                   c.evidence_start, c.evidence_end, c.attributed_to AS evidence_attributed_to,
                   c.source_kind AS evidence_source_kind, c.source_name AS evidence_source_name,
                   d.source AS evidence_source, d.title AS evidence_title, d.published AS evidence_published,
                   c.fact_key AS _key
            FROM claims c LEFT JOIN documents d ON d.id = c.doc_id
            WHERE c.modality IN ('speculative', 'planned') AND c.type IN (SELECT unnest(?::VARCHAR[])) AND {cscope})
        SELECT x.actor_id, x._key, x.type, x.claim_id, json_remove(to_json(x.c), '$._key') AS row
        FROM (SELECT subject_id AS actor_id, *, c FROM c WHERE subject_id IS NOT NULL
              UNION ALL SELECT object_id, *, c FROM c WHERE object_id IS NOT NULL) x""",
                 [list(STATE_TYPES), *params])  # noqa: S608 - fixed text
    # a relation state once per actor (both kinds of row: migration 8), sorted by actor
    conn.execute(f"""
        INSERT INTO actor_answers
        WITH j AS (
            SELECT struct_insert(s, evidence_source := d.source, evidence_title := d.title,
                                 evidence_published := d.published) AS r, f.key
            FROM states s JOIN facts f ON f.id = s.fact_id LEFT JOIN documents d ON d.id = s.evidence_doc
            WHERE {scope} AND s.start_day IS NOT NULL),
        x AS (SELECT r.a_id AS actor_id, r, key FROM j UNION ALL SELECT r.b_id, r, key FROM j WHERE r.a_id <> r.b_id)
        SELECT actor_id, r.state, r.start_day, r.end_day, r.recorded_at, r.source_kinds, r.a_id, r.b_id, r.fact_id,
               key, r.id, to_json(r)
        FROM x
        UNION ALL
        SELECT actor_id, '?' || type, DATE '-infinity', NULL, NULL, NULL, NULL, NULL, NULL, _key, claim_id, row
        FROM _d_talk
        ORDER BY 1, 3""", params)  # noqa: S608 - fixed text
    conn.execute(f"""
        INSERT INTO fact_actors
        WITH f AS (
            SELECT f.id, f.key, f.date_start, f.date_end, f.type, f.modality,
                   list_distinct(list_filter([f.subject_id, f.object_id]
                                 || coalesce(json_extract_string(f.parties, '$[*].id'), []),
                                 lambda x: x IS NOT NULL)) AS ids
            FROM facts f WHERE {scope})
        SELECT u.actor_id, f.id, f.key, f.date_start, f.date_end, f.type, f.modality, f.ids
        FROM f, unnest(f.ids) AS u(actor_id)
        ORDER BY u.actor_id, f.date_start""", params)  # noqa: S608 - fixed text
    # a fact once per pair of its actors, its facts row (parties as text, as the table
    # gives it) and evidence document as a JSON array, sorted by pair
    cols = [r[0] for r in conn.execute("DESCRIBE facts").fetchall()]
    values = ", ".join("CAST(t.parties AS VARCHAR)" if c == "parties" else f"t.{c}" for c in cols)
    pscope = "TRUE" if keys is None else "p.key IN (SELECT unnest(?::VARCHAR[]))"
    conn.execute(f"""
        INSERT INTO pair_facts
        WITH p AS (SELECT fact_id, key, actor_id AS lo_id, unnest(list_filter(actor_ids, lambda x: x > actor_id)) AS hi_id
                   FROM fact_actors p WHERE {pscope})
        SELECT p.lo_id, p.hi_id, p.fact_id, json_array({values}, d.source, d.title, d.published)
        FROM p JOIN facts t ON t.id = p.fact_id LEFT JOIN documents d ON d.id = t.evidence_doc
        ORDER BY p.lo_id, p.hi_id""", params)  # noqa: S608 - fixed text
def drop_staging(conn: duckdb.DuckDBPyConnection) -> None:
    for t in ("_d_claims", "_d_py", "_d_pc", "_d_cl", "_d_grp", "_d_ev", "_d_names", "_d_talk"):
        conn.execute(f"DROP TABLE IF EXISTS {t}")  # noqa: S608 - fixed names


def _round4(xs: Any) -> Any:
    # Python's rounding (to the nearest, ties to even on the exact binary value), as Fact.confidence
    import pyarrow as pa

    return pa.array([None if x is None else round(x, 4) for x in xs.to_pylist()], pa.float64())


def _actor(t: str, role: str) -> str:
    ok = f"coalesce({t}.{role}_id, '') <> ''"
    return (f"CASE WHEN {ok} THEN {t}.{role}_id END, CASE WHEN {ok} THEN {t}.{role}_name END, "
            f"CASE WHEN {ok} THEN {t}.{role}_kind END")


def _bounds(t: str) -> str:
    v = f"{t}.date_value"
    p = f"CASE {t}.date_precision WHEN 'day' THEN 3 WHEN 'month' THEN 2 ELSE 1 END"
    return (f"CASE {p} WHEN 3 THEN CAST({v} AS DATE) WHEN 2 THEN CAST({v} || '-01' AS DATE) "
            f"ELSE CAST({v} || '-01-01' AS DATE) END, "
            f"CASE {p} WHEN 3 THEN CAST({v} AS DATE) WHEN 2 THEN last_day(CAST({v} || '-01' AS DATE)) "
            f"ELSE CAST({v} || '-12-31' AS DATE) END")


def _evidence(t: str) -> str:
    return (f"{t}.doc_id, coalesce({t}.evidence_text, ''), {t}.evidence_start, {t}.evidence_end, "
            f"{t}.attributed_to, {_KIND.replace('source_name', t + '.source_name')}, {t}.source_name")
