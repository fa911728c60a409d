//! Regions: live parts of a page, each a model read from the store and a pure view of it.
//!
//! A region instance is one region with one set of route parameters. Every viewer of a page
//! holds the instances of that page's regions; on a publish of one of a region's topics, the
//! instance re-reads its model **once** (not once per viewer), compares it with the last one
//! (an unchanged model sends nothing), renders the view once, and encodes it once as a
//! `datastar-patch-elements` event that every viewer's stream writes as the same bytes.
//!
//! The view's HTML is wrapped in `<div id="{ID}">…</div>`, so the patch morphs the region in
//! place by its id.
//!
//! Each frame carries the store's commit sequence ([`Seq`](crate::store::Seq)) of the state it
//! shows, and a page's stream sends it as the SSE `id` once every region of the page is known
//! to be current through it (`position.rs`). A browser that reconnects with `Last-Event-ID`
//! gets a fresh render of only the regions whose topics changed since — after a restart too:
//! the sequence and each topic's "last changed" mark are in the database.

pub(crate) mod cohort;
pub(crate) mod hub;
pub(crate) mod position;
pub mod stream;

use std::sync::Arc;

use crate::html::Html;
use crate::{Ctx, Result};

/// A live region: a model read from the store, and a pure view of that model.
///
/// Usually implemented by `#[region]` (see its docs for the attribute form); implementing it by
/// hand is equivalent:
///
/// ```
/// use maud::html;
/// use orion::{Ctx, Html, Region, Result};
///
/// pub struct Clock;
///
/// impl Region for Clock {
///     type Model = i64;
///     const ID: &'static str = "clock";
///     const TOPICS: &'static [&'static str] = &["ticks"];
///
///     fn model(ctx: &Ctx) -> Result<i64> {
///         let row: Option<(i64,)> = ctx.store.query_one("SELECT 42", ())?;
///         Ok(row.map_or(0, |(n,)| n))
///     }
///
///     fn view(ticks: &i64) -> Html {
///         html! { p { "ticks: " (ticks) } }
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a region",
    label = "listed as a region here",
    note = "put `#[region(topics = [\"…\"])]` on an `impl {Self}` block with `fn model` and `fn view`"
)]
pub trait Region: Send + Sync + 'static {
    /// What the view needs. Compared with the previous model to skip unchanged renders.
    type Model: PartialEq + Send + Sync + 'static;

    /// The element id the region is rendered under; unique on its page.
    const ID: &'static str;

    /// The bus topics whose publishes make the region re-read its model.
    const TOPICS: &'static [&'static str];

    /// Reads the model from the store, synchronously.
    fn model(ctx: &Ctx) -> Result<Self::Model>;

    /// Renders the model. A pure function: it cannot reach the store.
    fn view(model: &Self::Model) -> Html;
}

/// A region, type-erased, as a resource lists it.
#[derive(Clone, Copy)]
pub struct RegionDef {
    pub(crate) id: &'static str,
    pub(crate) topics: &'static [&'static str],
    pub(crate) open: fn(&Ctx) -> Result<Arc<dyn hub::Live>>,
}

impl RegionDef {
    /// The definition of region `R`.
    pub fn of<R: Region>() -> RegionDef {
        RegionDef { id: R::ID, topics: R::TOPICS, open: hub::open::<R> }
    }

    /// The region's element id.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The region's topics.
    pub fn topics(&self) -> &'static [&'static str] {
        self.topics
    }
}

impl std::fmt::Debug for RegionDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegionDef").field("id", &self.id).field("topics", &self.topics).finish()
    }
}
