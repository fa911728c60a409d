orion::queries! {
    pub fn rename(id) -> count = "UPDATE todos SET title = :title, due = :due WHERE id = :id";
}

fn main() {}
