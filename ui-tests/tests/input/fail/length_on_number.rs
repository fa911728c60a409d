use orion::Input;

#[derive(Input)]
pub struct Quantity {
    #[input(length(max = 3))]
    pub count: i64,
}

fn main() {}
