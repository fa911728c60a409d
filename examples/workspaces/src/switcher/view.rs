//! The switcher's markup: a link per workspace, the current one marked.
//!
//! The list is the tenancy's own (`Tenancy::tenants`): a workspace exists when its tenant does,
//! in either model.

use maud::html;
use orion::tenant::TenantKey;
use orion::{Ctx, Error, Html, Result};

/// The workspace bar: a link to each workspace, `current` marked, and the tenancy model.
pub fn nav(ctx: &Ctx, current: Option<&TenantKey>) -> Result<Html> {
    let tenancy = ctx.tenancy().ok_or_else(|| {
        Error::internal(
            "the switcher lists the tenancy's workspaces: build the app with `workspaces::app`, which sets it",
        )
    })?;
    let workspaces = tenancy.tenants()?;
    Ok(html! {
        nav class="switcher" aria-label="workspaces" {
            a href="./" { "workspaces" }
            @for workspace in &workspaces {
                @let here = current == Some(workspace);
                a href={ "w/" (workspace) } class=[here.then_some("current")] aria-current=[here.then_some("page")] {
                    (workspace)
                }
            }
            span class="model" { (tenancy.model()) }
        }
    })
}
