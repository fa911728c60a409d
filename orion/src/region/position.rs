//! A stream's position: which commit a viewer's page is current through, sent as the SSE `id`.
//!
//! Every frame carries the commit sequence of the state it shows ([`Frame::seq`]). A browser
//! keeps the `id` of the last event it received and sends it back as `Last-Event-ID` when it
//! reconnects; the server then re-renders only the regions whose topics changed after it
//! (see [`stream`](super::stream)). That is only sound if the id promises something about the
//! **whole page**: "every region you hold is current through this commit". A frame's own
//! sequence does not promise that — another region of the same page may have changed before
//! it, with its new frame not rendered or not written yet.
//!
//! So a stream tracks what it has written of each region, and the position of the page is the
//! smallest, over its regions, of the commit each written frame is known to be current
//! through ([`Live::current_through`]). A frame goes out with its `id` only if its sequence is
//! at most that position once it is written; otherwise it goes out without one, and the
//! browser keeps the last id it had — older, so still true. The frames of one pull are written
//! in the order of their sequences, each id decided with the frames before it counted as
//! written: a connection that drops mid-pull leaves the browser with an id that the frames it
//! did receive justify.
//!
//! A region the viewer holds nothing of yet (the first frames of a stream) counts as current
//! through nothing, so a page's first id comes with the last of its first frames.

use std::sync::Arc;

use bytes::Bytes;

use super::hub::{Frame, Live};
use crate::store::Seq;

/// The frames of `changed` (region index, newest frame) to write, in order, with or without
/// their ids; `held` (what the viewer holds of each region of `regions`) is updated as they
/// are written.
pub(crate) fn write(
    regions: &[Arc<dyn Live>],
    held: &mut [Option<Arc<Frame>>],
    mut changed: Vec<(usize, Arc<Frame>)>,
) -> Vec<Bytes> {
    changed.sort_by_key(|(_, frame)| frame.seq);
    let mut out = Vec::with_capacity(changed.len());
    for (index, frame) in changed {
        held[index] = Some(frame.clone());
        let current = position(regions, held);
        out.push(if frame.seq <= current { frame.event.clone() } else { frame.event_without_id.clone() });
    }
    out
}

/// The commit through which everything in `held` is current.
fn position(regions: &[Arc<dyn Live>], held: &[Option<Arc<Frame>>]) -> Seq {
    regions
        .iter()
        .zip(held)
        .map(|(live, frame)| frame.as_ref().map_or(Seq::ZERO, |frame| live.current_through(frame)))
        .min()
        .unwrap_or(Seq::ZERO)
}

#[cfg(test)]
mod tests;
