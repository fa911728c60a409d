//! The data of the export feature: the `exports` rows, and the CSV they end up holding.
//!
//! An export's progress is not stored here: it is its job's, read with `orion::jobs::get`
//! next to the row.

use orion::Result;
use orion::jobs::{self, JobId, Progress, State};
use orion::store::{Sql, Tx};

use crate::todos::sql::Todo;

/// The bus topic written exports publish; the region also listens to `orion::jobs::TOPIC`.
pub const TOPIC: &str = "exports";

/// How many recent exports the page shows.
const SHOWN: i64 = 5;

/// One export, with where its job is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The row id.
    pub id: i64,
    /// When it was asked for (UTC, `YYYY-MM-DD HH:MM:SS`).
    pub requested_at: String,
    /// Its job's state.
    pub state: State,
    /// Its job's progress.
    pub progress: Progress,
    /// Why its job's last attempt failed, if it did.
    pub error: Option<String>,
    /// The finished CSV, and how many todos it holds.
    pub csv: Option<(String, i64)>,
}

orion::queries! {
    /// The most recent `limit` exports, newest first, as rows: [`recent`] adds their jobs.
    fn rows(limit) -> many struct ExportRow = "
        SELECT id, job, strftime('%Y-%m-%d %H:%M:%S', requested_at) AS \"requested_at!\", csv, rows
        FROM exports ORDER BY id DESC LIMIT :limit";

    /// The job of export `id`: `None` when the export does not exist, `Some(None)` before its
    /// job is attached.
    fn job_of(id) -> optional Option<i64> = "SELECT job FROM exports WHERE id = :id";
}

orion::queries! {
    /// Adds an export row; returns its id. Its job is attached with [`attach`] in the same
    /// transaction.
    pub fn insert() -> one i64 = "INSERT INTO exports DEFAULT VALUES RETURNING id";

    /// Records which job builds export `id` (`job` is a nullable column, so the argument is an
    /// `Option`).
    fn attach_job(id, job) -> count = "UPDATE exports SET job = :job WHERE id = :id";

    /// Stores the finished CSV of export `id` and how many todos it holds.
    fn store_csv(id, csv, rows) -> count = "UPDATE exports SET csv = :csv, rows = :rows WHERE id = :id";
}

/// The most recent exports, newest first, with their jobs read in the same snapshot.
pub fn recent(db: &impl Sql) -> Result<Vec<Export>> {
    let mut exports = Vec::new();
    for row in rows(db, SHOWN)? {
        let job = match row.job {
            Some(job) => jobs::get(db, JobId(job))?,
            None => None,
        };
        exports.push(Export {
            id: row.id,
            requested_at: row.requested_at,
            state: job.as_ref().map_or(State::Queued, |job| job.state),
            progress: job.as_ref().map(|job| job.progress).unwrap_or_default(),
            error: job.and_then(|job| job.last_error),
            csv: row.csv.zip(row.rows),
        });
    }
    Ok(exports)
}

/// Records which job builds export `id`.
pub fn attach(tx: &Tx<'_>, id: i64, job: JobId) -> Result<()> {
    attach_job(tx, id, Some(job.0))?;
    Ok(())
}

/// The job of export `id`, if the export exists and has one.
pub fn job(db: &impl Sql, id: i64) -> Result<Option<JobId>> {
    Ok(job_of(db, id)?.flatten().map(JobId))
}

/// Stores the finished CSV of export `id`.
pub fn finish(tx: &Tx<'_>, id: i64, csv: &str, rows: i64) -> Result<()> {
    store_csv(tx, id, Some(csv), Some(rows))?;
    Ok(())
}

/// The CSV header line.
pub const CSV_HEADER: &str = "id,title,done\n";

/// One todo as a CSV line (RFC 4180: the title quoted, its quotes doubled).
pub fn csv_line(todo: &Todo) -> String {
    let title = todo.title.replace('"', "\"\"");
    format!("{},\"{title}\",{}\n", todo.id, if todo.done { "yes" } else { "no" })
}
