use orion::{Ctx, fragment};

#[fragment("/details")]
fn details(_ctx: &Ctx) {}

fn main() {}
