-- The global tables of the named-query ui tests (`tests/queries/`).
CREATE TABLE todos (
    id         INTEGER PRIMARY KEY,
    title      TEXT    NOT NULL,
    done       INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    due        TEXT,
    score      REAL,
    data       BLOB,
    meta       ANY,
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE plans (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
) STRICT;
