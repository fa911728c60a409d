//! What a write makes SQLite do beyond its own rows: the triggers it fires and the foreign
//! keys it checks or acts on. Each is proven like the statement's own SQL.
//!
//! - **Triggers.** Each trigger the write fires is analysed statement by statement (its
//!   `WHEN` too) with the triggering row as the key: after a proven write to a tenant table
//!   `t` with tenant column `c`, `NEW.c` (insert, update) and `OLD.c` (update, delete) are the
//!   tenant's key, so the body proves its occurrences with `… = NEW.c`. After a write to a
//!   global table (or one not proven) there is no key, and a trigger touching a tenant table
//!   is refused. SQLite does not fire a trigger from itself (`recursive_triggers` is off), nor
//!   does the analysis.
//! - **Foreign keys.** Writing a child row makes SQLite look up its parent; deleting a parent
//!   row (or changing its key) makes SQLite look up its children and `CASCADE`, `SET NULL` or
//!   `SET DEFAULT` them. Between two tenant tables this is proven when the foreign key maps
//!   the child's tenant column to the parent's (`FOREIGN KEY (workspace_id, note_id)
//!   REFERENCES notes (workspace_id, id)`): the rows reached then have the written rows' key.
//!   A foreign key between tenant tables without it, and one from a global table to a tenant
//!   table, reach every tenant's rows and are refused when the write uses them.

use super::analysis::{Act, Analysis, MAX_NESTING, Place};
use super::key::Keys;
use crate::schema::{ForeignKey, TriggerEvent};
use crate::sql::{self, Span, lexer_tokens};

/// A write to a table, as far as triggers and foreign keys care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Write {
    Insert,
    /// The columns set.
    Update(Vec<String>),
    Delete,
}

impl Analysis<'_> {
    /// Follows what writing `table` (rows proven the tenant's when `proven`) fires.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn effects(
        &mut self,
        table: &str,
        write: &Write,
        proven: bool,
        accessor: Option<&str>,
        place: &Place<'_>,
        at: Span,
        what: &str,
    ) {
        let seen = format!("{}|{write:?}|{proven}|{accessor:?}|{:?}", table.to_ascii_lowercase(), place.keys);
        if !self.effects_seen.insert(seen) {
            return;
        }
        let column = self.schema.tenant_column(table).map(str::to_owned);
        // A tenant table whose write was not proven is already reported; what it fires would
        // only repeat that.
        if column.is_some() && !proven {
            return;
        }
        self.triggers_fired(table, column.as_deref(), write, place, at, what);
        self.parents(table, column.as_deref(), write, accessor, place, at, what);
        self.children(table, column.as_deref(), write, accessor, place, at, what);
    }

    fn triggers_fired(
        &mut self,
        table: &str,
        column: Option<&str>,
        write: &Write,
        place: &Place<'_>,
        at: Span,
        what: &str,
    ) {
        let schema = self.schema;
        for trigger in schema.triggers() {
            if !trigger.table.eq_ignore_ascii_case(table) || !fires(&trigger.event, write) {
                continue;
            }
            if self.triggers.iter().any(|t| t.eq_ignore_ascii_case(&trigger.name)) {
                continue;
            }
            let chain = match &place.nested {
                Some((outer, _)) => format!("{outer}, then trigger `{}`", trigger.name),
                None => format!("trigger `{}` (fired by {what})", trigger.name),
            };
            let at = place.nested.as_ref().map_or(at, |(_, at)| *at);
            if self.triggers.len() >= MAX_NESTING {
                self.problem(
                    place,
                    at,
                    format!("{chain} nests triggers more than {MAX_NESTING} deep"),
                    "flatten the triggers, or opt out of the tenancy check with a reason".to_owned(),
                );
                continue;
            }
            let keys = match column {
                Some(column) => Keys::row(column, *write != Write::Delete, *write != Write::Insert),
                None => Keys::none(),
            };
            // The trigger reads the triggering row (`NEW.`, `OLD.`).
            self.account(Some(&trigger.name), table, Act::Read);
            self.triggers.push(trigger.name.clone());
            let mut bodies: Vec<String> = trigger.body.clone();
            if let Some(when) = when_clause(&trigger.sql) {
                bodies.push(format!("SELECT {when}"));
            }
            for body in &bodies {
                let inner = Place {
                    text: body,
                    keys: keys.clone(),
                    accessor: Some(trigger.name.clone()),
                    nested: Some((chain.clone(), at)),
                    trigger: true,
                };
                match sql::parse(body) {
                    Ok(statement) => self.statement(&statement, &inner),
                    Err(error) => self.problem(
                        &inner,
                        error.span,
                        format!("its statement `{}` cannot be analysed: {}", body.trim(), error.message),
                        "write the trigger with the statements the README lists".to_owned(),
                    ),
                }
            }
            self.triggers.pop();
        }
    }

    /// The parents a child write makes SQLite look up.
    #[allow(clippy::too_many_arguments)]
    fn parents(
        &mut self,
        table: &str,
        column: Option<&str>,
        write: &Write,
        accessor: Option<&str>,
        place: &Place<'_>,
        at: Span,
        what: &str,
    ) {
        let Some(child) = self.schema.table(table) else { return };
        for key in &child.foreign_keys {
            let looked_up = match write {
                Write::Insert | Write::Delete => true,
                Write::Update(columns) => columns.iter().any(|c| key.from.iter().any(|f| f.eq_ignore_ascii_case(c))),
            };
            let Some(parent_column) = self.schema.tenant_column(&key.parent) else { continue };
            if !looked_up {
                continue;
            }
            if column.is_some_and(|c| key.references(c).is_some_and(|p| p.eq_ignore_ascii_case(parent_column))) {
                self.account(None, &key.parent, Act::Read);
                self.account(accessor, &key.parent, Act::Read);
                continue;
            }
            let (message, help) = match column {
                Some(column) => (
                    format!(
                        "{what} makes SQLite look up `{}` rows of every tenant through the foreign key {}, which \
                         does not include the tenant column",
                        key.parent,
                        show(table, key)
                    ),
                    fix(table, column, key, parent_column),
                ),
                None => (
                    format!(
                        "{what} makes SQLite look up rows of tenant-scoped `{}` from global table `{table}` through \
                         the foreign key {}",
                        key.parent,
                        show(table, key)
                    ),
                    format!(
                        "make `{table}` tenant-scoped (`-- orion: tenant {table}.<column>`), or opt out with a reason"
                    ),
                ),
            };
            self.problem(place, at, message, help);
        }
    }

    /// The children a parent delete or key change makes SQLite look up and act on.
    #[allow(clippy::too_many_arguments)]
    fn children(
        &mut self,
        table: &str,
        column: Option<&str>,
        write: &Write,
        accessor: Option<&str>,
        place: &Place<'_>,
        at: Span,
        what: &str,
    ) {
        let schema = self.schema;
        let parent = schema.table(table);
        for child in schema.tables() {
            for key in child.foreign_keys.iter().filter(|k| k.parent.eq_ignore_ascii_case(table)) {
                let action = match write {
                    // Inserting a parent row makes SQLite count the children waiting for it
                    // (deferred keys, or a statement that writes more than one table): a
                    // read of the child, proven when the key is linked; otherwise left to the
                    // cross-check, which refuses it if SQLite does read.
                    Write::Insert => {
                        let linked = column.zip(schema.tenant_column(&child.name)).is_some_and(|(c, child_column)| {
                            key.references(child_column).is_some_and(|p| p.eq_ignore_ascii_case(c))
                        });
                        if linked {
                            self.account(None, &child.name, Act::Read);
                            self.account(accessor, &child.name, Act::Read);
                        }
                        continue;
                    }
                    Write::Delete => key.on_delete.as_str(),
                    Write::Update(columns) => {
                        let changes_key = columns.iter().any(|c| {
                            key.to.iter().any(|t| t.eq_ignore_ascii_case(c))
                                || (["rowid", "oid", "_rowid_"].iter().any(|r| r.eq_ignore_ascii_case(c))
                                    && parent.and_then(|p| p.rowid_alias()).is_some_and(|alias| {
                                        key.to.iter().any(|t| t.eq_ignore_ascii_case(&alias.name))
                                    }))
                        });
                        if !changes_key {
                            continue;
                        }
                        key.on_update.as_str()
                    }
                };
                let written = match (action.to_ascii_uppercase().as_str(), write) {
                    ("CASCADE", Write::Delete) => Some((Write::Delete, Act::Delete)),
                    ("CASCADE", _) | ("SET NULL", _) | ("SET DEFAULT", _) => {
                        Some((Write::Update(key.from.clone()), Act::Update))
                    }
                    _ => None,
                };
                let child_column = schema.tenant_column(&child.name);
                let Some(child_column) = child_column else {
                    // A global child: its rows are no tenant's, but what writing them fires is
                    // followed (without a key).
                    if let Some((write, _)) = written {
                        let what = format!("the foreign key action on `{}`", child.name);
                        self.effects(&child.name, &write, false, accessor, place, at, &what);
                    }
                    continue;
                };
                let linked =
                    column.is_some_and(|c| key.references(child_column).is_some_and(|p| p.eq_ignore_ascii_case(c)));
                if !linked {
                    let message = match column {
                        Some(_) => format!(
                            "{what} makes SQLite look up `{}` rows of every tenant through the foreign key {}, which \
                             does not include the tenant column",
                            child.name,
                            show(&child.name, key)
                        ),
                        None => format!(
                            "{what} makes SQLite look up rows of tenant-scoped `{}` of every tenant through the \
                             foreign key {} to global table `{table}`",
                            child.name,
                            show(&child.name, key)
                        ),
                    };
                    let help = match column {
                        Some(column) => fix(&child.name, child_column, key, column),
                        None => "don't reference global rows that are deleted or re-keyed from tenant-scoped tables, \
                                 or opt out with a reason"
                            .to_owned(),
                    };
                    self.problem(place, at, message, help);
                    continue;
                }
                self.account(None, &child.name, Act::Read);
                self.account(accessor, &child.name, Act::Read);
                // The action's own program reads the parent row (`OLD.`), with no accessor.
                self.account(None, table, Act::Read);
                if let Some((write, act)) = written {
                    self.account(None, &child.name, act);
                    self.account(accessor, &child.name, act);
                    let what = format!("the foreign key action on `{}` ({what})", child.name);
                    self.effects(&child.name, &write, true, accessor, place, at, &what);
                }
            }
        }
    }
}

/// Whether a trigger on `event` fires for `write`.
fn fires(event: &TriggerEvent, write: &Write) -> bool {
    match (event, write) {
        (TriggerEvent::Insert, Write::Insert) | (TriggerEvent::Delete, Write::Delete) => true,
        (TriggerEvent::Update(of), Write::Update(columns)) => {
            of.is_empty() || of.iter().any(|o| columns.iter().any(|c| c.eq_ignore_ascii_case(o)))
        }
        _ => false,
    }
}

/// `` `comments (note_id) REFERENCES notes (id)` ``.
fn show(child: &str, key: &ForeignKey) -> String {
    format!("`{child} ({}) REFERENCES {} ({})`", key.from.join(", "), key.parent, key.to.join(", "))
}

/// How to make the foreign key carry the tenant.
fn fix(child: &str, child_column: &str, key: &ForeignKey, parent_column: &str) -> String {
    format!(
        "make it include the tenant column, `FOREIGN KEY ({child_column}, {}) REFERENCES {} ({parent_column}, {})` \
         (with `UNIQUE ({parent_column}, {})` on `{}`), in `{child}`",
        key.from.join(", "),
        key.parent,
        key.to.join(", "),
        key.to.join(", "),
        key.parent
    )
}

/// The expression of a trigger's `WHEN` clause, if it has one.
fn when_clause(create: &str) -> Option<String> {
    let tokens = lexer_tokens(create).ok()?;
    let mut depth = 0usize;
    let mut start = None;
    for token in &tokens {
        if token.is_open_paren() {
            depth += 1;
        } else if token.is_close_paren() {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && token.is_word("BEGIN") {
            let start = start?;
            return Some(create[start..token.span.start].trim().to_owned());
        } else if depth == 0 && start.is_none() && token.is_word("WHEN") {
            start = Some(token.span.end);
        }
    }
    None
}
