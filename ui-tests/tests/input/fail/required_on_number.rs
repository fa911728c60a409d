use orion::Input;

#[derive(Input)]
pub struct Quantity {
    #[input(required)]
    pub count: i64,
}

fn main() {}
