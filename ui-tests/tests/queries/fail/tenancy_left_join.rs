// The `ON` of a `LEFT JOIN` filters only the joined (right) side: the left table keeps every
// row, whatever its tenant, so a predicate on it there does not scope it.
orion::queries! {
    #[tenant_scoped]
    pub fn with_comments() -> many (String, Option<String>) = "
        SELECT n.body, c.body
        FROM notes AS n
        LEFT JOIN comments AS c
            ON c.note_id = n.id AND c.workspace_id = :tenant AND n.workspace_id = :tenant";
}

fn main() {}
