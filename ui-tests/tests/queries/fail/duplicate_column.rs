orion::queries! {
    pub fn pairs() -> many struct Pair = "SELECT a.id, b.id FROM todos a JOIN todos b ON b.done = a.done";
}

fn main() {}
