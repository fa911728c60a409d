use orion::Input;

#[derive(Input)]
pub union Number {
    pub int: i64,
    pub float: f64,
}

fn main() {}
