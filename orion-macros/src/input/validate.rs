//! The checks of a `#[derive(Input)]`.

use syn::spanned::Spanned;

use super::ast::{Input, Rule};
use crate::args::Errors;

pub(crate) fn check(input: &Input) -> syn::Result<()> {
    let mut errors = Errors::default();
    if !input.generics.params.is_empty() {
        errors.push(syn::Error::new(input.generics.span(), "an input struct cannot be generic"));
    }
    if input.fields.is_empty() {
        errors.push(syn::Error::new(input.span, "an input has at least one field: a command without input takes no input argument"));
    }
    for field in &input.fields {
        if input.fields.iter().filter(|f| f.signal == field.signal).count() > 1 {
            errors.push(syn::Error::new(
                field.ident.span(),
                format!("two fields read the signal `{}`: give one of them `#[input(name = \"…\")]`", field.signal),
            ));
        }
        for rule in &field.rules {
            let span = match rule {
                Rule::Trim(span) | Rule::Required(span) => *span,
                _ => continue,
            };
            let occurrences = field
                .rules
                .iter()
                .filter(|r| matches!((r, rule), (Rule::Trim(_), Rule::Trim(_)) | (Rule::Required(_), Rule::Required(_))))
                .count();
            if occurrences > 1 {
                errors.push(syn::Error::new(span, "this rule is given twice: keep one"));
            }
        }
    }
    errors.finish()
}
