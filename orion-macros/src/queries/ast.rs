//! The parsed form of a `queries!` block: its options and its items. Each item ends with `;`
//! and is parsed on its own, so one broken item does not hide the others' errors.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Attribute, GenericArgument, Ident, LitStr, Meta, PathArguments, Token, Type, Visibility};

use crate::args::{Args, Errors, Spec, Value, did_you_mean};
use crate::symbol::{COUNT, MANY, MIGRATIONS, ONE, OPTIONAL, REASON, TABLE, TENANT_SCOPED, UNSCOPED};
use orion_sql_check::SqlType;

pub(crate) struct Block {
    /// `#![migrations = "db"]`: the folder searched for `migrations/` folders, relative to the
    /// crate (`src` when absent).
    pub(crate) migrations: Option<LitStr>,
    /// `#![tenant_scoped]`: every item of the block is tenant-scoped.
    pub(crate) tenant_scoped: Option<Span>,
    pub(crate) items: Vec<Item>,
}

pub(crate) struct Item {
    /// The attributes given to the generated function (docs, `allow`, `cfg`, …).
    pub(crate) attrs: Vec<Attribute>,
    /// `#[tenant_scoped]`.
    pub(crate) tenant_scoped: Option<Span>,
    /// `#[unscoped(reason = "…")]`, with its reason (`None` when missing or empty, already
    /// reported).
    pub(crate) unscoped: Option<(Span, Option<LitStr>)>,
    /// An attribute that was meant to be `#[tenant_scoped]` or `#[unscoped]` (reported): the
    /// item's scope is unknown, so nothing is reported about it.
    pub(crate) scope_unknown: bool,
    pub(crate) vis: Visibility,
    pub(crate) name: Ident,
    pub(crate) kind: Kind,
}

pub(crate) enum Kind {
    /// `fn name(params) -> shape = "SQL"`.
    Query { params: Vec<Ident>, parens: Span, shape: Shape, sql: LitStr },
    /// `table name -> Row`: the helpers of one table.
    Table { row: Row },
}

pub(crate) enum Shape {
    /// `count`: the number of rows a write changed.
    Count(Ident),
    /// `many T`, `one T`, `optional T`.
    Rows(Cardinality, Ident, Box<Row>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cardinality {
    Many,
    One,
    Optional,
}

pub(crate) enum Row {
    /// `struct Details`: a struct the macro writes, one field per result column.
    Generated(Ident),
    /// The user's struct, filled by field name.
    Struct(syn::Path),
    /// One column, read as this type.
    Scalar(Scalar),
    /// Several columns, read in order.
    Tuple(Vec<Scalar>, Type),
}

/// A column type as written in a row type: `i64`, `Option<String>`.
pub(crate) struct Scalar {
    pub(crate) ty: SqlType,
    pub(crate) nullable: bool,
    pub(crate) written: Type,
}

const EXAMPLE: &str = "`pub fn all() -> many Todo = \"SELECT id, title, done FROM todos\";`";
const SHAPES: &[&str] = &[MANY, ONE, OPTIONAL, COUNT];
const ATTRIBUTES: &[&str] = &[TENANT_SCOPED, UNSCOPED];

impl Block {
    pub(crate) fn parse(input: TokenStream, errors: &mut Errors) -> Block {
        let mut block = Block { migrations: None, tenant_scoped: None, items: Vec::new() };
        let parser = |input: ParseStream<'_>| {
            let inner = input.call(Attribute::parse_inner)?;
            let rest: TokenStream = input.parse()?;
            Ok((inner, rest))
        };
        let (inner, rest) = match parser.parse2(input) {
            Ok(parsed) => parsed,
            Err(error) => {
                errors.push(error);
                return block;
            }
        };
        for attr in inner {
            block.inner_attribute(&attr, errors);
        }
        for chunk in split_items(rest) {
            if let Some(item) = Item::parse(chunk, errors) {
                block.items.push(item);
            }
        }
        block
    }

    fn inner_attribute(&mut self, attr: &Attribute, errors: &mut Errors) {
        let path = attr.path();
        if path.is_ident(TENANT_SCOPED) {
            match &attr.meta {
                Meta::Path(_) => self.tenant_scoped = Some(attr.span()),
                other => errors.push(syn::Error::new_spanned(
                    other,
                    format!("`#![{TENANT_SCOPED}]` takes no arguments: write `#![{TENANT_SCOPED}]`"),
                )),
            }
        } else if path.is_ident(MIGRATIONS) {
            match &attr.meta {
                Meta::NameValue(pair) => match &pair.value {
                    syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lit), .. }) => self.migrations = Some(lit.clone()),
                    other => errors.push(syn::Error::new_spanned(
                        other,
                        format!(
                            "`{MIGRATIONS}` is a folder relative to the crate's `Cargo.toml`: write \
                             `#![{MIGRATIONS} = \"src\"]`"
                        ),
                    )),
                },
                other => errors.push(syn::Error::new_spanned(
                    other,
                    format!(
                        "write `#![{MIGRATIONS} = \"folder\"]`, the folder relative to the crate's `Cargo.toml` \
                         (`src` by default)"
                    ),
                )),
            }
        } else {
            let name = path.to_token_stream().to_string();
            let known = [TENANT_SCOPED, MIGRATIONS];
            let message = match did_you_mean(&name, &known) {
                Some(close) => format!("unknown block attribute `#![{name}]`: did you mean `#![{close}]`?"),
                None => format!(
                    "unknown block attribute `#![{name}]`: a `queries!` block takes `#![{TENANT_SCOPED}]` and \
                     `#![{MIGRATIONS} = \"…\"]`"
                ),
            };
            errors.push(syn::Error::new_spanned(path, message));
        }
    }
}

/// The tokens of each item: up to and without each top-level `;`. A last item without `;` is
/// kept (and reported by its parser).
fn split_items(tokens: TokenStream) -> Vec<(TokenStream, Option<Span>)> {
    let mut items = Vec::new();
    let mut current = TokenStream::new();
    for token in tokens {
        match &token {
            TokenTree::Punct(punct) if punct.as_char() == ';' => {
                items.push((std::mem::take(&mut current), Some(punct.span())));
            }
            _ => current.extend([token]),
        }
    }
    if !current.is_empty() {
        items.push((current, None));
    }
    items
}

impl Item {
    fn parse((tokens, semi): (TokenStream, Option<Span>), errors: &mut Errors) -> Option<Item> {
        let parser = |input: ParseStream<'_>| -> syn::Result<Option<Item>> {
            let attrs = input.call(Attribute::parse_outer)?;
            let vis: Visibility = input.parse()?;
            let (mut tenant_scoped, mut unscoped, mut kept, mut scope_unknown) = (None, None, Vec::new(), false);
            for attr in attrs {
                match attribute(&attr, errors) {
                    Flag::TenantScoped => tenant_scoped = Some(attr.span()),
                    Flag::Unscoped(reason) => unscoped = Some((attr.span(), reason)),
                    Flag::Kept => kept.push(attr),
                    Flag::Dropped => scope_unknown = true,
                }
            }
            let scope = Scoped { tenant_scoped, unscoped, scope_unknown };
            let kind_span = input.span();
            let item = if input.peek(Token![fn]) {
                input.parse::<Token![fn]>()?;
                let name: Ident = input.parse()?;
                let (params, parens) = params(input, &name)?;
                arrow(input, &name)?;
                let shape = shape(input)?;
                if !input.peek(Token![=]) {
                    return Err(input.error(format!(
                        "the query comes after `=`, as a string literal: write `… = \"SELECT …\";` ({EXAMPLE})"
                    )));
                }
                input.parse::<Token![=]>()?;
                let sql: LitStr = input.parse().map_err(|error| {
                    syn::Error::new(
                        error.span(),
                        "the query is a string literal, e.g. `= \"SELECT id, title FROM todos\"`: the macro checks \
                         it while compiling, so it cannot be a constant or an expression",
                    )
                })?;
                Kind::Query { params, parens, shape, sql }.into_item(kept, scope, vis, name)
            } else if input.peek(Ident) && input.fork().parse::<Ident>().is_ok_and(|i| i == TABLE) {
                input.parse::<Ident>()?;
                let name: Ident = input.parse()?;
                arrow(input, &name)?;
                let row = row(input)?;
                Kind::Table { row }.into_item(kept, scope, vis, name)
            } else {
                return Err(syn::Error::new(
                    kind_span,
                    format!(
                        "expected a query, `fn name(params) -> many Row = \"SQL\";`, or a table's helpers, \
                         `table name -> Row;`; e.g. {EXAMPLE}"
                    ),
                ));
            };
            if !input.is_empty() {
                let rest: TokenStream = input.parse()?;
                return Err(syn::Error::new_spanned(rest, "expected `;` after the query: end each item with `;`"));
            }
            if semi.is_none() {
                errors.push(syn::Error::new(
                    item.end_span(),
                    format!("expected `;` after `{}`: end each item with `;`", item.name),
                ));
            }
            Ok(Some(item))
        };
        match parser.parse2(tokens) {
            Ok(item) => item,
            Err(error) => {
                errors.push(error);
                None
            }
        }
    }

    fn end_span(&self) -> Span {
        match &self.kind {
            Kind::Query { sql, .. } => sql.span(),
            Kind::Table { .. } => self.name.span(),
        }
    }
}

impl Kind {
    fn into_item(self, attrs: Vec<Attribute>, scope: Scoped, vis: Visibility, name: Ident) -> Item {
        let Scoped { tenant_scoped, unscoped, scope_unknown } = scope;
        Item { attrs, tenant_scoped, unscoped, scope_unknown, vis, name, kind: self }
    }
}

/// An item's scope attributes.
struct Scoped {
    tenant_scoped: Option<Span>,
    unscoped: Option<(Span, Option<LitStr>)>,
    scope_unknown: bool,
}

/// What an item's attribute is: ours, or one to give the generated function.
enum Flag {
    TenantScoped,
    Unscoped(Option<LitStr>),
    Kept,
    /// Ours, broken (reported).
    Dropped,
}

fn attribute(attr: &Attribute, errors: &mut Errors) -> Flag {
    let path = attr.path();
    if path.is_ident(TENANT_SCOPED) {
        if let Meta::Path(_) = attr.meta {
            return Flag::TenantScoped;
        }
        errors.push(syn::Error::new_spanned(
            &attr.meta,
            format!("`#[{TENANT_SCOPED}]` takes no arguments: write `#[{TENANT_SCOPED}]`"),
        ));
        return Flag::Dropped;
    }
    if path.is_ident(UNSCOPED) {
        let example = format!("`#[{UNSCOPED}({REASON} = \"reports count every tenant's rows\")]`");
        let tokens = match &attr.meta {
            Meta::List(list) => list.tokens.clone(),
            _ => TokenStream::new(),
        };
        if tokens.is_empty() {
            errors.push(syn::Error::new_spanned(
                attr,
                format!("an opt-out of the tenancy check needs a reason, for whoever greps for it: write {example}"),
            ));
            return Flag::Unscoped(None);
        }
        let mut problems = Errors::default();
        let args = Args::parse(tokens, &Spec { name: UNSCOPED, path: false, known: &[REASON] }, &mut problems);
        let reported = problems.any();
        if let Err(error) = problems.finish() {
            errors.push(error);
        }
        return match args.get(REASON) {
            Some((_, Value::Str(lit))) if !lit.value().trim().is_empty() => Flag::Unscoped(Some(lit.clone())),
            Some((_, Value::Str(lit))) => {
                errors.push(syn::Error::new(
                    lit.span(),
                    format!(
                        "the reason is empty: say why this query may read or write every tenant's rows, e.g. {example}"
                    ),
                ));
                Flag::Unscoped(None)
            }
            Some((_, other)) => {
                errors.push(other.error(format!("`{REASON}` is a string literal: write {example}")));
                Flag::Unscoped(None)
            }
            None => {
                if !reported {
                    errors.push(syn::Error::new_spanned(
                        attr,
                        format!("an opt-out of the tenancy check needs a reason: write {example}"),
                    ));
                }
                Flag::Unscoped(None)
            }
        };
    }
    if let Some(ident) = path.get_ident()
        && let Some(close) = did_you_mean(&ident.to_string(), ATTRIBUTES)
    {
        errors
            .push(syn::Error::new_spanned(path, format!("unknown attribute `#[{ident}]`: did you mean `#[{close}]`?")));
        return Flag::Dropped;
    }
    Flag::Kept
}

/// `(a, b)`: the names of the query's parameters, in the order the function takes them.
fn params(input: ParseStream<'_>, name: &Ident) -> syn::Result<(Vec<Ident>, Span)> {
    if !input.peek(syn::token::Paren) {
        return Err(input.error(format!(
            "expected the parameters' names in parentheses: `fn {name}()`, or `fn {name}(id, title)` for a query \
             using `:id` and `:title` (the macro gives them their types)"
        )));
    }
    let content;
    let parens = syn::parenthesized!(content in input);
    let mut params = Vec::new();
    while !content.is_empty() {
        let param: Ident = match content.parse::<Ident>() {
            Ok(ident) => ident,
            Err(_) => {
                let rest: TokenStream = content.parse()?;
                return Err(syn::Error::new_spanned(
                    rest,
                    format!(
                        "list the parameters by name only, `fn {name}(id, title)`: their types come from the \
                         query (`:id` compared with an `INTEGER` column is an `i64`)"
                    ),
                ));
            }
        };
        params.push(param);
        if content.is_empty() {
            break;
        }
        if content.peek(Token![:]) {
            return Err(content.error(format!(
                "list the parameters by name only, `fn {name}(id, title)`: their types come from the query"
            )));
        }
        content.parse::<Token![,]>()?;
    }
    Ok((params, parens.span.join()))
}

fn arrow(input: ParseStream<'_>, name: &Ident) -> syn::Result<()> {
    if input.peek(Token![->]) {
        input.parse::<Token![->]>()?;
        return Ok(());
    }
    Err(input
        .error(format!("expected `->` and what `{name}` returns: `many Row`, `one Row`, `optional Row` or `count`")))
}

fn shape(input: ParseStream<'_>) -> syn::Result<Shape> {
    let keyword: Ident = input.call(Ident::parse_any).map_err(|error| {
        syn::Error::new(
            error.span(),
            "expected what the query returns: `many Row`, `one Row`, `optional Row` or `count`",
        )
    })?;
    let cardinality = match keyword.to_string().as_str() {
        COUNT => return Ok(Shape::Count(keyword)),
        MANY => Cardinality::Many,
        ONE => Cardinality::One,
        OPTIONAL => Cardinality::Optional,
        other => {
            let message = match did_you_mean(other, SHAPES) {
                Some(close) => format!("`{other}` is not what a query returns: did you mean `{close}`?"),
                None => format!(
                    "`{other}` is not what a query returns: write `many Row` (every row), `one Row` (exactly one), \
                     `optional Row` (one or none) or `count` (rows a write changed), before the row type"
                ),
            };
            return Err(syn::Error::new(keyword.span(), message));
        }
    };
    Ok(Shape::Rows(cardinality, keyword, Box::new(row(input)?)))
}

fn row(input: ParseStream<'_>) -> syn::Result<Row> {
    if input.peek(Token![struct]) {
        input.parse::<Token![struct]>()?;
        return Ok(Row::Generated(input.parse()?));
    }
    let ty: Type = input.parse()?;
    if let Some(scalar) = scalar(&ty) {
        return Ok(Row::Scalar(scalar));
    }
    match &ty {
        Type::Tuple(tuple) if !tuple.elems.is_empty() => {
            let mut scalars = Vec::new();
            for elem in &tuple.elems {
                match scalar(elem) {
                    Some(scalar) => scalars.push(scalar),
                    None => {
                        return Err(syn::Error::new_spanned(
                            elem,
                            format!("a tuple row holds column types: {}", TYPES),
                        ));
                    }
                }
            }
            Ok(Row::Tuple(scalars, ty.clone()))
        }
        Type::Path(path) if path.qself.is_none() && path.path.segments.iter().all(|s| s.arguments.is_empty()) => {
            Ok(Row::Struct(path.path.clone()))
        }
        other => Err(syn::Error::new_spanned(
            other,
            "expected a row type: your struct (`Todo`, filled by field name), `struct Name` (a struct the macro \
             writes), a column type (`i64`) or a tuple of them (`(i64, String)`)",
        )),
    }
}

const TYPES: &str = "`i64`, `f64`, `String`, `Vec<u8>`, `bool`, or `Option<…>` of one";

/// `i64`, `f64`, `String`, `Vec<u8>`, `bool`, or `Option` of one.
fn scalar(ty: &Type) -> Option<Scalar> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() || path.path.segments.len() != 1 {
        return None;
    }
    let segment = &path.path.segments[0];
    if segment.ident == "Option"
        && let PathArguments::AngleBracketed(args) = &segment.arguments
        && let [GenericArgument::Type(inner)] = args.args.iter().collect::<Vec<_>>().as_slice()
    {
        let inner = scalar(inner).filter(|s| !s.nullable)?;
        return Some(Scalar { ty: inner.ty, nullable: true, written: ty.clone() });
    }
    let written = ty.to_token_stream().to_string().replace(' ', "");
    SqlType::from_rust(&written).map(|sql| Scalar { ty: sql, nullable: false, written: ty.clone() })
}
