-- The notes of a workspace. Tenant-scoped: every row carries its workspace's key in
-- `workspace_id`, in both tenancy models (under db-per-tenant the column is redundant, and it
-- lets the same SQL run in either). The directive below declares it so: every named query on
-- `notes` must then be `#[tenant_scoped]` and constrain it to `:tenant`, or it does not compile.

-- orion: tenant notes.workspace_id
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    body TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1))
) STRICT;

CREATE INDEX notes_by_workspace ON notes (workspace_id, id);
