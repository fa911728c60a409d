//! Views: a view cannot hold `:tenant` (SQLite refuses parameters in views), so a view over
//! tenant-scoped tables is scoped from outside, by a predicate on one of its columns — and
//! that is only sound for a view that passes its rows through one by one.
//!
//! A view is *keyed* by its column `k` when:
//!
//! - it is one `SELECT` (no `UNION`…, no `WITH`), without `GROUP BY`, `HAVING`, aggregate or
//!   window functions, `LIMIT` or `OFFSET` (each would combine or drop rows of every tenant
//!   before the outer predicate is applied);
//! - every tenant-scoped table it reads (or keyed view) is in its own `FROM`, not in a
//!   subquery;
//! - `k` is the tenant column of one of them, the *anchor*, which is not on the nullable side
//!   of an outer join;
//! - every other one is tied to the anchor by a filter `x.<tenant column> = anchor.<tenant
//!   column>` at the top level of its `WHERE` or `ON`.
//!
//! Then every row of the view has the key `k` of all the tenant rows it was made from, and
//! `v.k = :tenant` in the query proves the occurrence of the view. A view that reads no
//! tenant-scoped table is global; any other view over tenant tables is refused.

use super::analysis::{Account, Act, Analysis, Place, describe, exposed, subject};
use super::key::{Keys, Subject};
use super::shape::{self, Site};
use super::writes::from_items;
use crate::schema::View;
use crate::sql::{
    self, BinaryOp, Expr, ExprKind, Filter, Occurrence, ResultColumn, Role, SelectCore, Statement, TableRef,
};

/// The functions that combine rows (with one argument for `min`/`max`).
const AGGREGATES: &[&str] = &[
    "avg",
    "count",
    "group_concat",
    "string_agg",
    "max",
    "min",
    "sum",
    "total",
    "json_group_array",
    "json_group_object",
    "jsonb_group_array",
    "jsonb_group_object",
    "median",
    "percentile",
    "percentile_cont",
    "percentile_disc",
];

/// What a view is, for tenancy.
#[derive(Debug, Clone)]
pub(super) enum ViewVerdict {
    /// It reads no tenant-scoped table.
    Global,
    /// Every row carries its tenant's key in `column`; reading it accounts for `accounts`.
    Keyed { column: String, accounts: Vec<Account> },
    /// It reads tenant-scoped tables in a way a predicate outside cannot scope.
    Refused { reason: String },
}

impl ViewVerdict {
    /// The key column of a keyed view.
    pub(super) fn column(&self) -> Option<String> {
        match self {
            ViewVerdict::Keyed { column, .. } => Some(column.clone()),
            _ => None,
        }
    }
}

/// A tenant-scoped source in a view's `FROM`: a table or a keyed view.
struct Source<'a> {
    occurrence: Occurrence<'a>,
    /// Its tenant column (a keyed view's key column).
    column: String,
    site: Site<'a>,
}

impl Analysis<'_> {
    /// An occurrence of `view` in the statement.
    pub(super) fn view(
        &mut self,
        _statement: &Statement,
        occurrence: &Occurrence<'_>,
        view: &View,
        site: &Site<'_>,
        accessor: Option<&str>,
        place: &Place<'_>,
    ) {
        let verdict = self.view_verdict(view);
        if occurrence.role != Role::Read {
            if !matches!(verdict, ViewVerdict::Global) {
                self.touched = true;
                self.problem(
                    place,
                    occurrence.span,
                    format!("writes through view `{}` cannot be proven scoped to the tenant", view.name),
                    "write to its tables, each write constrained to `:tenant`".to_owned(),
                );
                return;
            }
            // `INSTEAD OF` triggers do the write; the view's rows are no tenant's.
            let write = match occurrence.role {
                Role::Insert => super::effects::Write::Insert,
                Role::Delete | Role::ReplaceDelete => super::effects::Write::Delete,
                _ => super::effects::Write::Update(Vec::new()),
            };
            let what = format!("the write to view `{}`", view.name);
            self.effects(&view.name, &write, false, accessor, place, occurrence.span, &what);
            return;
        }
        match verdict {
            ViewVerdict::Global => {}
            ViewVerdict::Refused { reason } => {
                self.touched = true;
                self.problem(
                    place,
                    occurrence.span,
                    format!(
                        "view `{}` reads tenant-scoped tables in a way a predicate outside it cannot scope: {reason}",
                        view.name
                    ),
                    "read its tables directly, each constrained to the tenant".to_owned(),
                );
            }
            ViewVerdict::Keyed { column, accounts } => {
                self.touched = true;
                let subject = subject(occurrence, &column, site);
                if subject.proven(&place.keys, &occurrence.filters) {
                    self.accounted.extend(accounts);
                    self.proven_reads.insert(occurrence.span);
                } else {
                    self.unscoped(occurrence, subject, site, place);
                }
            }
        }
    }

    /// The verdict on `view` (cached per check).
    pub(super) fn view_verdict(&mut self, view: &View) -> ViewVerdict {
        let name = view.name.to_ascii_lowercase();
        if let Some(verdict) = self.views.get(&name) {
            return verdict.clone();
        }
        // A view cannot reach itself; this guards against a cycle all the same.
        self.views.insert(name.clone(), ViewVerdict::Refused { reason: "it refers to itself".to_owned() });
        let verdict = self.judge(view);
        self.views.insert(name, verdict.clone());
        verdict
    }

    fn judge(&mut self, view: &View) -> ViewVerdict {
        let refused = |reason: String| ViewVerdict::Refused { reason };
        let statement = match sql::parse(&view.query) {
            Ok(statement) => statement,
            Err(error) => {
                return if self.mentions_tenant_table(&view.query) {
                    refused(format!("its query cannot be analysed ({})", error.message))
                } else {
                    ViewVerdict::Global
                };
            }
        };
        let Statement::Select(query) = &statement else { return refused("it is not a query".to_owned()) };
        let shape = shape::of(&statement);
        let place = Place {
            text: &view.query,
            keys: Keys::none(),
            accessor: Some(view.name.clone()),
            nested: None,
            trigger: false,
        };
        let mut sources = Vec::new();
        let mut accounts = Vec::new();
        for occurrence in sql::occurrences(&statement) {
            if occurrence.cte.is_some() {
                continue;
            }
            let site = shape.site(occurrence.span);
            let accessor = site.cte.unwrap_or(&view.name).to_ascii_lowercase();
            let (column, inner) = if let Some(table) = self.schema.table(&occurrence.name.text) {
                match self.schema.tenant_column(&table.name) {
                    Some(column) => {
                        let account = Account {
                            accessor: Some(accessor),
                            table: table.name.to_ascii_lowercase(),
                            act: Act::Read,
                        };
                        (column.to_owned(), vec![account])
                    }
                    None => continue,
                }
            } else if let Some(inner) = self.schema.view(&occurrence.name.text) {
                match self.view_verdict(inner) {
                    ViewVerdict::Global => continue,
                    ViewVerdict::Refused { reason } => {
                        return refused(format!("it reads view `{}`, which {reason}", inner.name));
                    }
                    ViewVerdict::Keyed { column, accounts } => (column, accounts),
                }
            } else {
                continue;
            };
            if occurrence.depth > 0 || site.derived || site.in_table {
                return refused(format!(
                    "{} is read in a subquery, and a view cannot hold `:tenant`",
                    describe(&occurrence)
                ));
            }
            accounts.extend(inner);
            sources.push(Source { occurrence, column, site });
        }
        if sources.is_empty() {
            return ViewVerdict::Global;
        }
        if query.with.is_some() || !query.compound.is_empty() || query.limit.is_some() {
            return refused("it has `WITH`, a compound `SELECT` or `LIMIT`".to_owned());
        }
        let SelectCore::Select(select) = &query.first else { return refused("it is `VALUES`".to_owned()) };
        if !select.group_by.is_empty() || select.having.is_some() || !select.windows.is_empty() {
            return refused("it groups rows (`GROUP BY`, `HAVING` or `WINDOW`)".to_owned());
        }
        let exprs = select
            .columns
            .iter()
            .filter_map(|c| match c {
                ResultColumn::Expr { expr, .. } => Some(expr),
                _ => None,
            })
            .chain(&select.where_)
            .chain(query.order_by.iter().map(|t| &t.expr));
        for expr in exprs {
            if let Some(call) = combining(expr) {
                return refused(format!("`{call}` combines rows of every tenant"));
            }
        }
        // The anchor: a result column that is a source's tenant column.
        let Some((position, anchor)) = self.anchor(select, &sources) else {
            let names: Vec<String> =
                sources.iter().map(|s| format!("{}.{}", exposed(&s.occurrence), s.column)).collect();
            return refused(format!(
                "it does not select the tenant column of an inner-joined table ({})",
                names.join(", ")
            ));
        };
        let Some(key_column) = view.columns.get(position) else {
            return refused("its columns cannot be matched with its query".to_owned());
        };
        let anchor_subject = subject(&sources[anchor].occurrence, &sources[anchor].column, &sources[anchor].site);
        for (i, source) in sources.iter().enumerate() {
            if i == anchor {
                continue;
            }
            let subject = subject(&source.occurrence, &source.column, &source.site);
            if !tied(subject, anchor_subject, &source.occurrence.filters) {
                return refused(format!(
                    "{} is not tied to the tenant of the selected `{}.{}`: add `AND {}.{} = {}.{}` to its join",
                    describe(&source.occurrence),
                    anchor_subject.exposed,
                    anchor_subject.column,
                    subject.exposed,
                    subject.column,
                    anchor_subject.exposed,
                    anchor_subject.column
                ));
            }
        }
        let _ = place;
        ViewVerdict::Keyed { column: key_column.clone(), accounts }
    }

    /// The position of the result column that is an anchor's tenant column, and the anchor.
    fn anchor(&self, select: &sql::Select, sources: &[Source<'_>]) -> Option<(usize, usize)> {
        let items = select.from.as_ref().map(from_items).unwrap_or_default();
        let mut position = 0;
        for column in &select.columns {
            match column {
                ResultColumn::Expr { expr, .. } => {
                    for (i, source) in sources.iter().enumerate() {
                        let subject = subject(&source.occurrence, &source.column, &source.site);
                        if !source.occurrence.nullable && subject.is_column(expr) {
                            return Some((position, i));
                        }
                    }
                    position += 1;
                }
                ResultColumn::Star(_) | ResultColumn::TableStar(_) => {
                    let only = match column {
                        ResultColumn::TableStar(name) => Some(name),
                        _ => None,
                    };
                    for item in &items {
                        let TableRef::Table { name, alias, .. } = item else { return None };
                        let shown = alias.as_ref().unwrap_or(name);
                        if only.is_some_and(|o| !o.is(&shown.text)) {
                            continue;
                        }
                        let columns: Vec<String> = if let Some(table) = self.schema.table(&name.text) {
                            table.columns.iter().map(|c| c.name.clone()).collect()
                        } else if let Some(view) = self.schema.view(&name.text) {
                            view.columns.clone()
                        } else {
                            return None;
                        };
                        let source =
                            sources.iter().position(|s| exposed(&s.occurrence).eq_ignore_ascii_case(&shown.text));
                        for name in columns {
                            if let Some(i) = source
                                && !sources[i].occurrence.nullable
                                && name.eq_ignore_ascii_case(&sources[i].column)
                            {
                                return Some((position, i));
                            }
                            position += 1;
                        }
                    }
                }
            }
        }
        None
    }

    /// Whether `text` names a tenant-scoped table or a view (which may read one).
    pub(super) fn mentions_tenant_table(&self, text: &str) -> bool {
        let Ok(tokens) = sql::lexer_tokens(text) else { return true };
        tokens
            .iter()
            .filter_map(|t| t.name())
            .any(|name| self.schema.tenant_column(name).is_some() || self.schema.view(name).is_some())
    }
}

/// Whether a filter of `source` ties its tenant column to the anchor's.
fn tied(source: Subject<'_>, anchor: Subject<'_>, filters: &[Filter<'_>]) -> bool {
    filters.iter().any(|filter| match filter {
        Filter::Where(expr) | Filter::On(expr) => expr.conjuncts().into_iter().any(|c| match &c.kind {
            ExprKind::Binary { op: BinaryOp::Eq | BinaryOp::Is, left, right } => {
                (source.is_column(left) && anchor.is_column(right))
                    || (source.is_column(right) && anchor.is_column(left))
            }
            _ => false,
        }),
        _ => false,
    })
}

/// An aggregate or window function in `expr` (not looking into subqueries), by name.
fn combining(expr: &Expr) -> Option<String> {
    let mut found = None;
    expr.walk(&mut |node| {
        if let ExprKind::Function(call) = &node.kind {
            let aggregate = AGGREGATES.iter().any(|a| call.name.is(a))
                && !(call.args.len() > 1 && (call.name.is("min") || call.name.is("max")));
            if found.is_none() && (aggregate || call.over.is_some() || call.star) {
                found = Some(call.name.text.clone());
            }
        }
    });
    found
}
