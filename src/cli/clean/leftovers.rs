//! What runs leave beside the outputs: report parts (`.NAME.sapu-part`),
//! which a run that completes removes once its reports are written.

use std::fs;

use sapu::input::walk;

use super::args::Config;
use super::plan::Target;
use super::reports::part_path;

/// Removes the report parts of every output of the plan: the reports are
/// written, and no run needs them any more.
pub fn remove_parts(config: &Config) {
    for t in &config.plan {
        match t {
            Target::One {
                dest: Some(dest), ..
            } => {
                let _ = fs::remove_file(part_path(dest));
            }
            Target::Tree { src, out } => {
                for rel in walk(src, &config.filter).flatten() {
                    let _ = fs::remove_file(part_path(&out.join(rel)));
                }
            }
            _ => {}
        }
    }
}
