//! Integration tests of orion-sql-check: the command line, run as a real process on real files.

mod cli;
