// An opt-out of the tenancy check is greppable and says why: without a reason it is refused.
orion::queries! {
    #[unscoped]
    pub fn count_all() -> one i64 = "SELECT count(*) FROM notes";

    #[unscoped(reason = "")]
    pub fn bodies() -> many String = "SELECT body FROM notes";

    #[unscoped(because = "admin report")]
    pub fn ids() -> many i64 = "SELECT id FROM notes";
}

fn main() {}
