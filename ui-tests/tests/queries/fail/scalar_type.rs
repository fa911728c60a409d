// A column type must be the column's own: its type, and `Option` exactly when it may be NULL.
orion::queries! {
    pub fn total() -> one String = "SELECT count(*) FROM todos";
    pub fn dues() -> many String = "SELECT due FROM todos";
    pub fn titles() -> many Option<String> = "SELECT title FROM todos";
}

fn main() {}
