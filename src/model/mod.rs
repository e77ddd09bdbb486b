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

/// The default model, trained on `../shared/train` by the command in the
/// README ("Training a model for your sites") and embedded like the
/// default rules.
pub const EMBEDDED_MODEL: &str = include_str!("../../models/default.json");

/// The embedded default model, read once.
pub fn default_model() -> Result<Arc<Model>, ModelError> {
    static DEFAULT: OnceLock<Result<Arc<Model>, ModelError>> = OnceLock::new();
    DEFAULT
        .get_or_init(|| Model::parse("embedded:models/default.json", EMBEDDED_MODEL).map(Arc::new))
        .clone()
}
