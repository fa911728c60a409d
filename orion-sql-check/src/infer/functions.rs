//! SQLite's built-in functions: what they return, when they can return NULL, and what type
//! their arguments are. A function not listed here (an app's own) has an unknown, nullable
//! result, so a query must annotate it.

use super::{OutColumn, Value};
use crate::sql::{FunctionCall, Over, Span};
use crate::types::SqlType;

use SqlType::{Blob, Bool, Integer, Real, Text};

/// Whether `name` with `args` arguments is an aggregate (`min`/`max` are scalar with two or
/// more).
pub(super) fn is_aggregate(name: &str, args: usize) -> bool {
    let name = name.to_ascii_lowercase();
    match name.as_str() {
        "count" | "sum" | "total" | "avg" | "group_concat" | "string_agg" | "json_group_array"
        | "jsonb_group_array" | "json_group_object" | "jsonb_group_object" => true,
        "min" | "max" => args == 1,
        _ => false,
    }
}

/// The value of a call, given its arguments' values. `grouped`: the block has `GROUP BY`
/// (every group has a row, so an aggregate of a NOT NULL argument is NOT NULL).
pub(super) fn result(call: &FunctionCall, args: &[Value], grouped: bool) -> Value {
    let name = call.name.text.to_ascii_lowercase();
    let any_null = args.iter().any(|a| a.nullable);
    let first = args.first().cloned().unwrap_or_else(|| Value::new(None, true));
    let first_ty = first.ty;
    let v = Value::new;
    if call.over.is_some()
        && let Some(value) = window(&name, call, args)
    {
        return value;
    }
    if is_aggregate(&name, args.len()) {
        // Over a set that may be empty (no `GROUP BY`, a `FILTER`, a window frame), or of a
        // nullable argument, these are NULL.
        let frame_may_be_empty = match &call.over {
            None => !grouped || call.filter.is_some(),
            Some(Over::Spec(spec)) => spec.frame.is_some() || call.filter.is_some(),
            Some(Over::Named(_)) => true,
        };
        let maybe_null = frame_may_be_empty || any_null;
        return match name.as_str() {
            "count" => v(Some(Integer), false),
            "total" => v(Some(Real), false),
            "json_group_array" | "json_group_object" => v(Some(Text), false),
            "jsonb_group_array" | "jsonb_group_object" => v(Some(Blob), false),
            "sum" => v(first_ty.map(|t| if t == Bool { Integer } else { t }), maybe_null),
            "avg" => v(Some(Real), maybe_null),
            "group_concat" | "string_agg" => v(Some(Text), maybe_null),
            // `min`/`max`.
            _ => Value { nullable: maybe_null, null: false, ..first },
        };
    }
    match name.as_str() {
        "coalesce" | "ifnull" => {
            let mut ty = None;
            let mut agreed = true;
            for arg in args.iter().filter(|a| !a.null) {
                match (ty, arg.ty) {
                    (None, Some(t)) if agreed => ty = Some(t),
                    (Some(t), Some(u)) => ty = t.unify(u),
                    (_, None) => agreed = false,
                    _ => {}
                }
            }
            if !agreed {
                ty = None;
            }
            v(ty, args.iter().all(|a| a.nullable))
        }
        "nullif" => v(first_ty, true),
        "iif" | "if" => {
            let branches = &args[1.min(args.len())..];
            let mut value = branches.first().cloned().unwrap_or_else(|| v(None, true));
            for other in branches.iter().skip(1) {
                value = super::merge(&value, other);
            }
            // `iif(c, x)` is NULL when `c` is false.
            value.nullable |= branches.len() < 2;
            Value { origin: None, ..value }
        }
        "min" | "max" => {
            let mut value = first;
            for other in &args[1..] {
                value = super::merge(&value, other);
            }
            Value { origin: None, nullable: any_null, ..value }
        }
        "likely" | "unlikely" | "likelihood" => Value { origin: None, ..first },
        "abs" => v(first_ty.map(|t| if t == Bool { Integer } else { t }), first.nullable),
        "length" | "octet_length" | "instr" => v(Some(Integer), any_null),
        "unicode" => v(Some(Integer), true),
        "sign" => v(Some(Integer), true),
        "random" | "changes" | "total_changes" | "last_insert_rowid" => v(Some(Integer), false),
        "lower" | "upper" | "trim" | "ltrim" | "rtrim" | "replace" | "substr" | "substring" | "soundex" | "char"
        | "unistr" | "unistr_quote" => v(Some(Text), any_null),
        "concat" => v(Some(Text), false),
        "concat_ws" => v(Some(Text), first.nullable),
        "printf" | "format" => v(Some(Text), first.nullable),
        "hex" | "quote" | "typeof" | "sqlite_version" | "sqlite_source_id" => v(Some(Text), false),
        "unhex" => v(Some(Blob), true),
        "zeroblob" | "randomblob" => v(Some(Blob), any_null),
        "round" => v(Some(Real), any_null),
        "like" | "glob" => v(Some(Bool), any_null),
        "date" | "time" | "datetime" | "timediff" => v(Some(Text), !is_now(call)),
        "strftime" => v(Some(Text), true),
        "julianday" => v(Some(Real), !is_now(call)),
        "unixepoch" => v(Some(Integer), !is_now(call)),
        "json_array" | "json_object" | "json_quote" => v(Some(Text), false),
        "json" | "json_insert" | "json_replace" | "json_set" | "json_remove" | "json_patch" | "json_pretty" => {
            v(Some(Text), any_null)
        }
        "json_array_length" => v(Some(Integer), true),
        "json_type" => v(Some(Text), true),
        "json_valid" => v(Some(Bool), any_null),
        // `json_extract`, `->>`-like functions and everything unknown: the type depends on
        // the data.
        _ => v(None, true),
    }
}

/// The value of a window function, or `None` for an aggregate used as one.
fn window(name: &str, call: &FunctionCall, args: &[Value]) -> Option<Value> {
    let v = Value::new;
    let first = args.first().cloned().unwrap_or_else(|| v(None, true));
    let value = match name {
        "row_number" | "rank" | "dense_rank" | "ntile" => v(Some(Integer), false),
        "percent_rank" | "cume_dist" => v(Some(Real), false),
        // Past the partition's edge they are NULL, unless a NOT NULL default is given.
        "lag" | "lead" => {
            let nullable = first.nullable || args.get(2).is_none_or(|d| d.nullable);
            Value { nullable, origin: None, ..first }
        }
        "first_value" | "last_value" => {
            let framed = matches!(&call.over, Some(Over::Spec(spec)) if spec.frame.is_none());
            Value { nullable: first.nullable || !framed, origin: None, ..first }
        }
        "nth_value" => Value { nullable: true, origin: None, ..first },
        _ => return None,
    };
    Some(value)
}

/// `date('now')`, `datetime()`: a current time, never NULL. Any other argument may be
/// invalid, which makes it NULL.
fn is_now(call: &FunctionCall) -> bool {
    use crate::sql::{ExprKind, Literal};
    match call.args.as_slice() {
        [] => true,
        [only] => matches!(&only.kind, ExprKind::Literal(Literal::String(s)) if s.eq_ignore_ascii_case("now")),
        _ => false,
    }
}

/// The type argument `index` of function `name` takes, when the function says.
pub(super) fn argument_type(name: &str, index: usize) -> Option<SqlType> {
    let ty = match (name, index) {
        ("substr" | "substring", 0) => Text,
        ("substr" | "substring", _) => Integer,
        ("lower" | "upper" | "trim" | "ltrim" | "rtrim" | "replace" | "instr" | "soundex" | "unicode", _) => Text,
        ("printf" | "format" | "strftime", 0) => Text,
        ("date" | "time" | "datetime" | "julianday" | "unixepoch" | "strftime" | "timediff", _) => Text,
        ("round", 1) => Integer,
        ("like" | "glob", 0 | 1) => Text,
        ("char", _) => Integer,
        ("zeroblob" | "randomblob", 0) => Integer,
        ("group_concat" | "string_agg", 1) => Text,
        ("ntile", 0) => Integer,
        ("lag" | "lead" | "nth_value", 1) => Integer,
        ("json" | "json_extract" | "json_array_length" | "json_type" | "json_valid" | "json_each" | "json_tree", _) => {
            Text
        }
        ("concat_ws", 0) => Text,
        _ => return None,
    };
    Some(ty)
}

/// The columns of a table-valued function orion-sql-check knows: `json_each`, `json_tree`.
pub(super) fn table_function_columns(name: &str) -> Option<Vec<OutColumn>> {
    if !(name.eq_ignore_ascii_case("json_each") || name.eq_ignore_ascii_case("json_tree")) {
        return None;
    }
    let column = |name: &str, ty: Option<SqlType>, nullable: bool| OutColumn {
        name: name.to_owned(),
        value: Value::new(ty, nullable),
        span: Span::default(),
    };
    Some(vec![
        column("key", None, true),
        column("value", None, true),
        column("type", Some(Text), false),
        column("atom", None, true),
        column("id", Some(Integer), false),
        column("parent", Some(Integer), true),
        column("fullkey", Some(Text), false),
        column("path", Some(Text), false),
    ])
}
