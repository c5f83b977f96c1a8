"""Bad input: each gets one line naming the file (and line) and what to do; the batch
goes on, and documents stored before are intact."""

from __future__ import annotations

import re

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from diplograph import Graph
from diplograph.cli import main
from diplograph.errors import SourceError

GOOD_1 = ("Kenya and Ethiopia signed an agreement on cross-border electricity trade in Nairobi on Tuesday, "
          "the two energy ministries said in a joint statement.\n")
GOOD_2 = ("Ghana and Togo agreed to build a new border post at Aflao, their foreign ministers said after "
          "talks in Accra on Thursday.\n")


def _bad_inputs(d: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path, the message expected after the path)."""
    files = {
        "binary": ("scan.dat", b"DATA\x00\x01\x02\x03" * 50,
                   "is a binary file (it contains NUL bytes), not text (give text, Markdown, HTML, JSON Lines or feed files)"),
        "pdf": ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
                "is a PDF, not text (convert it to text first, e.g. pdftotext FILE.pdf FILE.txt)"),
        "empty": ("empty.txt", b"", "is empty (remove it or give it content)"),
        "blank": ("blank.md", b"  \n\n\t\n", "is empty (whitespace only) (remove it or give it content)"),
        "undecodable": ("garbled.txt", random.Random(3).randbytes(1500).replace(b"\x00", b"\x01"),
                        "cannot be decoded: not UTF-8, and no other text encoding fits "
                        "(convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 FILE)"),
        "too_big": ("huge.txt", (GOOD_1 * 40).encode(),
                    f"is {len(GOOD_1) * 40:,} bytes, over the 2,000 bytes limit (split it, or raise the max_bytes setting: DIPLOGRAPH_MAX_BYTES)"),
        "html_without_text": ("menu.html", b"<html><body><nav><a href='/'>Home</a> <a href='/w'>Menu</a></nav></body></html>",
                              "no readable text in this HTML (is it a page of navigation only? Save the article page itself)"),
        "feed_not_xml": ("news.rss", b"Headlines of the week: not XML at all {",
                         "not a readable RSS or Atom feed: not well-formed XML "
                         "(check that the file is the feed's XML; rename other text to .txt or .html)"),
    }
    out = {}
    for name, (fname, data, msg) in files.items():
        p = d / fname
        p.write_bytes(data)
        out[name] = (p, msg)
    out["missing"] = (d / "no-such-article.txt", "no such file or folder (check the path)")
    return out


BAD = ["binary", "pdf", "empty", "blank", "undecodable", "too_big", "html_without_text", "feed_not_xml", "missing"]


@pytest.mark.parametrize("case", BAD)
def test_documents_bad_input_is_one_clear_error_and_the_batch_goes_on(tmp_path, case):
    (tmp_path / "in").mkdir()
    bad, msg = _bad_inputs(tmp_path / "in")[case]
    first, last = tmp_path / "first.txt", tmp_path / "last.txt"
    first.write_text(GOOD_1)
    last.write_text(GOOD_2)
    with Graph.open(tmp_path / "s.duckdb", max_bytes=2000) as g:
        before = g.ingest([first])
        stored = g.document(before.ingested[0].id)
        report = g.ingest([bad, last])
        assert [str(e) for e in report.failed] == [f"{bad}: {msg}"]
        assert len(report.ingested) == 1 and report.ingested[0].source == str(last)
        again = g.document(stored.id)  # earlier documents are intact
        assert (again.text, again.raw_text, again.source) == (stored.text, stored.raw_text, stored.source)
        assert g.store.count_documents() == 2


def test_documents_malformed_jsonl_line_names_file_and_line(tmp_path):
    f = tmp_path / "wire.jsonl"
    lines = [
        json.dumps({"title": "Rwanda and Burundi reopen border", "text": GOOD_1}),
        '{"title": "Broken record", "text": "Senegal and Gambia',  # cut off
        json.dumps({"title": "Ghana and Togo", "text": GOOD_2}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "No text here", "url": "https://example.org/x"}),
        json.dumps({"text": GOOD_1.replace("Kenya", "Uganda"), "published": "sometime soon"}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Graph.open(tmp_path / "s.duckdb") as g:
        report = g.ingest([f])
    assert [str(e) for e in report.failed] == [
        f"{f}:2: not valid JSON (Unterminated string starting at column 36) (fix or remove this line; the other lines were read)",
        f"{f}:4: a JSON list, not an object (each line must be an object like {{\"text\": ..., \"title\": ...}})",
        f"{f}:5: no article text in this record (give the text in one of the fields text, content, body, article, html, raw_html, content_html)",
        f"{f}:6: 'published' is not a date: 'sometime soon' (use YYYY-MM-DD (or YYYY-MM, YYYY), or drop the field)",
    ]
    assert [e.line for e in report.failed] == [2, 4, 5, 6]
    assert [d.source for d in report.ingested] == [f"{f}:1", f"{f}:3"]


def test_documents_jsonl_record_limit_is_per_line(tmp_path):
    f = tmp_path / "big.jsonl"
    f.write_text(json.dumps({"text": GOOD_1}) + "\n" + json.dumps({"text": GOOD_2 * 50}) + "\n")
    with Graph.open(tmp_path / "s.duckdb", max_bytes=1000) as g:
        report = g.ingest([f])
    assert len(report.ingested) == 1
    [err] = report.failed
    assert (err.source, err.line) == (str(f), 2) and "over the 1,000 bytes limit" in err.problem


def test_documents_source_error_message_shape():
    e = SourceError("a/b.jsonl", "not valid JSON", line=7, hint="fix it")
    assert str(e) == "a/b.jsonl:7: not valid JSON (fix it)"


# -- the CLI --------------------------------------------------------------------------


def _cli(args: list[str], **kw):
    return CliRunner().invoke(main, args, catch_exceptions=False, **kw)


def test_documents_cli_prints_each_failure_and_exits_1(tmp_path):
    good, empty = tmp_path / "good.txt", tmp_path / "empty.txt"
    good.write_text(GOOD_1)
    empty.write_bytes(b"")
    db = str(tmp_path / "s.duckdb")
    result = _cli(["ingest", "--db", db, str(good), str(empty), str(tmp_path / "gone.txt")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"failed: {empty}: is empty (remove it or give it content)",
        f"failed: {tmp_path / 'gone.txt'}: no such file or folder (check the path)",
    ]
    assert re.fullmatch(rf"1 ingested, 0 near-duplicate, 0 already stored, 2 failed; \d+ claims  ->  {re.escape(str(db))}",
                        result.stdout.splitlines()[-1])


def test_documents_cli_summary_counts_duplicates_and_exits_0(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(GOOD_1)
    b.write_text(GOOD_1)  # the same content under another name
    db = str(tmp_path / "s.duckdb")
    result = _cli(["ingest", "--db", db, str(a), str(b)])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"1 ingested, 0 near-duplicate, 1 already stored, 0 failed; \d+ claims  ->  {re.escape(str(db))}",
                        result.stdout.splitlines()[-1])
    result = _cli(["ingest", "--db", db, "--json", str(a)])
    events = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(e["event"], e.get("source")) for e in events] == [("duplicate", str(a)), ("summary", None)]
    assert events[-1] == {"event": "summary", "ingested": 0, "near_duplicates": 0, "duplicates": 1, "failed": 0, "claims": 0}


def test_documents_cli_stdin_docs_and_show(tmp_path):
    db = str(tmp_path / "s.duckdb")
    text = "Monday, 3 March 2025\n\nBotswana and Namibia open a joint border post\n\nBy Thabo Mokoena\n\n" + GOOD_2
    result = _cli(["ingest", "--db", db, "--json", "-"], input=text.encode())
    assert result.exit_code == 0, result.output
    rec = json.loads(result.stdout.splitlines()[0])
    assert (rec["event"], rec["source"], rec["title"], rec["author"]) == (
        "ingested", "<stdin>", "Botswana and Namibia open a joint border post", "Thabo Mokoena")
    assert rec["published"] == {"value": "2025-03-03", "precision": "day", "text": "Monday, 3 March 2025"}
    listed = [json.loads(x) for x in _cli(["docs", "--db", db, "--json"]).stdout.splitlines()]
    assert [(d["id"], d["published"]) for d in listed] == [(rec["id"], "2025-03-03")]
    shown = _cli(["show", "--db", db, rec["id"][:8]]).stdout
    assert shown == "Botswana and Namibia open a joint border post\n\n" + GOOD_2
    raw = _cli(["show", "--db", db, "--raw", rec["id"]]).stdout
    assert raw == text + "\n"


def test_documents_cli_bad_published_option(tmp_path):
    result = CliRunner().invoke(main, ["ingest", "--db", str(tmp_path / "s.duckdb"), "--published", "6 March", "x.txt"])
    assert result.exit_code == 2
    assert "Invalid value for '--published': '6 March' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD" in result.stderr


def test_documents_store_inside_the_ingested_folder_is_named(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD_1)
    db = tmp_path / "store.duckdb"
    Graph.open(db).close()  # creates the store file
    with Graph.open(tmp_path / "other.duckdb") as g:
        report = g.ingest([tmp_path / "a.txt", db])
    assert [str(e) for e in report.failed] == [
        f"{db}: is a DuckDB database (a diplograph store?), not an article (keep the store outside the folders you ingest)"]


def test_documents_page_of_furniture_only_is_an_error(tmp_path):
    f = tmp_path / "menu.txt"
    f.write_text("Home\nNewsletter\nRelated News\nAstana hosts forum\nSidebar\n")
    with Graph.open(tmp_path / "s.duckdb") as g:
        report = g.ingest([f])
    assert [str(e) for e in report.failed] == [
        f"{f}: no article text left once page furniture is removed "
        "(check that it holds an article, not just a menu or a list of links)"]
