use orion::region;

#[region(topics = ["counter"])]
pub struct Counter;

fn main() {}
