//! The proof: every occurrence of a tenant-scoped table, wherever it is, constrained to the
//! bound key — or a diagnostic naming the occurrence and the fix.
//!
//! [`Analysis::statement`] walks [`sql::occurrences`] of one statement. Reads are proven by
//! their filters ([`Subject::proven`]); writes by their own rules (`writes.rs`); what a write
//! fires — triggers, foreign-key actions — by `effects.rs`; views by `views.rs`. Every proven
//! occurrence is *accounted* as `(accessor, table, action)`, in the terms SQLite's authorizer
//! uses, so that `crosscheck.rs` can refuse anything SQLite reports that the walk did not
//! prove.

use std::collections::{HashMap, HashSet};

use super::key::{Keys, Subject};
use super::shape::{self, Site};
use super::views::ViewVerdict;
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::schema::{Schema, Table};
use crate::sql::{self, Filter, JoinKind, Occurrence, Role, Span, Statement};

/// How deep triggers may fire triggers before the analysis gives up (and refuses).
pub(super) const MAX_NESTING: usize = 16;

/// What SQLite's authorizer reports, in the analysis' terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Act {
    /// `SQLITE_READ`.
    Read,
    /// `SQLITE_INSERT`.
    Insert,
    /// `SQLITE_UPDATE`.
    Update,
    /// `SQLITE_DELETE`.
    Delete,
}

/// One proven access: SQLite may report `act` on `table` with this accessor.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Account {
    /// The trigger, view or common table expression SQLite names as the accessor
    /// (lowercase), `None` for the statement's own SQL.
    pub(super) accessor: Option<String>,
    /// The table (lowercase).
    pub(super) table: String,
    pub(super) act: Act,
}

/// Where the SQL being analysed sits.
#[derive(Debug, Clone)]
pub(super) struct Place<'t> {
    /// Its text (the statement's, a trigger statement's or a view's query).
    pub(super) text: &'t str,
    /// What stands for the tenant key in it.
    pub(super) keys: Keys,
    /// The accessor SQLite names for its own accesses: `None` for the statement, a trigger's
    /// name for a trigger's body.
    pub(super) accessor: Option<String>,
    /// For SQL other than the checked statement: what it is ("trigger `x`, fired by the
    /// insert into `notes`") and the span of the checked statement that reaches it. Problems
    /// found in it point there.
    pub(super) nested: Option<(String, Span)>,
    /// It is a trigger's body (where `NEW.` and `OLD.` name the triggering row).
    pub(super) trigger: bool,
}

impl<'t> Place<'t> {
    /// The checked statement itself.
    pub(super) fn statement(text: &'t str) -> Place<'t> {
        Place { text, keys: Keys::statement(), accessor: None, nested: None, trigger: false }
    }

    /// The text of `span`.
    pub(super) fn fragment(&self, span: Span) -> &'t str {
        self.text.get(span.range()).unwrap_or("").trim()
    }
}

/// The state of one check.
pub(super) struct Analysis<'s> {
    pub(super) schema: &'s Schema,
    pub(super) problems: Vec<Diagnostic>,
    pub(super) accounted: HashSet<Account>,
    /// A tenant-scoped table was met (the statement is [`Scoped`](super::Scoping::Scoped)).
    pub(super) touched: bool,
    /// The triggers being analysed, outermost first.
    pub(super) triggers: Vec<String>,
    /// Each view's verdict, by lowercase name.
    pub(super) views: HashMap<String, ViewVerdict>,
    /// The effects already followed: `(table, write, proven, accessor)`.
    pub(super) effects_seen: HashSet<String>,
    /// The reads of the statement being analysed that are proven, by span (an
    /// `INSERT … SELECT` may take the tenant column of one).
    pub(super) proven_reads: HashSet<Span>,
}

impl<'s> Analysis<'s> {
    pub(super) fn new(schema: &'s Schema) -> Analysis<'s> {
        Analysis {
            schema,
            problems: Vec::new(),
            accounted: HashSet::new(),
            touched: false,
            triggers: Vec::new(),
            views: HashMap::new(),
            effects_seen: HashSet::new(),
            proven_reads: HashSet::new(),
        }
    }

    /// Records a problem at `span` of `place` (or, for nested SQL, where the statement reaches
    /// it).
    pub(super) fn problem(&mut self, place: &Place<'_>, span: Span, message: String, help: String) {
        let (message, span) = match &place.nested {
            Some((what, at)) => (format!("{what}: {message}"), *at),
            None => (message, span),
        };
        // A fix inside a trigger's body is made where the trigger is created.
        let help = if place.trigger && !help.contains("trigger") {
            format!("{help} in the trigger (drop and recreate it in a new migration)")
        } else {
            help
        };
        let problem = Diagnostic::new(DiagnosticKind::Tenancy, message, help, Some(span));
        if !self.problems.contains(&problem) {
            self.problems.push(problem);
        }
    }

    pub(super) fn account(&mut self, accessor: Option<&str>, table: &str, act: Act) {
        self.accounted.insert(Account {
            accessor: accessor.map(str::to_ascii_lowercase),
            table: table.to_ascii_lowercase(),
            act,
        });
    }

    /// Proves every occurrence of `statement`.
    pub(super) fn statement(&mut self, statement: &Statement, place: &Place<'_>) {
        let shape = shape::of(statement);
        if place.trigger
            && let Some(name) =
                shape.exposed.iter().find(|n| n.eq_ignore_ascii_case("new") || n.eq_ignore_ascii_case("old"))
        {
            let span = statement_span(statement);
            self.problem(
                place,
                span,
                format!("a table or subquery is named `{name}`, which hides the triggering row `{name}.`"),
                "rename it: in a trigger, `NEW.` and `OLD.` name the row that fired it".to_owned(),
            );
            return;
        }
        // Reads first: a write may rely on a proven read (`INSERT … SELECT n.workspace_id`).
        let (reads, writes): (Vec<_>, Vec<_>) =
            sql::occurrences(statement).into_iter().partition(|o| o.role == Role::Read);
        let outer = std::mem::take(&mut self.proven_reads);
        for occurrence in reads.into_iter().chain(writes) {
            if occurrence.cte.is_some() {
                // A common table expression: its own occurrences are walked where it is defined.
                continue;
            }
            let site = shape.site(occurrence.span);
            let accessor = site.cte.map(str::to_owned).or_else(|| place.accessor.clone());
            if let Some(table) = self.schema.table(&occurrence.name.text) {
                self.table(statement, &occurrence, table, &site, accessor.as_deref(), place);
            } else if let Some(view) = self.schema.view(&occurrence.name.text) {
                self.view(statement, &occurrence, view, &site, accessor.as_deref(), place);
            }
            // Anything else (`sqlite_schema`, an eponymous virtual table) is no tenant's: the
            // cross-check with SQLite's authorizer backs this up.
        }
        self.proven_reads = outer;
    }

    fn table(
        &mut self,
        statement: &Statement,
        occurrence: &Occurrence<'_>,
        table: &Table,
        site: &Site<'_>,
        accessor: Option<&str>,
        place: &Place<'_>,
    ) {
        if table.virtual_table && !self.schema.tenant_tables().is_empty() {
            // An FTS index over a tenant table, say: its rows are anyone's.
            self.touched = true;
            self.problem(
                place,
                occurrence.span,
                format!("`{}` is a virtual table, whose rows may be any tenant's", table.name),
                "orion-sql-check cannot prove a virtual table scoped: opt out with a reason, and constrain its rows \
                 yourself"
                    .to_owned(),
            );
            return;
        }
        let column = self.schema.tenant_column(&table.name).map(str::to_owned);
        match (occurrence.role, statement) {
            (Role::Read, _) => {
                if let Some(column) = &column {
                    self.touched = true;
                    let subject = subject(occurrence, column, site);
                    if subject.proven(&place.keys, &occurrence.filters) {
                        self.account(accessor, &table.name, Act::Read);
                        self.proven_reads.insert(occurrence.span);
                    } else {
                        self.unscoped(occurrence, subject, site, place);
                    }
                }
            }
            (Role::Insert, Statement::Insert(insert)) => {
                self.insert(insert, occurrence, table, column.as_deref(), accessor, place);
            }
            (Role::UpsertUpdate, Statement::Insert(insert)) => {
                if let Some(upsert) = insert.upserts.iter().find(|u| u.span == occurrence.span) {
                    self.upsert(insert, upsert, table, column.as_deref(), accessor, place);
                }
            }
            (Role::Update, Statement::Update(update)) => {
                self.update(update, occurrence, table, column.as_deref(), site, accessor, place);
            }
            (Role::Delete, Statement::Delete(_)) => {
                let proven = match &column {
                    Some(column) => {
                        self.touched = true;
                        let subject = subject(occurrence, column, site);
                        let proven = subject.proven(&place.keys, &occurrence.filters);
                        if proven {
                            self.account(accessor, &table.name, Act::Delete);
                            self.account(accessor, &table.name, Act::Read);
                        } else {
                            self.unscoped(occurrence, subject, site, place);
                        }
                        proven
                    }
                    None => false,
                };
                let what = format!("the delete from `{}`", table.name);
                self.effects(
                    &table.name,
                    &super::effects::Write::Delete,
                    proven,
                    accessor,
                    place,
                    occurrence.span,
                    &what,
                );
            }
            (Role::ReplaceDelete, _) => {
                self.replace(statement, table, column.as_deref(), accessor, place, occurrence.span)
            }
            _ => {}
        }
    }

    /// Reports an occurrence that no filter proves scoped: names it, says why when a near
    /// miss explains it, and says where the predicate goes.
    pub(super) fn unscoped(
        &mut self,
        occurrence: &Occurrence<'_>,
        subject: Subject<'_>,
        site: &Site<'_>,
        place: &Place<'_>,
    ) {
        let keys = &place.keys;
        let key = keys.example();
        let named = describe(occurrence);
        let column = if subject.unqualified && occurrence.alias.is_none() {
            subject.column.to_owned()
        } else {
            format!("{}.{}", subject.exposed, subject.column)
        };
        let predicate = format!("{column} = {key}");
        let what = match occurrence.role {
            Role::Update => format!("the update of {named}"),
            Role::Delete => format!("the delete from {named}"),
            _ => named.clone(),
        };
        if !keys.any() {
            self.problem(
                place,
                occurrence.span,
                format!(
                    "{what} is tenant-scoped, but the row that fired the trigger is not a tenant's (a write to a \
                     global table, or one not proven scoped)"
                ),
                "scope the write that fires the trigger, or keep tenant-scoped tables out of triggers on global \
                 tables"
                    .to_owned(),
            );
            return;
        }
        let mut message = format!("{what} is not constrained to the tenant");
        if let Some(reason) = self.near_miss(occurrence, subject, site, place) {
            message.push_str(": ");
            message.push_str(&reason);
        }
        let has_where = occurrence.filters.iter().any(|f| matches!(f, Filter::Where(_)));
        let in_where = if has_where {
            format!("add `AND {predicate}` to the `WHERE`")
        } else {
            format!("add `WHERE {predicate}`")
        };
        let help = if site.in_table {
            format!("write `IN (SELECT … FROM {} WHERE {} = {key})`", occurrence.name, subject.column)
        } else {
            match site.join {
                Some((JoinKind::Full, _)) => format!(
                    "a `FULL JOIN` keeps the rows of {named} that match nothing: join a scoped subquery instead, \
                     `(SELECT * FROM {} WHERE {} = {key}) AS {}`",
                    occurrence.name, subject.column, subject.exposed
                ),
                // A `RIGHT JOIN`'s `ON` does not filter the table it joins (that side keeps
                // every row): only the `WHERE` does.
                Some((kind, true)) if matches!(occurrence.role, Role::Read) && kind != JoinKind::Right => {
                    format!("add `AND {predicate}` to the `ON` of the join of {named}")
                }
                _ if site.derived && occurrence.depth > 0 && !has_where => {
                    format!("add `WHERE {predicate}` inside {}, where it reads {named}", derived(site))
                }
                _ => in_where,
            }
        };
        self.problem(place, occurrence.span, message, help);
    }

    /// Why a predicate written for this occurrence does not prove it, when one is there.
    fn near_miss(
        &self,
        occurrence: &Occurrence<'_>,
        subject: Subject<'_>,
        site: &Site<'_>,
        place: &Place<'_>,
    ) -> Option<String> {
        let keys = &place.keys;
        for filter in &occurrence.filters {
            if let Filter::Where(expr) | Filter::On(expr) = filter
                && let Some(buried) = subject.buried(keys, expr)
            {
                return Some(format!(
                    "`{}` does not hold for every row (it is inside `OR`, `NOT` or another expression; only a \
                     conjunct joined with `AND` counts)",
                    place.fragment(buried.span)
                ));
            }
        }
        for on in &site.unfiltering_ons {
            if let Some(found) = find(subject, keys, on) {
                return Some(format!(
                    "`{}` is in the `ON` of an outer join that keeps rows of `{}` it does not match",
                    place.fragment(found.span),
                    subject.exposed
                ));
            }
        }
        if let Some(having) = site.having
            && let Some(found) = find(subject, keys, having)
        {
            return Some(format!("`{}` is in `HAVING`, which filters groups, not rows", place.fragment(found.span)));
        }
        // The same column of another alias: a self-join's other side.
        for filter in &occurrence.filters {
            if let Filter::Where(expr) | Filter::On(expr) = filter {
                for conjunct in expr.conjuncts() {
                    if let Some(other) = other_alias(subject, keys, conjunct) {
                        return Some(format!(
                            "`{}` constrains `{other}`, not `{}`",
                            place.fragment(conjunct.span),
                            subject.exposed
                        ));
                    }
                }
            }
        }
        // A conjunct about the tenant column that is not the one proving form: a tautology
        // (`col = col`, `col IS NOT NULL`), a set of keys, another parameter, a `COLLATE`…
        for filter in &occurrence.filters {
            if let Filter::Where(expr) | Filter::On(expr) = filter {
                for conjunct in expr.conjuncts() {
                    if mentions(subject, conjunct) {
                        return Some(format!(
                            "`{}` does not constrain it to the tenant (only `{} = {}` does, with nothing around \
                             either side)",
                            place.fragment(conjunct.span),
                            subject.column,
                            keys.example()
                        ));
                    }
                }
            }
        }
        if site.derived && occurrence.filters.is_empty() {
            return Some(format!("a predicate outside {} does not reach the rows it reads", derived(site)));
        }
        None
    }
}

/// What holds an occurrence that predicates outside do not reach: `the common table
/// expression `x``, or `the subquery`.
fn derived(site: &Site<'_>) -> String {
    match site.cte {
        Some(name) => format!("the common table expression `{name}`"),
        None => "the subquery".to_owned(),
    }
}

/// The tenant column of `occurrence` as predicates name it.
pub(super) fn subject<'a>(occurrence: &Occurrence<'a>, column: &'a str, site: &Site<'_>) -> Subject<'a> {
    Subject { exposed: exposed(occurrence), column, unqualified: site.sole }
}

/// The name an occurrence exposes: its alias, or its name.
pub(super) fn exposed<'a>(occurrence: &Occurrence<'a>) -> &'a str {
    occurrence.alias.unwrap_or(occurrence.name).text.as_str()
}

/// `` `notes AS n2` `` or `` `notes` ``.
pub(super) fn describe(occurrence: &Occurrence<'_>) -> String {
    match occurrence.alias {
        Some(alias) => format!("`{} AS {}`", occurrence.name, alias),
        None => format!("`{}`", occurrence.name),
    }
}

/// A predicate anywhere in `expr` that would prove `subject`.
fn find<'e>(subject: Subject<'_>, keys: &Keys, expr: &'e sql::Expr) -> Option<&'e sql::Expr> {
    let mut found = None;
    expr.walk(&mut |node| {
        if found.is_none() && subject.constrained_by(keys, node) {
            found = Some(node);
        }
    });
    found
}

/// Whether `expr` reads the subject's tenant column.
fn mentions(subject: Subject<'_>, expr: &sql::Expr) -> bool {
    let mut found = false;
    expr.walk(&mut |node| found |= subject.is_column(node));
    found
}

/// `x.col = key` where `x` is another alias than the subject's: the alias.
fn other_alias<'e>(subject: Subject<'_>, keys: &Keys, conjunct: &'e sql::Expr) -> Option<&'e str> {
    let sql::ExprKind::Binary { op: sql::BinaryOp::Eq | sql::BinaryOp::Is, left, right } = &conjunct.kind else {
        return None;
    };
    let column = if keys.is_key(right) {
        left
    } else if keys.is_key(left) {
        right
    } else {
        return None;
    };
    match &column.kind {
        sql::ExprKind::Column { table: Some(table), column, .. }
            if column.is(subject.column) && !table.is(subject.exposed) =>
        {
            Some(table.text.as_str())
        }
        _ => None,
    }
}

/// The whole statement's span.
pub(super) fn statement_span(statement: &Statement) -> Span {
    match statement {
        Statement::Select(query) => query.span,
        Statement::Insert(insert) => insert.span,
        Statement::Update(update) => update.span,
        Statement::Delete(delete) => delete.span,
    }
}
