//! The `orion-sql-check` command: checks SQL files against an app's migrations.
//!
//! ```text
//! orion-sql-check --migrations DIR FILE.sql...
//! ```
//!
//! `DIR` is searched for migrations as `orion::migrations!()` does (every `migrations/`
//! folder under it). Each file holds one statement, checked like a named query and then for
//! tenancy (every occurrence of a table the migrations declare tenant-scoped constrained to
//! `:tenant`). One line per file: `FILE: ok`, or `FILE:LINE:COL: error[schema]: …` /
//! `FILE:LINE:COL: error[tenancy]: …` for each problem; the exit code is 1 when any file has
//! a problem, 2 when the command line or the migrations are wrong. Arguments are parsed by
//! hand to keep the crate's dependencies to rusqlite.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use orion_sql_check::{Diagnostic, DiagnosticKind, Schema, check, tenancy};

const USAGE: &str = "usage: orion-sql-check --migrations DIR FILE.sql...";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!(
            "{USAGE}\n\nEach file holds one statement. Prints `FILE: ok`, or one `error[schema]` or `error[tenancy]` line\nper problem; exits 1 when a file has a problem, 2 when the command line or the migrations are wrong."
        );
        return ExitCode::SUCCESS;
    }
    let (dir, files) = match parse_args(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let schema = match Schema::load(&dir) {
        Ok(schema) => schema,
        Err(error) => {
            for line in error.to_string().lines() {
                println!("error[schema]: {line}");
            }
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for file in &files {
        let shown = file.display();
        let sql = match std::fs::read_to_string(file) {
            Ok(sql) => sql,
            Err(error) => {
                println!("{shown}: error[schema]: cannot read the file: {error}");
                failed = true;
                continue;
            }
        };
        // A query that does not check cannot be proven scoped: its tenancy is checked after.
        let problems = match check(&schema, &sql) {
            Ok(_) => tenancy::check(&schema, &sql).err().unwrap_or_default(),
            Err(problems) => problems,
        };
        if problems.is_empty() {
            println!("{shown}: ok");
            continue;
        }
        failed = true;
        for problem in &problems {
            let kind = if problem.kind == DiagnosticKind::Tenancy { "tenancy" } else { "schema" };
            println!("{shown}{}: error[{kind}]: {problem}", location(&sql, problem));
        }
    }
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// `--migrations DIR` (anywhere) and the files.
fn parse_args(args: &[String]) -> Result<(PathBuf, Vec<PathBuf>), String> {
    let mut dir = None;
    let mut files = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--migrations" => {
                let value = args.next().ok_or("`--migrations` needs a folder: `--migrations src`")?;
                dir = Some(PathBuf::from(value));
            }
            other if other.starts_with("--migrations=") => dir = Some(PathBuf::from(&other["--migrations=".len()..])),
            other if other.starts_with('-') && other != "-" => {
                return Err(format!("unknown option `{other}`: the only option is `--migrations DIR`"));
            }
            file => files.push(PathBuf::from(file)),
        }
    }
    let dir = dir.ok_or("missing `--migrations DIR`: name the folder to search for `migrations/` folders")?;
    if !Path::new(&dir).is_dir() {
        return Err(format!(
            "`{}` is not a folder: `--migrations` takes the folder holding the migrations",
            dir.display()
        ));
    }
    if files.is_empty() {
        return Err("no SQL files given: name one or more files, each holding one statement".to_owned());
    }
    Ok((dir, files))
}

/// `:LINE:COL` of the problem's start, when it has a place.
fn location(sql: &str, problem: &Diagnostic) -> String {
    let Some(span) = problem.span else { return String::new() };
    let before = &sql[..span.start.min(sql.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!(":{line}:{column}")
}
