orion::queries! {
    pub fn reset() -> count = "DELETE FROM todos; DELETE FROM plans";
}

fn main() {}
