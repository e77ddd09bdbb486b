//! Test runners built on the whole cleaner: golden cases ([`golden`],
//! `sapu check`) and the examples every rule carries ([`examples`],
//! `sapu check-rules`). They sit above `rules`, `clean` and `output`, so
//! that nothing under `rules/` depends on the cleaner or the printers.

pub mod examples;
pub mod golden;

pub use examples::{CONTEXT_MARK, ExampleFailure, check_examples};
pub use golden::{Case, Outcome, attribution, discover, own_rules, run_case, unified_diff};
