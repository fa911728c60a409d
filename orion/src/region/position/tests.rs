//! Which frames a stream writes with their `id`, and in which order.

use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::watch;

use super::write;
use crate::region::hub::{Frame, Live};
use crate::store::Seq;

/// A region whose frames are current up to the newest commit (`settled`), or only up to their
/// own sequence (a change was published and not re-read yet).
struct Fake {
    id: &'static str,
    settled: bool,
    newest: Seq,
}

impl Live for Fake {
    fn id(&self) -> &'static str {
        self.id
    }

    fn frames(&self) -> watch::Receiver<Arc<Frame>> {
        unreachable!("not used by `position`")
    }

    fn current(&self) -> Arc<Frame> {
        unreachable!("not used by `position`")
    }

    fn current_through(&self, frame: &Frame) -> Seq {
        if self.settled { self.newest } else { frame.seq }
    }

    fn changed_since(&self, _since: Seq) -> bool {
        unreachable!("not used by `position`")
    }
}

fn frame(region: &str, seq: u64) -> Arc<Frame> {
    Arc::new(Frame {
        version: seq,
        seq: Seq::new(seq),
        html: String::new(),
        event: Bytes::from(format!("{region}@{seq}#{seq}")),
        event_without_id: Bytes::from(format!("{region}@{seq}")),
    })
}

/// Writes `changed` (region name, frame sequence) for regions `settled` (name, whether
/// settled), the viewer holding `held` (region name, frame sequence); compares what is written
/// — `name@seq` plus `#seq` when the id goes with it — with `expected`.
fn check(settled: &[(&'static str, bool)], held: &[(&str, u64)], changed: &[(&str, u64)], expected: &[&str]) {
    let newest = Seq::new(100);
    let regions: Vec<Arc<dyn Live>> =
        settled.iter().map(|&(id, settled)| Arc::new(Fake { id, settled, newest }) as Arc<dyn Live>).collect();
    let index = |name: &str| settled.iter().position(|(id, _)| *id == name).unwrap();
    let mut holding = vec![None; regions.len()];
    for &(name, seq) in held {
        holding[index(name)] = Some(frame(name, seq));
    }
    let changed = changed.iter().map(|&(name, seq)| (index(name), frame(name, seq))).collect();
    let written = write(&regions, &mut holding, changed);
    let written: Vec<String> = written.iter().map(|b| String::from_utf8_lossy(b).into_owned()).collect();
    assert_eq!(written, expected);
}

#[test]
fn a_single_region_always_vouches_for_its_own_frame() {
    check(&[("todos", true)], &[], &[("todos", 7)], &["todos@7#7"]);
    check(&[("todos", false)], &[("todos", 3)], &[("todos", 7)], &["todos@7#7"]);
}

#[test]
fn a_new_viewer_gets_an_id_only_with_the_last_of_its_first_frames() {
    check(&[("list", true), ("count", true)], &[], &[("list", 9), ("count", 4)], &["count@4", "list@9#9"]);
}

#[test]
fn frames_go_out_oldest_first() {
    check(&[("a", true), ("b", true), ("c", true)], &[], &[("c", 3), ("a", 1), ("b", 2)], &["a@1", "b@2", "c@3#3"]);
}

#[test]
fn no_id_while_another_region_has_a_change_not_rendered_yet() {
    // `count` holds a frame of commit 5 and has a newer change pending: the page is only known
    // to be current through 5, so the list's frame of commit 9 cannot vouch for commit 9.
    check(&[("list", true), ("count", false)], &[("list", 2), ("count", 5)], &[("list", 9)], &["list@9"]);
    // Once `count` has its new frame, the list's next frame carries its id again.
    check(&[("list", true), ("count", true)], &[("list", 9), ("count", 11)], &[("list", 12)], &["list@12#12"]);
}

#[test]
fn an_older_frame_of_a_region_with_pending_changes_still_vouches_for_itself() {
    check(&[("list", true), ("count", false)], &[("list", 2), ("count", 5)], &[("count", 6)], &["count@6#6"]);
}
