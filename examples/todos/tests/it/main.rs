//! The todos app over real HTTP, in-process: every command, its validation, and what each
//! viewer's stream receives. (The browser suite is `tests/e2e`.)

mod commands;
mod export;
mod process;
mod support;
mod webhooks;
