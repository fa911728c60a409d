//! The checks of a `queries!` block: every query is checked by `orion-sql-check` against the
//! crate's migrations (and, for tenant-scoped tables, proven scoped), and its declaration
//! against what the check found. Every problem is reported at once.

use std::path::PathBuf;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::{Attribute, Ident, Visibility};

use orion_sql_check::tenancy::{self, Scoping};
use orion_sql_check::{Checked, Field, Schema, SqlType, StatementKind};

use super::ast::{Block, Cardinality, Item, Kind, Row, Scalar, Shape};
use super::report;
use super::table::{self, Returns};
use crate::args::{Errors, did_you_mean};
use crate::symbol::{COUNT, MANY, ONE, OPTIONAL, TENANT_PARAM, TENANT_SCOPED, UNSCOPED};

/// What the expansion needs, per item.
pub(crate) struct CheckedBlock {
    pub(crate) items: Vec<Output>,
    /// The migration files, `include_bytes!`ed so that editing one rebuilds the crate.
    pub(crate) migrations: Vec<PathBuf>,
}

pub(crate) enum Output {
    Query(Query),
    /// A table's helpers, in a module named like the table.
    Table {
        attrs: Vec<Attribute>,
        vis: Visibility,
        name: Ident,
        row: Option<Generated>,
        queries: Vec<Query>,
    },
    /// A query that failed its checks: a function with the declared name and arguments that
    /// accepts anything, so that its callers report nothing more.
    Fallback {
        attrs: Vec<Attribute>,
        vis: Visibility,
        name: Ident,
        params: Vec<Ident>,
        returns: TokenStream,
    },
}

pub(crate) struct Query {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) name: Ident,
    pub(crate) sql: String,
    /// Where rustc's own errors about the query (a user struct's fields) land: its literal.
    pub(crate) span: Span,
    pub(crate) handle: Handle,
    pub(crate) params: Vec<Param>,
    pub(crate) returns: Returned,
    /// The struct the macro writes for it, if it is the first to name it.
    pub(crate) generated: Option<Generated>,
    pub(crate) unscoped: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handle {
    /// `db: &impl Sql`.
    Read,
    /// `tx: &Tx<'_>`.
    Write,
    /// `db: &impl TenantSql`.
    TenantRead,
    /// `tx: &TenantTx<'_>`.
    TenantWrite,
}

pub(crate) struct Param {
    /// The argument, with the user's span.
    pub(crate) ident: Ident,
    /// The parameter in the SQL: `:title`.
    pub(crate) sql_name: String,
    pub(crate) ty: TokenStream,
}

pub(crate) enum Returned {
    Count,
    Rows { cardinality: Cardinality, row: RowRead },
}

/// How one row is read.
pub(crate) struct RowRead {
    /// The Rust type of a row.
    pub(crate) ty: TokenStream,
    pub(crate) columns: Vec<Column>,
    pub(crate) build: Build,
}

pub(crate) enum Build {
    /// `Path { field: column, … }`; `true` for the user's struct, whose field types are
    /// checked.
    Struct(TokenStream, bool),
    /// The one column.
    Scalar,
    /// `(column, …)`.
    Tuple,
}

pub(crate) struct Column {
    pub(crate) field: Ident,
    pub(crate) ty: TokenStream,
}

/// A struct the macro writes.
pub(crate) struct Generated {
    pub(crate) vis: Visibility,
    pub(crate) name: Ident,
    pub(crate) query: Ident,
    pub(crate) fields: Vec<(Ident, TokenStream, String)>,
}

pub(crate) fn check(block: &Block, schema: &Schema, errors: &mut Errors) -> CheckedBlock {
    let mut items = Vec::new();
    let mut generated: Vec<(String, Ident)> = Vec::new();
    for item in &block.items {
        let scope = scope(block, item, errors);
        match &item.kind {
            Kind::Query { params, parens, shape, sql } => {
                let declared = Declared { params, parens: *parens, shape, row: row_of(shape), literal: sql.span() };
                let mut problems = Errors::default();
                let query =
                    query(schema, item, &item.name, &sql.value(), &declared, &scope, &mut generated, &mut problems);
                match (query, problems.finish()) {
                    (Some(query), Ok(())) => items.push(Output::Query(query)),
                    (_, result) => {
                        if let Err(error) = result {
                            errors.push(error);
                        }
                        items.push(fallback(item, params, shape));
                    }
                }
            }
            Kind::Table { row } => {
                let mut problems = Errors::default();
                let output = table_helpers(schema, item, row, &scope, &mut generated, &mut problems);
                if let Err(error) = problems.finish() {
                    errors.push(error);
                }
                items.extend(output);
            }
        }
    }
    let migrations = schema.migration_paths().into_iter().map(PathBuf::from).collect();
    CheckedBlock { items, migrations }
}

/// How an item is scoped, from its attributes and the block's.
enum Scope {
    /// No attribute: the query must touch no tenant-scoped table.
    Global,
    /// `#[tenant_scoped]` (or `#![tenant_scoped]`): it must be proven scoped, and takes a
    /// tenant-bound handle.
    Tenant,
    /// `#[unscoped(reason = "…")]`: not checked for tenancy; takes the plain store.
    Unscoped(String),
    /// A misspelt scope attribute (reported): nothing more is said about tenancy.
    Unknown,
}

fn scope(block: &Block, item: &Item, errors: &mut Errors) -> Scope {
    if item.scope_unknown {
        return Scope::Unknown;
    }
    match (&item.unscoped, item.tenant_scoped) {
        (Some((span, _)), Some(_)) => {
            errors.push(syn::Error::new(
                *span,
                format!("`#[{UNSCOPED}]` and `#[{TENANT_SCOPED}]` contradict each other: keep one"),
            ));
            Scope::Tenant
        }
        (Some((_, reason)), None) => Scope::Unscoped(reason.as_ref().map(|r| r.value()).unwrap_or_default()),
        (None, Some(_)) => Scope::Tenant,
        (None, None) if block.tenant_scoped.is_some() => Scope::Tenant,
        (None, None) => Scope::Global,
    }
}

/// What the user declared for one query.
struct Declared<'a> {
    params: &'a [Ident],
    parens: Span,
    shape: &'a Shape,
    row: Option<&'a Row>,
    /// Where errors about the SQL land: the literal (or, for a table's helper, the table's name).
    literal: Span,
}

fn row_of(shape: &Shape) -> Option<&Row> {
    match shape {
        Shape::Count(_) => None,
        Shape::Rows(_, _, row) => Some(row),
    }
}

#[allow(clippy::too_many_arguments)]
fn query(
    schema: &Schema,
    item: &Item,
    name: &Ident,
    sql: &str,
    declared: &Declared<'_>,
    scope: &Scope,
    generated: &mut Vec<(String, Ident)>,
    errors: &mut Errors,
) -> Option<Query> {
    let at = declared.literal;
    let checked = match orion_sql_check::check(schema, sql) {
        Ok(checked) => checked,
        Err(problems) => {
            for problem in &problems {
                errors.push(syn::Error::new(at, report::render(sql, problem, schema)));
            }
            return None;
        }
    };
    let tenant = tenancy(schema, sql, &checked, scope, at, errors);
    let handle = match (tenant, checked.readonly) {
        (false, true) => Handle::Read,
        (false, false) => Handle::Write,
        (true, true) => Handle::TenantRead,
        (true, false) => Handle::TenantWrite,
    };
    let params = params(&checked, declared, name, handle, errors);
    let returns = returns(&checked, declared, item, generated, errors);
    let generated = match (declared.row, &returns) {
        (Some(Row::Generated(row)), Some(Returned::Rows { .. })) => {
            generated_struct(item, row, name, &checked.fields, generated, errors)
        }
        _ => None,
    };
    let unscoped = match scope {
        Scope::Unscoped(reason) => Some(reason.clone()),
        _ => None,
    };
    Some(Query {
        attrs: item.attrs.clone(),
        vis: item.vis.clone(),
        name: name.clone(),
        sql: sql.to_owned(),
        span: at,
        handle,
        params: params?,
        returns: returns?,
        generated,
        unscoped,
    })
}

/// Whether the query takes a tenant-bound handle; reports what its scope and the tenancy
/// proof disagree on.
fn tenancy(schema: &Schema, sql: &str, checked: &Checked, scope: &Scope, at: Span, errors: &mut Errors) -> bool {
    let uses_tenant = checked.params.iter().any(|p| p.name == TENANT_PARAM);
    let tables = tenant_tables(schema, checked);
    match scope {
        Scope::Unknown => uses_tenant,
        Scope::Unscoped(_) => {
            if uses_tenant {
                errors.push(syn::Error::new(
                    at,
                    format!(
                        "`:{TENANT_PARAM}` is bound only by a tenant store, and `#[{UNSCOPED}]` takes the plain \
                         store: remove `#[{UNSCOPED}]` and add `#[{TENANT_SCOPED}]`, or name the parameter \
                         differently (e.g. `:workspace`)"
                    ),
                ));
            } else if tables.is_empty() {
                errors.push(syn::Error::new(
                    at,
                    format!(
                        "the query touches no tenant-scoped table, so it has nothing to opt out of: remove \
                         `#[{UNSCOPED}(…)]`"
                    ),
                ));
            }
            false
        }
        Scope::Tenant => match tenancy::check(schema, sql) {
            Ok(Scoping::Scoped) => true,
            Ok(Scoping::Global) if uses_tenant => true,
            Ok(Scoping::Global) => {
                errors.push(syn::Error::new(
                    at,
                    format!(
                        "the query touches no tenant-scoped table and does not use `:{TENANT_PARAM}`, so a tenant \
                         store cannot run it: remove `#[{TENANT_SCOPED}]` (declare a tenant table in a migration \
                         with `-- orion: tenant <table>.<column>`)"
                    ),
                ));
                true
            }
            Err(problems) => {
                for problem in &problems {
                    errors.push(syn::Error::new(at, report::render(sql, problem, schema)));
                }
                true
            }
        },
        Scope::Global => {
            match tenancy::check(schema, sql) {
                Ok(Scoping::Global) if !uses_tenant => {}
                Ok(Scoping::Global) => errors.push(syn::Error::new(
                    at,
                    format!(
                        "`:{TENANT_PARAM}` is bound by a tenant store: add `#[{TENANT_SCOPED}]` above the query so \
                         that it takes one, or name the parameter differently"
                    ),
                )),
                Ok(Scoping::Scoped) => {
                    let named = tables.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ");
                    errors.push(syn::Error::new(
                        at,
                        format!(
                            "the query touches the tenant-scoped table {named}: add `#[{TENANT_SCOPED}]` above it, \
                             so that it takes the tenant's store (`&impl TenantSql`, `&TenantTx`), which binds \
                             `:{TENANT_PARAM}` to the request's tenant"
                        ),
                    ));
                }
                Err(problems) => {
                    for problem in &problems {
                        let mut message = report::render(sql, problem, schema);
                        message.push_str(&format!(
                            "\n= help: a query on a tenant-scoped table is `#[{TENANT_SCOPED}]` (it takes the \
                             tenant's store, which binds `:{TENANT_PARAM}`) and constrains every occurrence to \
                             `:{TENANT_PARAM}`; or it opts out, `#[{UNSCOPED}(reason = \"…\")]`"
                        ));
                        errors.push(syn::Error::new(at, message));
                    }
                }
            }
            false
        }
    }
}

/// The tenant-scoped tables the statement names, for messages.
fn tenant_tables(schema: &Schema, checked: &Checked) -> Vec<String> {
    let mut tables: Vec<String> = Vec::new();
    for occurrence in orion_sql_check::sql::occurrences(&checked.statement) {
        let name = &occurrence.name.text;
        if occurrence.cte.is_none()
            && schema.tenant_column(name).is_some()
            && !tables.iter().any(|t| t.eq_ignore_ascii_case(name))
        {
            tables.push(name.clone());
        }
    }
    tables
}

/// The arguments, in the declared order, typed from the query.
fn params(
    checked: &Checked,
    declared: &Declared<'_>,
    name: &Ident,
    handle: Handle,
    errors: &mut Errors,
) -> Option<Vec<Param>> {
    let handle_name = handle.arg_name();
    // `:tenant` is never an argument: a tenant store binds it, and anywhere else it is an error
    // reported by the tenancy checks.
    let in_sql: Vec<&orion_sql_check::Param> = checked.params.iter().filter(|p| p.name != TENANT_PARAM).collect();
    let mut ok = true;
    let mut out = Vec::new();
    let mut listed: Vec<String> = Vec::new();
    let mut reported_missing: Vec<String> = Vec::new();
    for ident in declared.params {
        let written = syn::ext::IdentExt::unraw(ident).to_string();
        if listed.contains(&written) {
            errors.push(syn::Error::new(ident.span(), format!("`{written}` is listed twice: keep one")));
            ok = false;
            continue;
        }
        listed.push(written.clone());
        if written == TENANT_PARAM {
            errors.push(syn::Error::new(
                ident.span(),
                format!(
                    "remove `{TENANT_PARAM}`: the tenant store binds `:{TENANT_PARAM}` to the request's tenant itself"
                ),
            ));
            ok = false;
            continue;
        }
        if written == handle_name {
            errors.push(syn::Error::new(
                ident.span(),
                format!(
                    "`{written}` is the name of the function's first argument (the store): rename the parameter in \
                     the query, e.g. `:{written}_id`"
                ),
            ));
            ok = false;
            continue;
        }
        match in_sql.iter().find(|p| p.name == written) {
            Some(param) => out.push(Param {
                ident: ident.clone(),
                sql_name: format!(":{}", param.name),
                ty: arg_type(param.ty, param.nullable),
            }),
            None => {
                let unlisted: Vec<&str> = in_sql
                    .iter()
                    .map(|p| p.name.as_str())
                    .filter(|p| !declared.params.iter().any(|i| syn::ext::IdentExt::unraw(i) == p))
                    .collect();
                let message = match did_you_mean(&written, &unlisted) {
                    Some(close) => {
                        reported_missing.push(close.to_owned());
                        format!("the query has no parameter `:{written}`: did you mean `{close}` (`:{close}`)?")
                    }
                    None if in_sql.is_empty() => {
                        format!("the query has no parameters, so `{written}` is not one: remove it")
                    }
                    None => format!(
                        "the query has no parameter `:{written}`: its parameters are {}",
                        in_sql.iter().map(|p| format!("`:{}`", p.name)).collect::<Vec<_>>().join(", ")
                    ),
                };
                errors.push(syn::Error::new(ident.span(), message));
                ok = false;
            }
        }
    }
    let missing: Vec<&str> = in_sql
        .iter()
        .map(|p| p.name.as_str())
        .filter(|p| !listed.iter().any(|l| l == p) && !reported_missing.iter().any(|r| r == p))
        .collect();
    if !missing.is_empty() {
        let all: Vec<String> =
            declared.params.iter().map(ToString::to_string).chain(missing.iter().map(|m| rust_name(m))).collect();
        let (noun, names) = match missing.as_slice() {
            [one] => ("parameter", format!("`:{one}`")),
            more => ("parameters", more.iter().map(|m| format!("`:{m}`")).collect::<Vec<_>>().join(", ")),
        };
        errors.push(syn::Error::new(
            declared.parens,
            format!("the query uses the {noun} {names}: list every parameter, `fn {name}({})`", all.join(", ")),
        ));
        ok = false;
    }
    for param in &in_sql {
        if syn::parse_str::<Ident>(&rust_name(&param.name)).is_err() {
            errors.push(syn::Error::new(
                declared.literal,
                format!("the parameter `:{}` cannot be a Rust argument: rename it, e.g. `:value`", param.name),
            ));
            ok = false;
        }
    }
    ok.then_some(out)
}

/// What the function returns, checked against the statement and its columns.
fn returns(
    checked: &Checked,
    declared: &Declared<'_>,
    item: &Item,
    generated: &[(String, Ident)],
    errors: &mut Errors,
) -> Option<Returned> {
    let what = match checked.kind {
        StatementKind::Select => "`SELECT`",
        StatementKind::Insert => "`INSERT`",
        StatementKind::Update => "`UPDATE`",
        StatementKind::Delete => "`DELETE`",
    };
    match declared.shape {
        Shape::Count(keyword) => {
            if checked.returns_rows() {
                let message = if checked.kind == StatementKind::Select {
                    format!(
                        "`{COUNT}` is the number of rows a write changed, and this is a {what}: return its rows \
                         with `{MANY}`, `{ONE}` or `{OPTIONAL}` (to count rows, `SELECT count(*) …` as `{ONE} i64`)"
                    )
                } else {
                    format!(
                        "this {what} returns rows (`RETURNING`): read them with `{MANY}`, `{ONE}` or `{OPTIONAL}`, or \
                         remove `RETURNING` to get the count"
                    )
                };
                errors.push(syn::Error::new(keyword.span(), message));
                return None;
            }
            Some(Returned::Count)
        }
        Shape::Rows(cardinality, keyword, row) => {
            if !checked.returns_rows() {
                errors.push(syn::Error::new(
                    keyword.span(),
                    format!(
                        "this {what} returns no rows: write `-> {COUNT}` for the number of rows it changed, or add \
                         `RETURNING …` to read them"
                    ),
                ));
                return None;
            }
            let row = row_read(row, &checked.fields, declared.literal, item, generated, errors)?;
            Some(Returned::Rows { cardinality: *cardinality, row })
        }
    }
}

fn row_read(
    row: &Row,
    fields: &[Field],
    literal: Span,
    item: &Item,
    generated: &[(String, Ident)],
    errors: &mut Errors,
) -> Option<RowRead> {
    match row {
        Row::Scalar(scalar) => {
            if let [field] = fields {
                scalar_matches(scalar, field, errors).then(|| RowRead {
                    ty: scalar.written.to_token_stream(),
                    columns: vec![Column { field: format_ident!("c0"), ty: scalar.written.to_token_stream() }],
                    build: Build::Scalar,
                })
            } else {
                errors.push(syn::Error::new_spanned(
                    &scalar.written,
                    format!(
                        "`{}` reads one column, and the query returns {} ({}): read a tuple, `({})`, or a struct",
                        scalar.written.to_token_stream(),
                        fields.len(),
                        names(fields),
                        fields.iter().map(field_type).collect::<Vec<_>>().join(", ")
                    ),
                ));
                None
            }
        }
        Row::Tuple(scalars, written) => {
            if scalars.len() != fields.len() {
                errors.push(syn::Error::new_spanned(
                    written,
                    format!(
                        "the tuple has {} fields, and the query returns {} columns ({}): write `({})`",
                        scalars.len(),
                        fields.len(),
                        names(fields),
                        fields.iter().map(field_type).collect::<Vec<_>>().join(", ")
                    ),
                ));
                return None;
            }
            let mut ok = true;
            for (scalar, field) in scalars.iter().zip(fields) {
                ok &= scalar_matches(scalar, field, errors);
            }
            ok.then(|| RowRead {
                ty: written.to_token_stream(),
                columns: scalars
                    .iter()
                    .enumerate()
                    .map(|(i, s)| Column { field: format_ident!("c{}", i), ty: s.written.to_token_stream() })
                    .collect(),
                build: Build::Tuple,
            })
        }
        Row::Struct(path) => {
            let columns = named_columns(fields, literal, errors)?;
            Some(RowRead { ty: path.to_token_stream(), columns, build: Build::Struct(path.to_token_stream(), true) })
        }
        Row::Generated(name) => {
            let _ = (item, generated);
            let columns = named_columns(fields, literal, errors)?;
            Some(RowRead { ty: name.to_token_stream(), columns, build: Build::Struct(name.to_token_stream(), false) })
        }
    }
}

/// The struct `struct Name` asks for, unless an earlier query of the block wrote it already
/// (then this query fills the same struct, and rustc checks its fields).
fn generated_struct(
    item: &Item,
    row: &Ident,
    query: &Ident,
    fields: &[Field],
    generated: &mut Vec<(String, Ident)>,
    errors: &mut Errors,
) -> Option<Generated> {
    if let Some((_, first)) = generated.iter().find(|(name, _)| row == name) {
        errors.push(syn::Error::new(
            row.span(),
            format!("`struct {row}` is written by `{first}` already: write `{row}` here to fill the same struct"),
        ));
        return None;
    }
    generated.push((row.to_string(), query.clone()));
    let fields = fields
        .iter()
        .map(|f| {
            let origin = match &f.origin {
                Some(origin) => format!("`{}.{}`", origin.table, origin.column),
                None => "An expression".to_owned(),
            };
            let nullable = if f.nullable { ", may be NULL" } else { "" };
            (
                field_ident(&f.name).unwrap_or_else(|| format_ident!("_")),
                value_type(f.ty, f.nullable),
                format!("{origin}{nullable}."),
            )
        })
        .collect();
    Some(Generated { vis: item.vis.clone(), name: row.clone(), query: query.clone(), fields })
}

/// The columns, named by field: each name must be a Rust name, once.
fn named_columns(fields: &[Field], literal: Span, errors: &mut Errors) -> Option<Vec<Column>> {
    let mut ok = true;
    let mut columns: Vec<Column> = Vec::new();
    for field in fields {
        let Some(ident) = field_ident(&field.name) else {
            errors.push(syn::Error::new(
                literal,
                format!(
                    "the result column `{}` is not a Rust name, so it cannot be a field: give it one with an alias, \
                     `{} AS {}`",
                    field.name,
                    field.name,
                    suggested_alias(&field.name)
                ),
            ));
            ok = false;
            continue;
        };
        if columns.iter().any(|c| c.field == ident) {
            errors.push(syn::Error::new(
                literal,
                format!(
                    "two result columns are named `{}`: give one of them another name with an alias, `AS other_{}`",
                    field.name, field.name
                ),
            ));
            ok = false;
            continue;
        }
        columns.push(Column { field: ident, ty: value_type(field.ty, field.nullable) });
    }
    ok.then_some(columns)
}

/// A name for an alias suggestion: the words of an expression (`count(*)` → `count`).
fn suggested_alias(name: &str) -> String {
    let word: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|w| !w.is_empty())
        .take(2)
        .collect::<Vec<_>>()
        .join("_");
    match word.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => word,
        _ => "value".to_owned(),
    }
}

fn scalar_matches(scalar: &Scalar, field: &Field, errors: &mut Errors) -> bool {
    let wanted = value_type_text(field.ty, field.nullable);
    if scalar.ty == field.ty && scalar.nullable == field.nullable {
        return true;
    }
    let written = scalar.written.to_token_stream().to_string().replace(' ', "");
    let message = if scalar.ty == field.ty && field.nullable {
        format!(
            "the column `{}` may be NULL, so it reads as `{wanted}`: write `{wanted}` (or prove it NOT NULL in \
             the query, e.g. with `coalesce`)",
            field.name
        )
    } else if scalar.ty == field.ty {
        format!("the column `{}` is never NULL: write `{wanted}`", field.name)
    } else {
        format!("the column `{}` is `{wanted}`, not `{written}`: write `{wanted}`", field.name)
    };
    errors.push(syn::Error::new_spanned(&scalar.written, message));
    false
}

fn names(fields: &[Field]) -> String {
    fields.iter().map(|f| format!("`{}`", f.name)).collect::<Vec<_>>().join(", ")
}

fn field_type(field: &Field) -> String {
    value_type_text(field.ty, field.nullable)
}

/// A result column's name as a field: itself, or `r#name` for a keyword.
fn field_ident(name: &str) -> Option<Ident> {
    syn::parse_str::<Ident>(name).ok().or_else(|| syn::parse_str::<Ident>(&format!("r#{name}")).ok())
}

/// A parameter's name as an argument.
fn rust_name(name: &str) -> String {
    match syn::parse_str::<Ident>(name) {
        Ok(_) => name.to_owned(),
        Err(_) => format!("r#{name}"),
    }
}

/// The Rust type of a value read from a row.
fn value_type(ty: SqlType, nullable: bool) -> TokenStream {
    let inner = match ty {
        SqlType::Integer => quote!(i64),
        SqlType::Real => quote!(f64),
        SqlType::Text => quote!(::std::string::String),
        SqlType::Blob => quote!(::std::vec::Vec<u8>),
        SqlType::Bool => quote!(bool),
    };
    if nullable { quote!(::core::option::Option<#inner>) } else { inner }
}

fn value_type_text(ty: SqlType, nullable: bool) -> String {
    if nullable { format!("Option<{}>", ty.rust()) } else { ty.rust().to_owned() }
}

/// The Rust type of an argument: borrowed text and bytes.
fn arg_type(ty: SqlType, nullable: bool) -> TokenStream {
    let inner = match ty {
        SqlType::Integer => quote!(i64),
        SqlType::Real => quote!(f64),
        SqlType::Text => quote!(&str),
        SqlType::Blob => quote!(&[u8]),
        SqlType::Bool => quote!(bool),
    };
    if nullable { quote!(::core::option::Option<#inner>) } else { inner }
}

impl Handle {
    pub(crate) fn arg_name(self) -> &'static str {
        match self {
            Handle::Read | Handle::TenantRead => "db",
            Handle::Write | Handle::TenantWrite => "tx",
        }
    }
}

/// The stand-in for a query that failed: the declared name and arguments, anything accepted.
fn fallback(item: &Item, params: &[Ident], shape: &Shape) -> Output {
    let returns = match shape {
        Shape::Count(_) => quote!(usize),
        Shape::Rows(cardinality, _, row) => {
            let row = match &**row {
                Row::Generated(name) => name.to_token_stream(),
                Row::Struct(path) => path.to_token_stream(),
                Row::Scalar(scalar) => scalar.written.to_token_stream(),
                Row::Tuple(_, written) => written.to_token_stream(),
            };
            match cardinality {
                Cardinality::Many => quote!(::std::vec::Vec<#row>),
                Cardinality::One => row,
                Cardinality::Optional => quote!(::core::option::Option<#row>),
            }
        }
    };
    Output::Fallback {
        attrs: item.attrs.clone(),
        vis: item.vis.clone(),
        name: item.name.clone(),
        params: params.to_vec(),
        returns,
    }
}

/// The helpers of `table name -> Row;`, each checked like a query.
fn table_helpers(
    schema: &Schema,
    item: &Item,
    row: &Row,
    scope: &Scope,
    generated: &mut Vec<(String, Ident)>,
    errors: &mut Errors,
) -> Option<Output> {
    let name = &item.name;
    let table_name = name.to_string();
    let Some(table) = schema.table(&table_name) else {
        let names: Vec<&str> = schema.tables().iter().map(|t| t.name.as_str()).collect();
        let message = match did_you_mean(&table_name, &names) {
            Some(close) => format!("no such table `{table_name}`: did you mean `{close}`?"),
            None => format!("no such table `{table_name}`: create it in a migration, or check the name"),
        };
        errors.push(syn::Error::new(name.span(), message));
        return None;
    };
    if matches!(row, Row::Scalar(_) | Row::Tuple(..)) {
        errors.push(syn::Error::new(
            name.span(),
            format!("a table's rows are read into a struct: write `table {table_name} -> Row` or `-> struct Row`"),
        ));
        return None;
    }
    let tenant = schema.tenant_column(&table.name).map(str::to_owned);
    let scope = match (scope, &tenant) {
        (Scope::Tenant, None) => {
            errors.push(syn::Error::new(
                name.span(),
                format!(
                    "`{table_name}` is not a tenant-scoped table: remove `#[{TENANT_SCOPED}]`, or declare it in a \
                     migration with `-- orion: tenant {table_name}.<column>`"
                ),
            ));
            return None;
        }
        (Scope::Global, Some(column)) => {
            errors.push(syn::Error::new(
                name.span(),
                format!(
                    "`{table_name}` is tenant-scoped (by `{column}`): add `#[{TENANT_SCOPED}]` above it, so that its \
                     helpers take the tenant's store and constrain every row to `:{TENANT_PARAM}`"
                ),
            ));
            return None;
        }
        (Scope::Unscoped(_), _) => {
            errors.push(syn::Error::new(
                name.span(),
                format!("a table's helpers cannot opt out of tenancy: remove `#[{UNSCOPED}(…)]`"),
            ));
            return None;
        }
        (scope, _) => scope,
    };
    let helpers = match table::helpers(table, tenant.as_deref()) {
        Ok(helpers) => helpers,
        Err(message) => {
            errors.push(syn::Error::new(name.span(), message));
            return None;
        }
    };
    let mut queries = Vec::new();
    let mut struct_out = None;
    let key = format_ident!("{}", ONE);
    // The first helper writes a `struct Row`; the others fill it.
    let mut row = clone_row(row);
    for helper in helpers {
        let params: Vec<Ident> = helper
            .params
            .iter()
            .map(|p| syn::parse_str::<Ident>(&rust_name(p)).unwrap_or_else(|_| format_ident!("value")))
            .map(|mut i| {
                i.set_span(name.span());
                i
            })
            .collect();
        let key_row = Row::Scalar(Scalar { ty: SqlType::Integer, nullable: false, written: syn::parse_quote!(i64) });
        let shape = match helper.returns {
            Returns::Many => Shape::Rows(Cardinality::Many, key.clone(), Box::new(clone_row(&row))),
            Returns::Optional => Shape::Rows(Cardinality::Optional, key.clone(), Box::new(clone_row(&row))),
            Returns::Key => Shape::Rows(Cardinality::One, key.clone(), Box::new(key_row)),
            Returns::Count => Shape::Count(key.clone()),
        };
        let declared =
            Declared { params: &params, parens: name.span(), shape: &shape, row: row_of(&shape), literal: name.span() };
        let helper_name = format_ident!("{}", helper.name, span = name.span());
        let mut problems = Errors::default();
        let query = query(schema, item, &helper_name, &helper.sql, &declared, scope, generated, &mut problems);
        if let Err(error) = problems.finish() {
            errors.push(error);
            continue;
        }
        let Some(mut query) = query else { continue };
        if let Some(generated) = query.generated.take() {
            row = Row::Struct(generated.name.clone().into());
            struct_out = Some(generated);
        }
        let doc = helper.doc;
        query.attrs = vec![syn::parse_quote!(#[doc = #doc])];
        query.vis = syn::parse_quote!(pub);
        queries.push(query);
    }
    Some(Output::Table {
        attrs: item.attrs.clone(),
        vis: item.vis.clone(),
        name: name.clone(),
        row: struct_out,
        queries,
    })
}

fn clone_row(row: &Row) -> Row {
    match row {
        Row::Generated(name) => Row::Generated(name.clone()),
        Row::Struct(path) => Row::Struct(path.clone()),
        Row::Scalar(s) => Row::Scalar(Scalar { ty: s.ty, nullable: s.nullable, written: s.written.clone() }),
        Row::Tuple(s, w) => Row::Tuple(
            s.iter().map(|s| Scalar { ty: s.ty, nullable: s.nullable, written: s.written.clone() }).collect(),
            w.clone(),
        ),
    }
}
