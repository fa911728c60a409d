// The argument's type comes from the column: rustc's own error lands on the caller's argument.
use orion::store::Tx;

orion::queries! {
    pub fn rename(id, title) -> count = "UPDATE todos SET title = :title WHERE id = :id";
}

fn caller(tx: &Tx<'_>) -> orion::Result<usize> {
    rename(tx, "7", "buy milk")
}

fn main() {}
