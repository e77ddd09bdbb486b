//! The trained line model: a classifier of lines as content or boilerplate,
//! learned from golden cases, used by the generic rule `generic.model`.

pub mod cases;
pub mod features;
pub mod file;
pub mod gbdt;
pub mod linear;
pub mod train;

use std::sync::{Arc, OnceLock};

use file::{Model, ModelError};

/// The model embedded as the default, read once.
pub fn default_model() -> Result<Arc<Model>, ModelError> {
    static DEFAULT: OnceLock<Result<Arc<Model>, ModelError>> = OnceLock::new();
    DEFAULT
        .get_or_init(|| {
            Err(ModelError {
                file: "embedded:models/default.json".into(),
                problem: "no default model is built into this sapu; give --model FILE".into(),
            })
        })
        .clone()
}
