-- The tenant-scoped tables of the named-query ui tests: each declared with its tenant column.

-- orion: tenant notes.workspace_id
CREATE TABLE notes (
    id           INTEGER PRIMARY KEY,
    workspace_id TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    done         INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    parent_id    INTEGER,
    UNIQUE (workspace_id, id)
) STRICT;

-- orion: tenant comments.workspace_id
CREATE TABLE comments (
    id           INTEGER PRIMARY KEY,
    workspace_id TEXT    NOT NULL,
    note_id      INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    FOREIGN KEY (workspace_id, note_id) REFERENCES notes (workspace_id, id) ON DELETE CASCADE
) STRICT;

-- orion: tenant settings.workspace_id
CREATE TABLE settings (
    workspace_id TEXT NOT NULL,
    key          TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (workspace_id, key)
) STRICT;
