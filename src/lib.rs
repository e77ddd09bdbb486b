//! sapu strips boilerplate from scraped text.
//!
//! The data flow, one module per step:
//! [`input`] (find and read documents) → [`text`] (normalize, measure) →
//! [`rules`] (compiled patterns) → [`clean`] (verdicts per line, as
//! [`events`]) → [`output`] (clean text, `--explain` JSONL, statistics).
//! [`check`] runs golden cases and rule examples on the same pieces;
//! [`corpus`] reads and writes JSON Lines shards around the same cleaner;
//! [`eval`] scores cleaning on pages with must-keep / must-drop snippets;
//! [`learn`] counts lines repeated across a corpus and writes them as rules.

pub mod check;
pub mod clean;
pub mod corpus;
pub mod document;
pub mod eval;
pub mod events;
pub mod input;
pub mod learn;
pub mod model;
pub mod output;
pub mod rules;
#[cfg(test)]
mod testing;
pub mod text;

pub use clean::{CleanOptions, Cleaner};
pub use events::{Cleaned, Event, Verdict, Why};
pub use rules::{RuleConfig, RuleSet};
