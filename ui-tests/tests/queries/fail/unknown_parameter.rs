// A listed argument the query does not use: the closest parameter it does use is suggested,
// and that one is not reported again as missing.
orion::queries! {
    pub fn rename(id, titel) -> count = "UPDATE todos SET title = :title WHERE id = :id";
}

fn main() {}
