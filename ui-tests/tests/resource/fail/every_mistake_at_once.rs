use orion::resource;

pub struct Home;

#[resource(region = [], commands = ["add"])]
impl Home {}

fn main() {}
