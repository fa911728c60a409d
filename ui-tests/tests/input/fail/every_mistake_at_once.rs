use orion::Input;

#[derive(Input)]
pub struct Signup {
    #[input(trim, lenght(min = 1))]
    pub name: String,
    #[input(name = "name")]
    pub nickname: String,
    #[input(range())]
    pub age: i64,
}

fn main() {}
