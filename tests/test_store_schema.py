from __future__ import annotations

import duckdb
import pytest

from diplograph.errors import DocumentNotFound, StoreError
from diplograph.models import Document, PartialDate
from diplograph.store import SCHEMA_VERSION, Store


def _doc(i: int) -> Document:
    return Document(id=f"doc{i:013d}", source=f"s{i}.txt", raw_text=f"raw {i}", text=f"text {i}",
                    published=PartialDate("2025-03", "month", "March 2025"), published_method="header")


def test_store_creates_schema_on_first_use(db_path):
    with Store.open(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.count_documents() == 0
    assert db_path.exists()


def test_store_refuses_a_newer_schema(db_path):
    Store.open(db_path).close()
    con = duckdb.connect(str(db_path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 5)])
    con.close()
    with pytest.raises(StoreError, match="newer than this diplograph"):
        Store.open(db_path)


def test_store_document_round_trip_and_prefix_lookup(fresh_store):
    with fresh_store.transaction():
        fresh_store.add_document(_doc(1))
    got = fresh_store.document("doc00000")
    assert (got.text, got.raw_text, got.published) == ("text 1", "raw 1", PartialDate("2025-03", "month", "March 2025"))
    assert [d.id for d in fresh_store.documents()] == ["doc0000000000001"]
    with pytest.raises(DocumentNotFound, match="'missing'"):
        fresh_store.document("missing")


def test_store_transaction_rolls_back_on_error(fresh_store):
    with fresh_store.transaction():
        fresh_store.add_document(_doc(1))
    with pytest.raises(RuntimeError):
        with fresh_store.transaction():
            fresh_store.add_document(_doc(2))
            raise RuntimeError("crash mid-document")
    assert [d.id for d in fresh_store.documents()] == ["doc0000000000001"]


def test_store_rejects_a_folder_as_db(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)


@pytest.mark.parametrize("text,value,precision", [
    ("2025", "2025", "year"), ("2025-03", "2025-03", "month"), ("2025-03-06", "2025-03-06", "day"),
    ("2023-01/2023-02", "2023-01/2023-02", "interval"),
])
def test_models_partial_date_parse(text, value, precision):
    d = PartialDate.parse(text)
    assert (d.value, d.precision) == (value, precision)


@pytest.mark.parametrize("bad", ["2025-13", "2025-02-30", "March", "25-03-06"])
def test_models_partial_date_parse_rejects(bad):
    with pytest.raises(ValueError, match=repr(bad)):
        PartialDate.parse(bad)
