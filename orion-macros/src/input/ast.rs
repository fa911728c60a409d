//! The parsed form of a `#[derive(Input)]` struct and its `#[input(...)]` rules.

use proc_macro2::Span;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, Parser};
use syn::{Data, DeriveInput, Expr, Fields, GenericArgument, Ident, LitStr, Path, PathArguments, Token, Type};

use crate::args::{Errors, unknown_key};
use crate::symbol::{CUSTOM, LENGTH, MAX, MIN, NAME, RANGE, REQUIRED, TRIM};

pub(crate) struct Input {
    pub(crate) ident: Ident,
    pub(crate) generics: syn::Generics,
    pub(crate) fields: Vec<Field>,
}

pub(crate) struct Field {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    /// `T` when the field is `Option<T>`.
    pub(crate) optional: Option<Type>,
    pub(crate) signal: String,
    /// The `name = "…"` literal, when the signal is renamed.
    pub(crate) rename: Option<LitStr>,
    pub(crate) rules: Vec<Rule>,
}

pub(crate) enum Rule {
    Trim(Span),
    Required(Span),
    Length { span: Span, min: Option<Expr>, max: Option<Expr> },
    Range { span: Span, min: Option<Expr>, max: Option<Expr> },
    Custom(Path),
}

const RULES: &[&str] = &[TRIM, REQUIRED, LENGTH, RANGE, CUSTOM, NAME];

const NAMED_FIELDS: &str = "`#[derive(Input)]` needs a struct with named fields, one per signal, \
     e.g. `struct NewTodo { title: String }`";

impl Input {
    /// The input, or `None` (with the error recorded) when the item is not a struct with named
    /// fields.
    pub(crate) fn parse(input: &DeriveInput, errors: &mut Errors) -> Option<Input> {
        let named = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named,
                Fields::Unnamed(fields) => {
                    errors.push(syn::Error::new_spanned(fields, NAMED_FIELDS));
                    return None;
                }
                Fields::Unit => {
                    errors.push(syn::Error::new(input.ident.span(), NAMED_FIELDS));
                    return None;
                }
            },
            Data::Enum(data) => {
                errors.push(syn::Error::new(data.enum_token.span, NAMED_FIELDS));
                return None;
            }
            Data::Union(data) => {
                errors.push(syn::Error::new(data.union_token.span, NAMED_FIELDS));
                return None;
            }
        };
        let mut fields = Vec::new();
        for field in &named.named {
            let ident = field.ident.clone().expect("named fields have names");
            let mut parsed = Field {
                signal: ident.to_string(),
                ident,
                ty: field.ty.clone(),
                optional: option_inner(&field.ty),
                rename: None,
                rules: Vec::new(),
            };
            for attr in field.attrs.iter().filter(|a| a.path().is_ident("input")) {
                if let Err(error) = attr.parse_nested_meta(|meta| rule(meta, &mut parsed, errors)) {
                    errors.push(error);
                }
            }
            fields.push(parsed);
        }
        Some(Input { ident: input.ident.clone(), generics: input.generics.clone(), fields })
    }
}

/// Reads one rule of `#[input(...)]`. A wrong rule is recorded and skipped, so the next ones are
/// still read; only broken syntax stops the attribute.
fn rule(meta: ParseNestedMeta<'_>, field: &mut Field, errors: &mut Errors) -> syn::Result<()> {
    let key = meta.path.get_ident().map(Ident::to_string).unwrap_or_else(|| meta.path.to_token_stream().to_string());
    let span = meta.path.get_ident().map_or_else(Span::call_site, Ident::span);
    let error = |errors: &mut Errors, message: String| errors.push(syn::Error::new_spanned(&meta.path, message));
    let given = |rule: &Rule| match rule {
        Rule::Trim(_) => key == TRIM,
        Rule::Required(_) => key == REQUIRED,
        Rule::Length { .. } => key == LENGTH,
        Rule::Range { .. } => key == RANGE,
        Rule::Custom(_) => false,
    };
    if field.rules.iter().any(given) || (key == NAME && field.rename.is_some()) {
        error(errors, format!("`{key}` is given twice: keep one"));
        return skip(&meta);
    }
    match key.as_str() {
        TRIM => field.rules.push(Rule::Trim(span)),
        REQUIRED => field.rules.push(Rule::Required(span)),
        LENGTH | RANGE => {
            let example = if key == LENGTH { "length(min = 1, max = 200)" } else { "range(min = 0, max = 10)" };
            if !meta.input.peek(syn::token::Paren) {
                error(errors, format!("`{key}` takes its bounds: write `{example}`"));
                return skip(&meta);
            }
            let group: proc_macro2::Group = meta.input.parse()?;
            if group.stream().is_empty() {
                error(errors, format!("`{key}` needs a bound: write `{example}`"));
            }
            let (min, max) = bounds.parse2(group.stream()).map(|bounds| bounds.read(errors))?;
            field.rules.push(if key == LENGTH {
                Rule::Length { span, min, max }
            } else {
                Rule::Range { span, min, max }
            });
        }
        CUSTOM => match meta.value().and_then(|value| value.parse::<Path>()) {
            Ok(path) => field.rules.push(Rule::Custom(path)),
            Err(_) => {
                error(
                    errors,
                    format!(
                        "`{CUSTOM}` names the rule's function: write `{CUSTOM} = path::to::rule`, \
                     a `fn(&T) -> Result<(), String>`"
                    ),
                );
                return skip(&meta);
            }
        },
        NAME => {
            let value = match meta.value() {
                Ok(value) => value,
                Err(_) => {
                    error(errors, format!("`{NAME}` needs the signal's name: write `{NAME} = \"{}\"`", field.ident));
                    return skip(&meta);
                }
            };
            match value.parse::<Expr>()? {
                Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lit), .. }) => {
                    field.signal = lit.value();
                    field.rename = Some(lit);
                }
                other => {
                    let written = other.to_token_stream().to_string();
                    let example = if written.chars().all(|c| c.is_alphanumeric() || c == '_') {
                        written
                    } else {
                        field.ident.to_string()
                    };
                    errors.push(syn::Error::new_spanned(
                        &other,
                        format!("`{NAME}` is the signal's name as a string literal: write `{NAME} = \"{example}\"`"),
                    ));
                }
            }
        }
        other => {
            error(errors, unknown_key(other, RULES));
            return skip(&meta);
        }
    }
    Ok(())
}

/// Skips what follows a rule's name (`(…)` or `= value`), up to the next `,`.
fn skip(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    while !meta.input.is_empty() && !meta.input.peek(Token![,]) {
        meta.input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

/// The `min = …, max = …` inside `length(…)` or `range(…)`, as written.
struct Bounds {
    pairs: Vec<(Ident, Option<Expr>)>,
}

fn bounds(input: ParseStream<'_>) -> syn::Result<Bounds> {
    let mut pairs = Vec::new();
    while !input.is_empty() {
        let key: Ident = input.parse()?;
        let value = if input.parse::<Token![=]>().is_ok() { Some(input.parse::<Expr>()?) } else { None };
        pairs.push((key, value));
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    Ok(Bounds { pairs })
}

impl Bounds {
    fn read(self, errors: &mut Errors) -> (Option<Expr>, Option<Expr>) {
        let (mut min, mut max) = (None, None);
        for (key, value) in self.pairs {
            let name = key.to_string();
            let slot = match name.as_str() {
                MIN => &mut min,
                MAX => &mut max,
                other => {
                    errors.push(syn::Error::new(key.span(), unknown_key(other, &[MIN, MAX])));
                    continue;
                }
            };
            match value {
                _ if slot.is_some() => {
                    errors.push(syn::Error::new(key.span(), format!("`{key}` is given twice: keep one")))
                }
                Some(value) => *slot = Some(value),
                None => errors.push(syn::Error::new(key.span(), format!("`{key}` needs a value: write `{key} = 1`"))),
            }
        }
        (min, max)
    }
}

fn option_inner(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) => Some(inner.clone()),
        _ => None,
    }
}
