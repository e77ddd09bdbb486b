//! The trained line model: a classifier of lines as content or boilerplate,
//! learned from golden cases, used by the generic rule `generic.model`.

pub mod cases;
pub mod gbdt;
pub mod linear;
