use orion::resource;

pub struct Home;

#[resource("/")]
impl Home {}

fn main() {}
