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
    # 2: claims, extracted from documents or imported from datasets
    """
    CREATE TABLE claims (
        id VARCHAR PRIMARY KEY,
        doc_id VARCHAR,                    -- the document it was extracted from (null for datasets)
        type VARCHAR NOT NULL,
        subtype VARCHAR,
        subject_id VARCHAR,
        subject_name VARCHAR,
        subject_kind VARCHAR,
        object_id VARCHAR,
        object_name VARCHAR,
        object_kind VARCHAR,
        parties JSON,                      -- for three or more parties
        date_value VARCHAR,
        date_precision VARCHAR,
        date_text VARCHAR,
        date_start DATE,                   -- first day the date can mean
        date_end DATE,                     -- last day the date can mean
        modality VARCHAR NOT NULL,
        attributed_to VARCHAR,
        quantity_value DOUBLE,
        quantity_unit VARCHAR,
        quantity_metric VARCHAR,
        evidence_text VARCHAR,
        evidence_start INTEGER,
        evidence_end INTEGER,
        confidence DOUBLE,
        extractor VARCHAR,
        plover VARCHAR,
        cameo VARCHAR,
        source_kind VARCHAR NOT NULL,      -- extracted | dataset
        source_name VARCHAR,               -- dataset name and version
        source_record VARCHAR,             -- the dataset's record id
        created_at TIMESTAMP NOT NULL,
        fact_key VARCHAR                   -- the event it is about, dates aside (facts.merge.fact_key)
    );
    CREATE INDEX claims_doc ON claims (doc_id);
    CREATE INDEX claims_key ON claims (fact_key);
    CREATE INDEX claims_subject ON claims (subject_id);
    CREATE INDEX claims_object ON claims (object_id);
    CREATE INDEX claims_type ON claims (type);
    """,
    # 3: derived tables (facts, relation states, conflicts), rebuilt from claims at will
    """
    CREATE TABLE facts (
        id VARCHAR PRIMARY KEY,
        key VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        subtype VARCHAR,
        subject_id VARCHAR, subject_name VARCHAR, subject_kind VARCHAR,
        object_id VARCHAR, object_name VARCHAR, object_kind VARCHAR,
        parties JSON,
        date_value VARCHAR, date_precision VARCHAR, date_start DATE, date_end DATE,
        date_claim VARCHAR,
        modality VARCHAR NOT NULL,
        n_claims INTEGER, n_sources INTEGER, confidence DOUBLE,
        best_claim VARCHAR,
        quantity_value DOUBLE, quantity_unit VARCHAR, quantity_metric VARCHAR,
        source_kinds VARCHAR,              -- extracted, dataset or both
        recorded_at TIMESTAMP,             -- when diplograph first held a claim of it
        -- the best claim's evidence, copied so that answers need no join with claims
        evidence_doc VARCHAR, evidence_text VARCHAR, evidence_start INTEGER, evidence_end INTEGER,
        evidence_attributed_to VARCHAR, evidence_source_kind VARCHAR, evidence_source_name VARCHAR
    );
    CREATE INDEX facts_key ON facts (key);
    CREATE INDEX facts_subject ON facts (subject_id);
    CREATE INDEX facts_object ON facts (object_id);
    CREATE INDEX claims_subject_type ON claims (subject_id, type);
    CREATE TABLE fact_claims (fact_id VARCHAR NOT NULL, claim_id VARCHAR NOT NULL);
    CREATE INDEX fact_claims_fact ON fact_claims (fact_id);
    CREATE TABLE states (
        id VARCHAR PRIMARY KEY,
        state VARCHAR NOT NULL,            -- allied | strategic_partners | diplomatic_relations | member_of
        a_id VARCHAR NOT NULL, a_name VARCHAR, a_kind VARCHAR,
        b_id VARCHAR NOT NULL, b_name VARCHAR, b_kind VARCHAR,
        start_value VARCHAR, start_precision VARCHAR, start_day DATE, start_known BOOLEAN,
        end_value VARCHAR, end_precision VARCHAR, end_day DATE,
        fact_id VARCHAR NOT NULL, ended_by VARCHAR,
        recorded_at TIMESTAMP,
        n_sources INTEGER, confidence DOUBLE, source_kinds VARCHAR, best_claim VARCHAR,
        evidence_doc VARCHAR, evidence_text VARCHAR, evidence_start INTEGER, evidence_end INTEGER,
        evidence_attributed_to VARCHAR, evidence_source_kind VARCHAR, evidence_source_name VARCHAR
    );
    CREATE INDEX states_a ON states (a_id);
    CREATE INDEX states_b ON states (b_id);
    CREATE TABLE conflicts (
        id VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,
        reason VARCHAR NOT NULL,
        key VARCHAR,
        fact_ids JSON,
        actor_ids JSON
    );
    """,
    # 4: what is pending derivation. Writing claims records here, in the same transaction,
    # which documents' claims facts, relation states and conflicts do not yet reflect ('*':
    # all of them); deriving deletes the rows it covered. A crash between the two (even
    # kill -9) leaves the rows, and the next open finishes the work. Stores from before
    # this migration are checked once: documents with a claim that belongs to no fact.
    """
    CREATE TABLE derive_pending (doc_id VARCHAR NOT NULL);
    INSERT INTO derive_pending
        SELECT DISTINCT coalesce(c.doc_id, '*') FROM claims c
        WHERE NOT EXISTS (SELECT 1 FROM fact_claims fc WHERE fc.claim_id = c.id);
    """,
    # 5: watching feeds and pages (diplograph.watch). The sources followed and their health
    # (with the validators of conditional GET), the items already read (by guid, by URL; the
    # content itself is known by its document id), and the alerts raised, each once: the
    # key names the change, so the same change is never announced twice. (IF NOT EXISTS: a
    # store rolled back to an older schema version by hand keeps its tables.)
    """
    CREATE TABLE IF NOT EXISTS watch_sources (
        url VARCHAR PRIMARY KEY,
        kind VARCHAR,                      -- feed | page, as found on the last read
        etag VARCHAR,
        last_modified VARCHAR,
        last_checked TIMESTAMP,
        last_ok TIMESTAMP,
        status VARCHAR,                    -- ok | not_modified | failed
        problem VARCHAR,                   -- what went wrong on the last read, and what to do
        new_items INTEGER,                 -- stored by the last read
        items INTEGER                      -- stored since the source was first read
    );
    CREATE TABLE IF NOT EXISTS watch_items (
        key VARCHAR PRIMARY KEY,           -- guid:... or url:...
        source VARCHAR NOT NULL,
        doc_id VARCHAR,                    -- the document it became (or the one it duplicates)
        how VARCHAR,                       -- page | summary | duplicate
        seen_at TIMESTAMP NOT NULL
    );
    CREATE TABLE IF NOT EXISTS alerts (
        key VARCHAR PRIMARY KEY,           -- the change: kind and what it is about
        created_at TIMESTAMP NOT NULL,
        kind VARCHAR NOT NULL,
        record JSON NOT NULL               -- the alert as delivered
    );
    CREATE INDEX IF NOT EXISTS alerts_created ON alerts (created_at);
    """,
    # 6: answers at scale. As-of questions read one narrow, actor-sorted table each instead
    # of an OR over a million facts: a relation state once per actor it concerns (the row
    # as JSON, with its evidence document's name, date and title), a fact once per actor,
    # and the speculative or planned relation claims once per actor. The indexes those questions
    # used go (an ART index costs more to fill than these tables, and a scan of more than
    # 64 rows ignores it). The next open fills the new tables ('*' pending).
    """
    DROP INDEX IF EXISTS facts_subject;
    DROP INDEX IF EXISTS facts_object;
    DROP INDEX IF EXISTS states_a;
    DROP INDEX IF EXISTS states_b;
    CREATE TABLE IF NOT EXISTS actor_states (
        actor_id VARCHAR NOT NULL,         -- a_id, or b_id when it differs
        id VARCHAR NOT NULL, state VARCHAR NOT NULL, a_id VARCHAR NOT NULL, b_id VARCHAR NOT NULL,
        start_day DATE, end_day DATE, recorded_at TIMESTAMP, source_kinds VARCHAR, fact_id VARCHAR NOT NULL,
        -- the states row with its evidence document's source, title and date, as JSON: one
        -- column to read, not thirty (each costs its own decompression per row group)
        row JSON NOT NULL
    );
    CREATE TABLE IF NOT EXISTS fact_actors (
        actor_id VARCHAR NOT NULL,         -- subject, object or a party
        fact_id VARCHAR NOT NULL, key VARCHAR NOT NULL,
        date_start DATE, date_end DATE, type VARCHAR NOT NULL, modality VARCHAR NOT NULL,
        actor_ids VARCHAR[]                -- every actor of the fact
    );
    CREATE TABLE IF NOT EXISTS actor_discussed (
        actor_id VARCHAR NOT NULL,         -- the subject, or the object
        fact_key VARCHAR, type VARCHAR, doc_id VARCHAR, evidence_start INTEGER, claim_id VARCHAR NOT NULL,
        row JSON NOT NULL                  -- the claim with its evidence, as actor_states
    );
    INSERT INTO derive_pending SELECT '*' WHERE EXISTS (SELECT 1 FROM claims);
    """,
    # 7: the facts of a pair of actors (a timeline of two) in one narrow, pair-sorted table:
    # a fact once per pair of its actors (lo_id < hi_id), its row (the facts columns in
    # order, then its evidence document's source, title and date) as a JSON array. Reading
    # the wide facts rows by id cost one fetch per row and column; this is one scan of the
    # pair's few rows. The next open fills it ('*' pending).
    """
    CREATE TABLE IF NOT EXISTS pair_facts (
        lo_id VARCHAR NOT NULL,
        hi_id VARCHAR NOT NULL,
        fact_id VARCHAR NOT NULL,
        row JSON NOT NULL
    );
    INSERT INTO derive_pending SELECT '*' WHERE EXISTS (SELECT 1 FROM claims);
    """,
    # 8: one per-actor table for an as-of answer instead of two. A relations answer read
    # actor_states for what holds and actor_discussed for what is only speculated about or
    # planned: two scans, and a scan costs DuckDB about as much as the rows of an answer do
    # in Python. Both kinds of row now live in actor_answers, sorted by actor: a relation
    # state under its kind ("allied") and days, a speculative or planned claim under "?" and
    # its claim type ("?alliance"), from the first day DuckDB knows and never ending, so that
    # one filter on kind and day finds both. fact_key names the event a row comes from (an
    # incremental rebuild deletes by it). The next open fills it ('*' pending).
    """
    DROP TABLE IF EXISTS actor_states;
    DROP TABLE IF EXISTS actor_discussed;
    CREATE TABLE IF NOT EXISTS actor_answers (
        actor_id VARCHAR NOT NULL,         -- a_id, or b_id when it differs; a claim's subject or object
        kind VARCHAR NOT NULL,             -- the state, or '?' and the claim type
        start_day DATE NOT NULL, end_day DATE, recorded_at TIMESTAMP, source_kinds VARCHAR,
        a_id VARCHAR, b_id VARCHAR,        -- a state's two actors
        fact_id VARCHAR,                   -- a state's fact
        fact_key VARCHAR,                  -- the event of the fact, or of the claim
        id VARCHAR NOT NULL,               -- the state's id, or the claim's
        -- the states row or the claim, with its evidence document's source, title and date;
        -- stored as it is: decompressing the vectors an answer's rows lie in cost DuckDB
        -- 0.7 of 3.3 ms a question (at 1M claims, +140 MB on disk)
        row JSON USING COMPRESSION uncompressed NOT NULL
    );
    INSERT INTO derive_pending SELECT '*' WHERE EXISTS (SELECT 1 FROM claims);
    """,
]
