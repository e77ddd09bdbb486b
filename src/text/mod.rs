//! Text primitives: normalization and per-line measurements.

pub mod features;
pub mod lang;
pub mod normalize;
