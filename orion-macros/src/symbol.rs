//! The attribute keywords, defined once and used in parsing and in every message.

pub(crate) const TOPICS: &str = "topics";
pub(crate) const ID: &str = "id";
pub(crate) const METHOD: &str = "method";
pub(crate) const FORM: &str = "form";
pub(crate) const REGIONS: &str = "regions";
pub(crate) const COMMANDS: &str = "commands";
pub(crate) const FRAGMENTS: &str = "fragments";
pub(crate) const SELECTOR: &str = "selector";
pub(crate) const MODE: &str = "mode";

pub(crate) const TRIM: &str = "trim";
pub(crate) const REQUIRED: &str = "required";
pub(crate) const LENGTH: &str = "length";
pub(crate) const RANGE: &str = "range";
pub(crate) const CUSTOM: &str = "custom";
pub(crate) const NAME: &str = "name";
pub(crate) const MIN: &str = "min";
pub(crate) const MAX: &str = "max";

pub(crate) const MODEL_FN: &str = "model";
pub(crate) const VIEW_FN: &str = "view";
pub(crate) const PAGE_FN: &str = "page";

pub(crate) const TENANT_SCOPED: &str = "tenant_scoped";
pub(crate) const UNSCOPED: &str = "unscoped";
pub(crate) const REASON: &str = "reason";
pub(crate) const MIGRATIONS: &str = "migrations";
pub(crate) const TABLE: &str = "table";
pub(crate) const MANY: &str = "many";
pub(crate) const ONE: &str = "one";
pub(crate) const OPTIONAL: &str = "optional";
pub(crate) const COUNT: &str = "count";
/// The parameter a tenant-bound handle binds itself (`orion::tenant::TENANT_PARAM` without `:`).
pub(crate) const TENANT_PARAM: &str = "tenant";
