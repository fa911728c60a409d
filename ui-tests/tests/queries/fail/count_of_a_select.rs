orion::queries! {
    pub fn open() -> count = "SELECT id FROM todos WHERE done = 0";
}

fn main() {}
