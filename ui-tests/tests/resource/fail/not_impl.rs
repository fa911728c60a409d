use orion::resource;

#[resource("/")]
pub struct Home;

fn main() {}
