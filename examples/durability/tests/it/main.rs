//! The durability harness's tests: the `durability` binary as a real process, killed with
//! `SIGKILL` during a stream of acknowledged writes, and traced with `strace` to count its
//! syncs and order them against its responses.

mod crash;
mod harness;
mod strace;
mod syncs;
