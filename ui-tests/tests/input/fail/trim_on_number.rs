use orion::Input;

#[derive(Input)]
pub struct Quantity {
    #[input(trim)]
    pub count: i64,
}

fn main() {}
