//! Unit tests: rows into tuples, and migration checksums.

use std::fmt::Debug;

use rusqlite::Connection;

use super::migrate::checksum;
use super::{FromRow, sql};

/// Reads the first row of `select` (run on an in-memory database) as `T` and compares it.
fn check<T: FromRow + PartialEq + Debug>(select: &str, expected: T) {
    let conn = Connection::open_in_memory().unwrap();
    let row: Option<T> = sql::query_one(&conn, select, ()).unwrap();
    assert_eq!(row, Some(expected), "{select}");
}

/// The error message of reading the first row of `select` as `T`.
fn check_error<T: FromRow + Debug>(select: &str, expected: &str) {
    let conn = Connection::open_in_memory().unwrap();
    let error = sql::query_one::<T>(&conn, select, ()).unwrap_err();
    assert_eq!(error.message(), expected, "{select}");
}

#[test]
fn a_single_column_is_a_one_tuple() {
    check("SELECT 42", (42_i64,));
    check("SELECT 'milk'", ("milk".to_string(),));
}

#[test]
fn tuples_read_columns_in_order_with_their_own_types() {
    check(
        "SELECT 1, 'milk', 1.5, x'00ff', NULL, 1",
        (1_i64, "milk".to_string(), 1.5_f64, vec![0_u8, 255], None::<String>, true),
    );
}

#[test]
fn eight_columns_is_the_largest_tuple() {
    check("SELECT 1, 2, 3, 4, 5, 6, 7, 8", (1_i64, 2_i64, 3_i64, 4_i64, 5_i64, 6_i64, 7_i64, 8_i64));
}

#[test]
fn a_tuple_must_match_the_number_of_columns() {
    check_error::<(i64,)>(
        "SELECT 1, 2",
        "the query returns 2 columns but the row tuple has 1 fields: select one column per field",
    );
    check_error::<(i64, i64, i64)>(
        "SELECT 1, 2",
        "the query returns 2 columns but the row tuple has 3 fields: select one column per field",
    );
}

#[test]
fn a_column_of_the_wrong_type_is_an_error() {
    check_error::<(i64,)>("SELECT 'milk'", "Invalid column type Text at index: 0, name: 'milk'");
}

#[test]
fn query_one_of_no_rows_is_none() {
    let conn = Connection::open_in_memory().unwrap();
    let row: Option<(i64,)> = sql::query_one(&conn, "SELECT 1 WHERE 0", ()).unwrap();
    assert_eq!(row, None);
}

#[test]
fn query_reads_every_row() {
    let conn = Connection::open_in_memory().unwrap();
    let rows: Vec<(i64,)> = sql::query(&conn, "SELECT value FROM json_each('[3,1,2]')", ()).unwrap();
    assert_eq!(rows, [(3,), (1,), (2,)]);
}

#[test]
fn a_migration_checksum_is_the_sha256_of_its_text_in_lowercase_hex() {
    assert_eq!(checksum(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_eq!(checksum("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
