// A misspelt column: SQLite's message, the fragment underlined, and the closest name.
orion::queries! {
    pub fn all() -> many (i64, String) = "SELECT id, titel FROM todos ORDER BY id";
}

fn main() {}
