//! Tenancy: a tenant is an opaque key and a store bound to it.
//!
//! What a tenant is — an organisation, a workspace, a team — is the app's policy. To orion a
//! tenant is a [`TenantKey`] (validated: it is also a file name and a subdomain) and a
//! [`TenantStore`]: a store bound to that key, which binds the key to every query as the
//! named parameter `:tenant` ([`TENANT_PARAM`]). Feature code never passes a key around; it
//! gets the tenant's store from the request, `ctx.tenant()?`, and there is no ambient "current
//! tenant" to leak across requests, jobs or tests.
//!
//! # Two models, the same feature code
//!
//! | | db-per-tenant ([`Tenancy::per_file`]) | shared-db ([`Tenancy::shared`]) |
//! |---|---|---|
//! | data | one SQLite file per tenant, `<dir>/<key>.db` | one store, every tenant's rows |
//! | isolation | physical: another tenant's file cannot be named | the `= :tenant` predicate |
//! | migrations | run on each file when first opened; [`PerFile::migrate_all`] | the app migrates its store |
//! | a tenant exists when | its file does | it was created (orion's `_orion_tenants`) |
//! | backup, export, delete | one call each ([`PerFile`]) | the app's (rows in a shared file) |
//!
//! Tenant-scoped tables keep their tenant column (`workspace_id`, `tenant`, …) in **both**
//! models, and their SQL always says `… = :tenant`. So the same feature code, and the same
//! compile-time-checked queries, run in either model; under db-per-tenant the predicate is
//! redundant and harmless. Switching models is the one line that builds the [`Tenancy`]:
//!
//! ```no_run
//! use orion::tenant::{self, Tenancy};
//! use orion::{App, Bus, Routes, Store};
//! # fn main() -> orion::Result<()> {
//! # const TENANT_MIGRATIONS: &[orion::store::Migration] = &[];
//! let store = Store::open("data/app.db".as_ref(), &Bus::new())?;
//! let tenancy = Tenancy::per_file("data/tenants".as_ref(), TENANT_MIGRATIONS)?;
//! // …or: store.migrate(TENANT_MIGRATIONS)?; let tenancy = Tenancy::shared(&store)?;
//! let app = App::new(&store).tenancy(&tenancy, tenant::from_param("workspace")).routes(Routes::new());
//! # Ok(())
//! # }
//! ```
//!
//! # Writing tenant-scoped SQL
//!
//! Reads take `&impl TenantSql` (a [`TenantStore`], a [`TenantDb`] snapshot or a [`TenantTx`]);
//! writes take `&TenantTx`. Parameters are named, and `:tenant` is bound by the handle:
//!
//! ```
//! use orion::Result;
//! use orion::store::named_params;
//! use orion::tenant::{TenantSql, TenantTx};
//!
//! pub fn titles(db: &impl TenantSql) -> Result<Vec<(i64, String)>> {
//!     db.query("SELECT id, body FROM notes WHERE workspace_id = :tenant ORDER BY id", &[])
//! }
//!
//! pub fn insert(tx: &TenantTx<'_>, body: &str) -> Result<usize> {
//!     tx.execute("INSERT INTO notes (workspace_id, body) VALUES (:tenant, :body)", named_params! { ":body": body })
//! }
//! ```
//!
//! A statement through a tenant handle that does not mention `:tenant` fails, and so does one
//! whose parameters try to bind `:tenant` themselves. A command and a region read the
//! tenant's store from the context:
//!
//! ```
//! # use orion::{Ctx, Result};
//! # use orion::tenant::{TenantSql, TenantTx};
//! # fn insert(tx: &TenantTx<'_>, body: &str) -> Result<usize> { Ok(0) }
//! async fn add(ctx: Ctx, body: String) -> Result<()> {
//!     let tenant = ctx.tenant()?; // 404 unknown tenant, 400 invalid key
//!     tenant
//!         .write(move |tx| {
//!             insert(tx, &body)?;
//!             tx.publish("notes"); // on this tenant's bus, after the commit
//!             Ok(())
//!         })
//!         .await
//! }
//! ```
//!
//! # Requests, regions and buses
//!
//! [`App::tenancy`](crate::App::tenancy) takes the [`Tenancy`] and a resolver — the app's policy
//! for which tenant a request is for ([`from_param`], [`from_subdomain`], or any function).
//! A request bound to a tenant gets the tenant's own bus as `ctx.bus`, and the tenant is part
//! of every region instance's key: tenants never share a region instance, a render, or a
//! wake-up. A region on a tenant's page is woken by that tenant's publishes (through
//! [`TenantTx::publish`], or `ctx.bus`), not by publishes on the app's store.
//!
//! # Layout
//!
//! - `key.rs` — [`TenantKey`], its alphabet and [`InvalidTenantKey`].
//! - `store.rs` — [`TenantStore`], [`TenantDb`], [`TenantTx`], [`TenantSql`]: binding `:tenant`.
//! - `tenancy.rs` — [`Tenancy`], the model an app picks at start.
//! - `per_file.rs` — [`PerFile`]: tenant files, their cache, backup, export, delete.
//! - `shared.rs` — [`SharedDb`]: every tenant in one store.
//! - `buses.rs` — each tenant's own bus.
//! - `request.rs` — resolvers, and what `ctx.tenant()` answers.

mod buses;
mod key;
mod per_file;
mod request;
mod shared;
mod store;
mod tenancy;

pub use self::key::{InvalidTenantKey, MAX_LEN, Problem, TenantKey};
pub use self::per_file::{PerFile, PerFileOptions};
pub use self::request::{Resolve, from_param, from_subdomain};
pub use self::shared::SharedDb;
pub use self::store::{NamedParams, TENANT_PARAM, TenantDb, TenantSql, TenantStore, TenantTx};
pub use self::tenancy::{Tenancy, TenancyModel};

pub(crate) use self::request::{Resolved, Setup};

use crate::Error;

/// The error for a tenant that does not exist (404).
fn unknown(key: &TenantKey) -> Error {
    Error::not_found(format!("unknown tenant `{key}`: check the address, or create the tenant with `Tenancy::create`"))
}

#[cfg(test)]
mod tests;
