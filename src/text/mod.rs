//! Text primitives: normalization and per-line measurements.

pub mod features;
pub mod normalize;
