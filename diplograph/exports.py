"""Exports: Parquet and CSV of the tables, GraphML of the relation graph as of a date,
JSON-LD of facts with schema.org-style provenance; and re-import of our own Parquet.

A Parquet export is the interchange with distributed engines (Spark reads and writes the
same files); re-importing it into an empty store and exporting again gives identical files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from .errors import SourceError
from .store import Store

FORMATS = ("parquet", "csv", "graphml", "jsonld")
TABLES = ("documents", "claims", "facts", "fact_claims", "states", "conflicts")


def export(store: Store, fmt: str, out: Path, *, at: date | None = None) -> list[Path]:
    """Write the store in ``fmt`` under ``out`` (a folder for parquet/csv, a file otherwise)."""
    if fmt in ("parquet", "csv"):
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name in TABLES:
            table = store.table(name, at=at if name == "states" else None)
            path = out / f"{name}.{fmt}"
            if fmt == "parquet":
                import pyarrow.parquet as pq

                pq.write_table(table, path)
            else:
                import pyarrow.csv as pcsv

                pcsv.write_csv(_csv_safe(table), path)
            written.append(path)
        return written
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        _graphml(store, out, at or date.today())
    elif fmt == "jsonld":
        _jsonld(store, out)
    return [out]


def import_parquet(store: Store, folder: Path) -> dict[str, int]:
    """Load documents and claims from a Parquet export (facts and states are rebuilt).
    Each table is a file, as ``export`` writes it, or a folder of part files, as Spark
    writes it (``diplograph spark extract``)."""
    import pyarrow.parquet as pq

    counts = {}
    with store.transaction():
        for name in ("documents", "claims"):
            path = folder / f"{name}.parquet"
            if not path.exists():
                raise SourceError(str(path), "missing from the export folder",
                                  hint="point at a folder written by `diplograph export parquet` "
                                       "or `diplograph spark extract`")
            try:
                table = pq.read_table(path)
            except Exception as e:  # pyarrow raises several kinds for a bad file
                raise SourceError(str(path), f"not a readable Parquet file ({e})") from e
            counts[name] = store.load_table(name, table)
    return counts


def _csv_safe(table: Any) -> Any:
    """CSV has no lists or structs: write them as JSON text."""
    import pyarrow as pa

    cols = []
    for i, field in enumerate(table.schema):
        col = table.column(i)
        if pa.types.is_list(field.type) or pa.types.is_struct(field.type):
            col = pa.array([json.dumps(v) for v in col.to_pylist()], pa.string())
        cols.append(col)
    return pa.table(cols, names=table.column_names)


def _graphml(store: Store, out: Path, at: date) -> None:
    import networkx as nx

    g = nx.MultiGraph()
    for row in store.table("states", at=at).to_pylist():
        for prefix in ("a", "b"):
            g.add_node(row[f"{prefix}_id"], label=row[f"{prefix}_name"] or row[f"{prefix}_id"], kind=row[f"{prefix}_kind"] or "")
        g.add_edge(row["a_id"], row["b_id"], key=row["id"], relation=row["state"],
                   since=row["start_value"] or "", fact=row["fact_id"])
    g.graph["as_of"] = at.isoformat()
    nx.write_graphml(g, out)


def _jsonld(store: Store, out: Path) -> None:
    facts = store.table("facts").to_pylist()
    graph = []
    for f in facts:
        evidence = store.evidence(f["id"])
        node: dict[str, Any] = {
            "@id": f"urn:diplograph:fact:{f['id']}",
            "@type": "dg:Fact",
            "dg:type": f["type"],
            "dg:modality": f["modality"],
            "agent": _actor(f, "subject"),
            "participant": [p for p in [_actor(f, "object")] if p] + json.loads(f["parties"] or "[]"),
            "startDate": f["date_value"],
            "dg:corroboration": f["n_sources"],
            "citation": [_citation(e) for e in evidence],
        }
        if f["subtype"]:
            node["dg:subtype"] = f["subtype"]
        if f["quantity_value"] is not None:
            node["dg:quantity"] = {"@type": "QuantitativeValue", "value": f["quantity_value"],
                                   "unitText": f["quantity_unit"], "name": f["quantity_metric"]}
        graph.append(node)
    doc = {
        "@context": {"@vocab": "https://schema.org/", "dg": "urn:diplograph:vocab:"},
        "@graph": graph,
    }
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def _actor(row: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    if not row.get(f"{prefix}_id"):
        return None
    kind = row.get(f"{prefix}_kind")
    return {"@id": f"urn:diplograph:actor:{row[f'{prefix}_id']}",
            "@type": "Country" if kind == "state" else "Organization", "name": row.get(f"{prefix}_name")}


def _citation(e: dict[str, Any]) -> dict[str, Any]:
    if e.get("source_kind") == "dataset":
        return {"@type": "Dataset", "name": e.get("source_name"), "identifier": e.get("source_record")}
    return {
        "@type": "NewsArticle",
        "identifier": e.get("evidence_doc"),
        "url": e.get("evidence_source"),
        "headline": e.get("evidence_title"),
        "datePublished": e.get("evidence_published"),
        "dg:evidence": {"text": e.get("evidence_text"), "start": e.get("evidence_start"), "end": e.get("evidence_end")},
        "dg:attributedTo": e.get("attributed_to"),
        "dg:claim": e.get("claim_id"),
    }
