//! Finding migrations: every `migrations/` folder under the source folder, one global order.
//!
//! See the [crate documentation](crate) for the layout. Discovery never stops at the first
//! problem: it walks everything and reports every misnamed file, stray folder, duplicate and
//! unreadable folder together.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The name of the folder that holds a feature's migrations.
const MIGRATIONS_DIR: &str = "migrations";

/// An example of a well-formed migration file name, shown in error messages.
const EXAMPLE_NAME: &str = "20261121120000_create_todos.sql";

/// One migration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFile {
    /// The file name, e.g. `20261121120000_create_todos.sql`: the order and the key a
    /// database records the migration under.
    pub name: String,
    /// Where the file is (the source folder joined with its path below it).
    pub path: PathBuf,
}

/// Everything wrong with the migration folders, one [`Problem`] per line when displayed.
#[derive(Debug)]
pub struct DiscoverError {
    problems: Vec<Problem>,
}

/// One thing wrong with the migration folders.
#[derive(Debug)]
#[non_exhaustive]
pub enum Problem {
    /// A file in a `migrations/` folder whose name is not `<timestamp>_<snake_case_name>.sql`.
    BadName {
        /// The file.
        path: PathBuf,
    },
    /// A folder inside a `migrations/` folder; migrations are files directly inside it.
    NestedFolder {
        /// The folder.
        path: PathBuf,
    },
    /// Two migrations with the same file name (in different features).
    Duplicate {
        /// The file name they share.
        name: String,
        /// The first one, in path order.
        first: PathBuf,
        /// The other one.
        second: PathBuf,
    },
    /// A folder that could not be listed.
    Unreadable {
        /// The folder.
        path: PathBuf,
        /// Why.
        error: io::Error,
    },
}

/// Finds every migration under `src_dir`, ordered by file name (that is, by timestamp).
///
/// A migration is a `*.sql` file directly inside a folder named `migrations`, at any depth.
/// Fails with every problem found: a misnamed file or a folder inside `migrations/`, the same
/// file name in two features, a folder that cannot be read.
pub fn discover(src_dir: &Path) -> Result<Vec<MigrationFile>, DiscoverError> {
    let mut found = Found::default();
    found.walk(src_dir);
    let Found { mut files, mut problems } = found;
    files.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.path.cmp(&b.path)));
    for pair in files.windows(2) {
        if pair[0].name == pair[1].name {
            problems.push(Problem::Duplicate {
                name: pair[1].name.clone(),
                first: pair[0].path.clone(),
                second: pair[1].path.clone(),
            });
        }
    }
    if problems.is_empty() { Ok(files) } else { Err(DiscoverError { problems }) }
}

/// What the walk has found so far.
#[derive(Default)]
struct Found {
    files: Vec<MigrationFile>,
    problems: Vec<Problem>,
}

impl Found {
    /// Looks for `migrations/` folders in `dir` and below. Symbolic links to folders are not
    /// followed, so a link cycle cannot make the walk endless.
    fn walk(&mut self, dir: &Path) {
        for entry in self.entries(dir) {
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if !is_dir {
                continue;
            }
            let path = entry.path();
            if entry.file_name() == MIGRATIONS_DIR {
                self.collect(&path);
            } else {
                self.walk(&path);
            }
        }
    }

    /// Takes the migrations in one `migrations/` folder; everything else in it is a problem.
    fn collect(&mut self, dir: &Path) {
        for entry in self.entries(dir) {
            let path = entry.path();
            if path.is_dir() {
                self.problems.push(Problem::NestedFolder { path });
                continue;
            }
            match entry.file_name().to_str() {
                Some(name) if is_migration_name(name) => self.files.push(MigrationFile { name: name.to_owned(), path }),
                _ => self.problems.push(Problem::BadName { path }),
            }
        }
    }

    /// The entries of `dir`, in file-name order (so problems come out in a stable order).
    fn entries(&mut self, dir: &Path) -> Vec<fs::DirEntry> {
        let listed = fs::read_dir(dir).and_then(|entries| entries.collect::<io::Result<Vec<_>>>());
        match listed {
            Ok(mut entries) => {
                entries.sort_by_key(|entry| entry.file_name());
                entries
            }
            Err(error) => {
                self.problems.push(Problem::Unreadable { path: dir.to_path_buf(), error });
                Vec::new()
            }
        }
    }
}

/// Whether `name` is `<YYYYMMDDHHMMSS>_<snake_case_name>.sql`.
fn is_migration_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".sql") else {
        return false;
    };
    let Some((timestamp, rest)) = stem.split_once('_') else {
        return false;
    };
    is_timestamp(timestamp) && is_snake_case(rest)
}

/// Whether `s` is a 14-digit `YYYYMMDDHHMMSS` with a plausible month, day and time of day.
fn is_timestamp(s: &str) -> bool {
    if s.len() != 14 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let field = |range: std::ops::Range<usize>| s[range].parse::<u32>().unwrap_or(u32::MAX);
    (1..=12).contains(&field(4..6))
        && (1..=31).contains(&field(6..8))
        && field(8..10) <= 23
        && field(10..12) <= 59
        && field(12..14) <= 59
}

/// Whether `s` is lowercase words of letters and digits joined by single underscores.
fn is_snake_case(s: &str) -> bool {
    s.split('_').all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

impl DiscoverError {
    /// Every problem found, in the order found (duplicates last).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Every problem found, owned.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

impl fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_lines(f, &self.problems)
    }
}

impl std::error::Error for DiscoverError {}

/// Writes each item on a line of its own, for errors that hold several problems.
pub(crate) fn write_lines<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str("\n")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::BadName { path } => write!(
                f,
                "`{}` is not named like a migration: rename it to \
                 `<YYYYMMDDHHMMSS>_<snake_case_name>.sql` (a 14-digit UTC timestamp), \
                 e.g. `{EXAMPLE_NAME}`, or move it out of `{MIGRATIONS_DIR}/`",
                path.display()
            ),
            Problem::NestedFolder { path } => write!(
                f,
                "`{}` is a folder inside `{MIGRATIONS_DIR}/`: put migrations directly in \
                 `{MIGRATIONS_DIR}/`, named like `{EXAMPLE_NAME}`",
                path.display()
            ),
            Problem::Duplicate { name, first, second } => write!(
                f,
                "migration `{name}` exists twice, `{}` and `{}`: give one of them a new \
                 timestamp (a database records migrations by file name)",
                first.display(),
                second.display()
            ),
            Problem::Unreadable { path, error } => {
                write!(f, "cannot read `{}`: {error}: check that the folder exists and is readable", path.display())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Discovery on real folders in the system temp dir.

    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::{MigrationFile, Problem, discover};

    /// A fresh folder, deleted when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> TempDir {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let path = std::env::temp_dir().join(format!(
                "orion-sql-check-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            TempDir(path)
        }

        /// Creates `files` (paths relative to the folder; a trailing `/` makes a folder).
        fn with(files: &[&str]) -> TempDir {
            let dir = TempDir::new();
            for file in files {
                let path = dir.0.join(file);
                if file.ends_with('/') {
                    std::fs::create_dir_all(&path).unwrap();
                } else {
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(&path, "SELECT 1;").unwrap();
                }
            }
            dir
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Discovers under a folder holding `files` and compares the names and relative paths.
    fn check(files: &[&str], expected: &[&str]) {
        let dir = TempDir::with(files);
        let found = discover(&dir.0).unwrap();
        let relative: Vec<String> = found
            .iter()
            .map(|MigrationFile { name, path }| {
                let relative = path.strip_prefix(&dir.0).unwrap();
                assert_eq!(relative.file_name().unwrap().to_str(), Some(name.as_str()));
                relative.to_str().unwrap().replace('\\', "/")
            })
            .collect();
        assert_eq!(relative, expected);
    }

    /// Discovers under a folder holding `files` and compares the error, with the folder's
    /// path written as `$SRC`.
    fn check_error(files: &[&str], expected: &str) {
        let dir = TempDir::with(files);
        let error = discover(&dir.0).unwrap_err();
        let shown = error.to_string().replace(dir.0.to_str().unwrap(), "$SRC").replace('\\', "/");
        assert_eq!(shown, expected);
    }

    #[test]
    fn migrations_of_every_feature_are_ordered_by_timestamp() {
        check(
            &[
                "todos/migrations/20261121120000_create_todos.sql",
                "todos/migrations/20261123093000_add_due_date.sql",
                "todos/sql.rs",
                "users/migrations/20261120080000_create_users.sql",
                "admin/audit/migrations/20261122000000_create_audit_log.sql",
                "lib.rs",
            ],
            &[
                "users/migrations/20261120080000_create_users.sql",
                "todos/migrations/20261121120000_create_todos.sql",
                "admin/audit/migrations/20261122000000_create_audit_log.sql",
                "todos/migrations/20261123093000_add_due_date.sql",
            ],
        );
    }

    #[test]
    fn a_top_level_migrations_folder_counts_too() {
        check(
            &["migrations/20261121120000_init.sql", "todos/migrations/20261121120001_todos.sql"],
            &["migrations/20261121120000_init.sql", "todos/migrations/20261121120001_todos.sql"],
        );
    }

    #[test]
    fn sql_files_outside_migrations_folders_are_not_migrations() {
        check(
            &[
                "todos/queries/20261121120000_list.sql",
                "todos/20261121120000_create_todos.sql",
                "todos/migrations_old/20261121120000_create_todos.sql",
            ],
            &[],
        );
    }

    #[test]
    fn no_migrations_is_an_empty_list() {
        check(&["lib.rs", "todos/"], &[]);
    }

    #[test]
    fn every_misnamed_file_is_reported_with_the_expected_form() {
        let expected = |path: &str| {
            format!(
                "`$SRC/todos/migrations/{path}` is not named like a migration: rename it to \
                 `<YYYYMMDDHHMMSS>_<snake_case_name>.sql` (a 14-digit UTC timestamp), \
                 e.g. `20261121120000_create_todos.sql`, or move it out of `migrations/`"
            )
        };
        // In file-name order, the order they are reported in.
        let bad = [
            "20261121120000.sql",
            "20261121120000_CreateTodos.sql",
            "20261121120000_create__todos.sql",
            "20261121120000_create_todos.SQL",
            "20261121120000_create_todos_.sql",
            "2026112112000_short_timestamp.sql",
            "20261121126000_minute_sixty.sql",
            "20261321120000_month_thirteen.sql",
            "README.md",
            "create_todos.sql",
        ];
        let mut files: Vec<String> = bad.iter().map(|f| format!("todos/migrations/{f}")).collect();
        files.push("todos/migrations/20261121120000_create_todos.sql".to_string());
        let files: Vec<&str> = files.iter().map(String::as_str).collect();
        let lines: Vec<String> = bad.iter().map(|f| expected(f)).collect();
        check_error(&files, &lines.join("\n"));
    }

    #[test]
    fn a_folder_inside_migrations_is_reported() {
        check_error(
            &["todos/migrations/old/20261121120000_create_todos.sql"],
            "`$SRC/todos/migrations/old` is a folder inside `migrations/`: put migrations \
             directly in `migrations/`, named like `20261121120000_create_todos.sql`",
        );
    }

    #[test]
    fn the_same_file_name_in_two_features_names_both() {
        check_error(
            &["todos/migrations/20261121120000_create_tables.sql", "users/migrations/20261121120000_create_tables.sql"],
            "migration `20261121120000_create_tables.sql` exists twice, \
             `$SRC/todos/migrations/20261121120000_create_tables.sql` and \
             `$SRC/users/migrations/20261121120000_create_tables.sql`: give one of them a \
             new timestamp (a database records migrations by file name)",
        );
    }

    #[test]
    fn all_problems_are_reported_together_one_per_line() {
        let dir = TempDir::with(&[
            "a/migrations/20261121120000_same.sql",
            "a/migrations/notes.txt",
            "b/migrations/20261121120000_same.sql",
            "b/migrations/nested/",
        ]);
        let error = discover(&dir.0).unwrap_err();
        let kinds: Vec<&str> = error
            .problems()
            .iter()
            .map(|problem| match problem {
                Problem::BadName { .. } => "bad name",
                Problem::NestedFolder { .. } => "nested folder",
                Problem::Duplicate { .. } => "duplicate",
                Problem::Unreadable { .. } => "unreadable",
            })
            .collect();
        assert_eq!(kinds, ["bad name", "nested folder", "duplicate"]);
        assert_eq!(error.to_string().lines().count(), 3);
    }

    #[test]
    fn a_missing_source_folder_is_reported() {
        let dir = TempDir::new();
        let missing: &Path = &dir.0.join("src");
        let error = discover(missing).unwrap_err();
        assert!(matches!(error.problems(), [Problem::Unreadable { path, .. }] if path == missing), "{error:?}");
        assert!(error.to_string().starts_with("cannot read `"), "{error}");
    }
}
