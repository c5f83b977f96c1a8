"""Questions to the graph: allies, partners, relations, members, timeline, changes,
conflicts, facts, evidence, rebuild. Each parses options, makes one Graph call, prints."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import click

from .common import console, db_option, emit, guard, main, open_graph, output_options

_REL_COLUMNS = ["partner", "since", "state", "n_sources", "sources", "evidence", "source"]
_REL_HEADERS = ["partner", "since", "relation", "sources", "from", "best source sentence", "document"]


def _since(row: Any) -> str:
    if row.since is None:
        return "unknown (held by its first source)"
    return row.since.value


def _rel_record(row: Any) -> dict[str, Any]:
    ev = row.evidence
    return {
        "partner": row.partner.name, "partner_id": row.partner.id, "since": _since(row),
        "since_precision": row.since.precision if row.since else None, "state": row.state,
        "n_sources": row.n_sources, "sources": row.sources, "fact": row.fact,
        "evidence": ev.text, "source": ev.source or ev.dataset, "attributed_to": ev.attributed_to,
    }


def _discussed_record(row: Any) -> dict[str, Any]:
    return {
        "partner": row.partner.name, "partner_id": row.partner.id, "type": row.type, "modality": row.modality,
        "said_by": row.attributed_to or "the author", "evidence": row.evidence.text, "source": row.evidence.source,
    }


def _print_relations(ans: Any, title: str, as_json: bool, as_csv: bool) -> None:
    if as_json:
        import json
        import sys

        for r in ans.rows:
            sys.stdout.write(json.dumps({"section": "established", **_rel_record(r)}, ensure_ascii=False) + "\n")
        for r in ans.discussed:
            sys.stdout.write(json.dumps({"section": "discussed", **_discussed_record(r)}, ensure_ascii=False) + "\n")
        return
    emit([_rel_record(r) for r in ans.rows], columns=_REL_COLUMNS, headers=_REL_HEADERS,
         as_json=False, as_csv=as_csv, title=f"{title} of {ans.actor.name} as of {ans.at.isoformat()}")
    if ans.discussed and not as_csv:
        emit([_discussed_record(r) for r in ans.discussed],
             columns=["partner", "type", "modality", "said_by", "evidence", "source"],
             as_json=False, as_csv=False, title="Discussed, not established")


def _relation_command(name: str, states: list[str] | None, title: str, doc: str) -> None:
    @main.command(name=name, help=doc)
    @click.argument("actor")
    @click.option("--at", metavar="DATE", help="As of this date (YYYY[-MM[-DD]]; default today).")
    @click.option("--known-at", metavar="DATE", help="Answer with what diplograph knew on this date (ingestion time).")
    @click.option("--source", metavar="SOURCE",
                  help="Only facts with a claim from: extracted (articles), dataset (any import), a dataset by "
                       "name (atop, cow, icews, gdelt, polecat...), or all (default).")
    @db_option
    @output_options
    @guard
    def command(actor: str, at: str | None, known_at: str | None, source: str | None, db: str | None,
                as_json: bool, as_csv: bool, **kw: Any) -> None:
        with open_graph(db) as graph:
            types = kw.get("type_") or states
            ans = graph.relations(actor, types=types, at=at, known_at=known_at, source=source)
            _print_relations(ans, title, as_json, as_csv)

    if states is None:
        command = click.option("--type", "type_", multiple=True,
                               type=click.Choice(["allied", "strategic_partners", "diplomatic_relations", "member_of"]),
                               help="Only these relations (repeatable).")(command)


_relation_command("allies", ["allied"], "Allies",
                  "Who ACTOR is allied with, since when, and who says so; then alliances only discussed.")
_relation_command("partners", ["strategic_partners"], "Strategic partners",
                  "ACTOR's strategic partners (incl. comprehensive and enhanced), since when, who says so.")
_relation_command("relations", None, "Relations",
                  "Every relation of ACTOR as of a date: allied, strategic partners, diplomatic relations, memberships.")


@main.command()
@click.argument("org")
@click.option("--at", metavar="DATE", help="As of this date (default today).")
@click.option("--known-at", metavar="DATE", help="With what diplograph knew on this date.")
@db_option
@output_options
@guard
def members(org: str, at: str | None, known_at: str | None, db: str | None, as_json: bool, as_csv: bool) -> None:
    """Members of organisation or accord ORG as of a date, since when, with their source."""
    with open_graph(db) as graph:
        rows = graph.members(org, at=at, known_at=known_at)
        emit([_rel_record(r) for r in rows], columns=["partner", "since", "n_sources", "evidence", "source"],
             headers=["member", "since", "sources", "best source sentence", "document"],
             as_json=as_json, as_csv=as_csv, title=f"Members of {org}")


def _fact_record(f: Any) -> dict[str, Any]:
    parties = ", ".join(p["name"] for p in f.parties) if f.parties else None
    return {
        "id": f.id, "date": f.date.value if f.date else None, "type": f.type, "subtype": f.subtype,
        "subject": f.subject.name if f.subject else None, "object": parties or (f.object.name if f.object else None),
        "modality": f.modality, "n_sources": f.n_sources, "quantity": f.quantity,
        "evidence": f.evidence.text, "source": f.evidence.source or f.evidence.dataset,
    }


_FACT_COLUMNS = ["date", "type", "subject", "object", "modality", "n_sources", "evidence", "source", "id"]


@main.command()
@click.argument("actor")
@click.argument("other", required=False)
@click.option("--from", "start", metavar="DATE", help="Only facts on or after this date.")
@click.option("--to", "end", metavar="DATE", help="Only facts on or before this date.")
@click.option("--type", "types", multiple=True, help="Only facts of this claim type (repeatable).")
@db_option
@output_options
@guard
def timeline(actor: str, other: str | None, start: str | None, end: str | None, types: tuple[str, ...],
             db: str | None, as_json: bool, as_csv: bool) -> None:
    """What happened involving ACTOR (and OTHER), in date order, with evidence."""
    with open_graph(db) as graph:
        rows = graph.timeline(actor, other, start=start, end=end, types=list(types) or None)
        emit([_fact_record(f) for f in rows], columns=_FACT_COLUMNS, as_json=as_json, as_csv=as_csv,
             title=f"Timeline of {actor}" + (f" and {other}" if other else ""))


@main.command()
@click.argument("actor")
@click.option("--from", "start", metavar="DATE", required=True, help="Start date.")
@click.option("--to", "end", metavar="DATE", required=True, help="End date.")
@db_option
@output_options
@guard
def changes(actor: str, start: str, end: str, db: str | None, as_json: bool, as_csv: bool) -> None:
    """Relations ACTOR gained and lost between two dates."""
    with open_graph(db) as graph:
        ans = graph.changes(actor, start=start, end=end)
        rows = [{"change": "gained", **_rel_record(r)} for r in ans.gained]
        rows += [{"change": "lost", **_rel_record(r)} for r in ans.lost]
        emit(rows, columns=["change", "partner", "state", "since", "evidence", "source"], as_json=as_json,
             as_csv=as_csv, title=f"Changes for {ans.actor.name}, {ans.start} to {ans.end}")


@main.command()
@click.argument("actor", required=False)
@db_option
@output_options
@guard
def conflicts(actor: str | None, db: str | None, as_json: bool, as_csv: bool) -> None:
    """Contradictions between sources (about ACTOR, or all), with why they are flagged."""
    with open_graph(db) as graph:
        rows = graph.conflicts(actor)
        if as_json or as_csv:
            flat = [{"id": c.id, "kind": c.kind, "reason": c.reason, **_fact_record(f)} for c in rows for f in c.facts]
            emit(flat, columns=["id", "kind", "reason", "date", "type", "subject", "object", "quantity", "evidence", "source"],
                 as_json=as_json, as_csv=as_csv)
            return
        if not rows:
            console.print("No contradictions found.")
        for c in rows:
            console.print(f"[bold]{c.kind}[/bold] {c.id}: {c.reason}", highlight=False)
            emit([_fact_record(f) for f in c.facts], columns=["date", "type", "subject", "object", "quantity", "evidence", "source"],
                 as_json=False, as_csv=False)


@main.command()
@click.option("--actor", help="Only facts involving this actor.")
@click.option("--other", help="... and this one.")
@click.option("--type", "type_", help="Only facts of this claim type.")
@click.option("--modality", type=click.Choice(["asserted", "negated", "speculative", "planned"]))
@click.option("--limit", type=click.IntRange(min=1), default=None)
@db_option
@output_options
@guard
def facts(actor: str | None, other: str | None, type_: str | None, modality: str | None, limit: int | None,
          db: str | None, as_json: bool, as_csv: bool) -> None:
    """List facts (claims merged across documents) with their best evidence."""
    with open_graph(db) as graph:
        rows = graph.facts(actor, other, type=type_, modality=modality, limit=limit)
        emit([_fact_record(f) for f in rows], columns=_FACT_COLUMNS, as_json=as_json, as_csv=as_csv, title="Facts")


@main.command()
@click.argument("fact")
@db_option
@output_options
@guard
def evidence(fact: str, db: str | None, as_json: bool, as_csv: bool) -> None:
    """Every sentence supporting FACT (an id or id prefix from `facts`), with its document."""
    with open_graph(db) as graph:
        rows = [asdict(e) for e in graph.evidence(fact)]
        for r in rows:  # an imported claim has no document: name its dataset
            r["source"] = r["source"] or r.get("dataset")
        emit(rows, columns=["published", "source", "attributed_to", "text", "start", "end"],
             as_json=as_json, as_csv=as_csv, title=f"Evidence for {fact}")


@main.command()
@db_option
@guard
def rebuild(db: str | None) -> None:
    """Recompute facts, relation states and conflicts from the stored claims."""
    with open_graph(db) as graph:
        counts = graph.rebuild()
        click.echo(", ".join(f"{v} {k}" for k, v in counts.items()))
