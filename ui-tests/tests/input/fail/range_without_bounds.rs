use orion::Input;

#[derive(Input)]
pub struct Quantity {
    #[input(range())]
    pub count: i64,
}

fn main() {}
