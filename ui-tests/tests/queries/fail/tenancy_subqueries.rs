// Predicates do not travel into or out of subqueries: each occurrence needs its own. A subquery
// in `FROM`, `EXISTS`, `IN` and a scalar subquery without one are refused, and so is a predicate
// written outside the subquery that reads the table.
orion::queries! {
    #[tenant_scoped]
    pub fn outside() -> many String =
        "SELECT s.body FROM (SELECT workspace_id, body FROM notes) AS s WHERE s.workspace_id = :tenant";

    #[tenant_scoped]
    pub fn commented() -> many String = "
        SELECT n.body FROM notes AS n
        WHERE n.workspace_id = :tenant AND EXISTS (SELECT 1 FROM comments AS c WHERE c.note_id = n.id)";

    #[tenant_scoped]
    pub fn listed() -> many String =
        "SELECT body FROM notes WHERE workspace_id = :tenant AND id IN (SELECT note_id FROM comments)";

    #[tenant_scoped]
    pub fn counted() -> many (String, i64) = "
        SELECT n.body, (SELECT count(*) FROM comments AS c WHERE c.note_id = n.id)
        FROM notes AS n WHERE n.workspace_id = :tenant";
}

fn main() {}
