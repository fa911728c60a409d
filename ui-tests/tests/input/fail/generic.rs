use orion::Input;

#[derive(Input)]
pub struct Value<T> {
    pub value: T,
}

fn main() {}
