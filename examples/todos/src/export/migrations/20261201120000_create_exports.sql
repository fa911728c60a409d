-- Exports of the todo list as CSV, each built in the background by an `export.build` job.
-- `job` is orion's job building it (read its state and progress with `orion::jobs::get`); it is
-- set in the transaction that inserts the row. `csv` and `rows` are written once, in the
-- transaction that marks the job done.
CREATE TABLE exports (
    id           INTEGER PRIMARY KEY,
    job          INTEGER,
    requested_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    csv          TEXT,
    rows         INTEGER
) STRICT;
