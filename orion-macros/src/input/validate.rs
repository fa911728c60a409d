//! The checks of a `#[derive(Input)]` that look at the whole struct, and at rules that cannot
//! apply to their field's type when that type is plain to see (`i64`, `String`).

use quote::ToTokens;
use syn::Type;

use super::ast::{Field, Input, Rule};
use crate::args::Errors;
use crate::symbol::{LENGTH, RANGE, REQUIRED, TRIM};

const NUMBERS: &[&str] =
    &["i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize", "f32", "f64"];

pub(crate) fn check(input: &Input, errors: &mut Errors) {
    if !input.generics.params.is_empty() {
        errors.push(syn::Error::new_spanned(
            &input.generics,
            "an input struct cannot be generic: give each field its concrete type",
        ));
    }
    if input.fields.is_empty() {
        errors.push(syn::Error::new(
            input.ident.span(),
            "an input has at least one field: for a command without input, remove its input argument",
        ));
    }
    for field in &input.fields {
        rule_types(field, errors);
    }
    for (i, field) in input.fields.iter().enumerate() {
        let Some(first) = input.fields[..i].iter().find(|f| f.signal == field.signal) else {
            continue;
        };
        let message = format!(
            "the signal `{}` is already read by field `{}`: give this field another `#[input(name = \"…\")]`",
            field.signal, first.ident
        );
        errors.push(match &field.rename {
            Some(lit) => syn::Error::new(lit.span(), message),
            None => syn::Error::new(field.ident.span(), message),
        });
    }
}

/// Text rules on a number or `bool`, and `range` on text, reported on the rule. Other types are
/// left to rustc, whose error lands on the rule too.
fn rule_types(field: &Field, errors: &mut Errors) {
    let ty = field.optional.as_ref().unwrap_or(&field.ty);
    let Type::Path(path) = ty else { return };
    let Some(name) = path.path.get_ident().map(ToString::to_string) else {
        return;
    };
    let kind = if NUMBERS.contains(&name.as_str()) {
        Some("a number")
    } else if name == "bool" {
        Some("a `bool`")
    } else {
        None
    };
    let is_text = name == "String";
    let field_ty = format!("{}: {}", field.ident, ty.to_token_stream());
    for rule in &field.rules {
        let (span, message) = match (rule, kind) {
            (Rule::Trim(span), Some(kind)) => {
                (*span, format!("`{TRIM}` applies to text, and `{field_ty}` is {kind}: remove it"))
            }
            (Rule::Required(span), Some(kind)) => (
                *span,
                format!(
                    "`{REQUIRED}` applies to text, and `{field_ty}` is {kind}: remove it \
                     (a field that is not an `Option` is required already)"
                ),
            ),
            (Rule::Length { span, .. }, Some("a number")) => (
                *span,
                format!(
                    "`{LENGTH}` applies to text, and `{field_ty}` is a number: bound it with `{RANGE}(min = …, max = …)`"
                ),
            ),
            (Rule::Range { span, .. }, _) if is_text => (
                *span,
                format!(
                    "`{RANGE}` applies to numbers, and `{field_ty}` is text: bound it with `{LENGTH}(min = …, max = …)`"
                ),
            ),
            _ => continue,
        };
        errors.push(syn::Error::new(span, message));
    }
}
