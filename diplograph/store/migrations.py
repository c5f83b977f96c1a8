"""Schema migrations, in order. Migration N brings the schema from version N-1 to N.

Derived tables (facts, relation states) are rebuilt from claims, so migrations only ever
need to preserve documents, claims and reference data. Never edit a released migration:
append a new one."""

MIGRATIONS: list[str] = [
    # 1: documents
    """
    CREATE TABLE documents (
        id VARCHAR PRIMARY KEY,            -- content hash (sha256 of the raw text, 16 hex)
        source VARCHAR NOT NULL,           -- path or URL it came from
        url VARCHAR,
        title VARCHAR,
        author VARCHAR,
        published VARCHAR,                 -- YYYY, YYYY-MM or YYYY-MM-DD
        published_precision VARCHAR,
        published_text VARCHAR,            -- the expression it was read from
        published_method VARCHAR NOT NULL, -- override | metadata | header | unknown
        format VARCHAR NOT NULL,
        raw_text VARCHAR NOT NULL,
        text VARCHAR NOT NULL,             -- cleaned text; claim offsets point into it
        extras JSON,                       -- e.g. ticker rates removed from the prose
        duplicate_of VARCHAR,              -- near-duplicate of this earlier document
        similarity DOUBLE,
        ingested_at TIMESTAMP NOT NULL
    );
    CREATE TABLE document_bands (          -- MinHash LSH bands for near-duplicate lookup
        band INTEGER NOT NULL,
        hash UBIGINT NOT NULL,
        doc_id VARCHAR NOT NULL
    );
    CREATE INDEX document_bands_lookup ON document_bands (band, hash);
    CREATE TABLE document_minhash (
        doc_id VARCHAR PRIMARY KEY,
        signature UBIGINT[] NOT NULL
    );
    """,
]
