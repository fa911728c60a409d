use orion::Input;

#[derive(Input)]
pub struct Quantity {
    #[input(range(min = 1, max = 9.5))]
    pub count: i64,
}

fn main() {}
