-- Views and a trigger over the tenant-scoped tables of the named-query ui tests: what a query
-- reaches without naming it.

-- A keyed view: it passes `notes` rows through one by one and keeps their tenant column, so a
-- query scopes it like the table, with `workspace_id = :tenant`.
CREATE VIEW open_notes AS SELECT id, workspace_id, body FROM notes WHERE done = 0;

-- A view that drops the tenant column: no query through it can be proven scoped.
CREATE VIEW note_bodies AS SELECT id, body FROM notes;

-- orion: tenant labels.workspace_id
CREATE TABLE labels (
    id           INTEGER PRIMARY KEY,
    workspace_id TEXT    NOT NULL,
    name         TEXT    NOT NULL
) STRICT;

-- A trigger that forgets the triggering row's tenant: deleting one tenant's label deletes the
-- notes of that name in every tenant (it should say `AND workspace_id = OLD.workspace_id`).
-- Only `tests/queries/fail/tenancy_trigger.rs` writes `labels`.
CREATE TRIGGER labels_cleanup AFTER DELETE ON labels BEGIN
    DELETE FROM notes WHERE body = OLD.name;
END;
