//! The parsed form of a `#[derive(Input)]` struct and its `#[input(...)]` rules.

use proc_macro2::{Span, TokenStream};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Expr, Fields, GenericArgument, Ident, LitStr, Path, PathArguments, Type};

use crate::args::{Errors, unknown_key};
use crate::symbol::{CUSTOM, LENGTH, MAX, MIN, NAME, RANGE, REQUIRED, TRIM};

pub(crate) struct Input {
    pub(crate) ident: Ident,
    pub(crate) generics: syn::Generics,
    pub(crate) fields: Vec<Field>,
    pub(crate) span: Span,
}

pub(crate) struct Field {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    /// `T` when the field is `Option<T>`.
    pub(crate) optional: Option<Type>,
    pub(crate) signal: String,
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

impl Input {
    pub(crate) fn parse(item: TokenStream) -> syn::Result<Input> {
        let input: DeriveInput = syn::parse2(item)?;
        let span = input.ident.span();
        let Data::Struct(data) = &input.data else {
            return Err(syn::Error::new(span, "`#[derive(Input)]` needs a struct with named fields: one field per signal"));
        };
        let Fields::Named(named) = &data.fields else {
            return Err(syn::Error::new(span, "`#[derive(Input)]` needs a struct with named fields: one field per signal"));
        };
        let mut errors = Errors::default();
        let mut fields = Vec::new();
        for field in &named.named {
            let ident = field.ident.clone().expect("named fields have names");
            let mut parsed = Field {
                signal: ident.to_string(),
                ident,
                ty: field.ty.clone(),
                optional: option_inner(&field.ty),
                rules: Vec::new(),
            };
            for attr in field.attrs.iter().filter(|a| a.path().is_ident("input")) {
                if let Err(error) = parse_rules(attr, &mut parsed) {
                    errors.push(error);
                }
            }
            fields.push(parsed);
        }
        errors.finish()?;
        Ok(Input { ident: input.ident, generics: input.generics, fields, span })
    }
}

fn parse_rules(attr: &syn::Attribute, field: &mut Field) -> syn::Result<()> {
    attr.parse_nested_meta(|meta| {
        let key = meta.path.get_ident().map(Ident::to_string).unwrap_or_default();
        let span = meta.path.span();
        match key.as_str() {
            TRIM => field.rules.push(Rule::Trim(span)),
            REQUIRED => field.rules.push(Rule::Required(span)),
            LENGTH | RANGE => {
                let (mut min, mut max) = (None, None);
                meta.parse_nested_meta(|bound| {
                    let which = bound.path.get_ident().map(Ident::to_string).unwrap_or_default();
                    let value: Expr = bound.value()?.parse()?;
                    match which.as_str() {
                        MIN => min = Some(value),
                        MAX => max = Some(value),
                        other => return Err(bound.error(unknown_key(other, &[MIN, MAX]))),
                    }
                    Ok(())
                })?;
                if min.is_none() && max.is_none() {
                    return Err(meta.error(format!("`{key}` needs a bound: `{key}(min = 1, max = 200)`")));
                }
                field.rules.push(if key == LENGTH {
                    Rule::Length { span, min, max }
                } else {
                    Rule::Range { span, min, max }
                });
            }
            CUSTOM => field.rules.push(Rule::Custom(meta.value()?.parse()?)),
            NAME => field.signal = meta.value()?.parse::<LitStr>()?.value(),
            other => return Err(meta.error(unknown_key(other, RULES))),
        }
        Ok(())
    })
}

fn option_inner(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.first()? {
        GenericArgument::Type(inner) => Some(inner.clone()),
        _ => None,
    }
}
