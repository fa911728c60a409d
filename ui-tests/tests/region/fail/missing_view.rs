use orion::{Ctx, Result, region};

pub struct Counter;

#[region(topics = ["counter"])]
impl Counter {
    fn model(_ctx: &Ctx) -> Result<i64> {
        Ok(0)
    }
}

fn main() {}
