//! The `--explain` printer: one JSON object per line that a rule dropped or
//! rewrote, and one per flagged document.

use serde_json::json;

use crate::events::{Cleaned, Event, Why};
use crate::model::features;
use crate::rules::RuleSet;

/// Appends explain records to `out`, one JSON object per line.
pub fn write_values(records: &[serde_json::Value], out: &mut Vec<u8>) {
    for value in records {
        // Serializing a `Value` to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, value);
        out.push(b'\n');
    }
}

/// The explain records of one document, in line order, as JSON values.
pub fn records(doc: &str, cleaned: &Cleaned, rules: &RuleSet) -> Vec<serde_json::Value> {
    let applied = !cleaned.reverted;
    let mut records = Vec::new();
    let mut push = |value: serde_json::Value| records.push(value);
    for event in cleaned.events(rules) {
        match event {
            Event::Dropped {
                line,
                text,
                rule,
                why,
            } => {
                let mut record = json!({
                    "doc": doc,
                    "line": line,
                    "action": "drop",
                    "rule": rule.id,
                    "kind": rule.kind().name(),
                    "reason": why.as_str(),
                    "text": text,
                    "applied": applied,
                });
                // Generic drops carry the score they were decided on.
                if let Some(score) = why.score() {
                    record["score"] = json!(round3(score));
                }
                // A model drop names the features that weighed most
                // towards boilerplate.
                if let Why::Model { top, .. } = why {
                    let names = features::names();
                    record["features"] = top
                        .iter()
                        .filter(|(_, weight)| *weight < 0.0)
                        .map(|&(i, weight)| json!({"name": names[i as usize], "weight": round3(weight)}))
                        .collect();
                }
                push(record)
            }
            Event::Rewritten {
                line,
                from,
                to,
                rule,
                why,
            } => push(json!({
                "doc": doc,
                "line": line,
                "action": "rewrite",
                "rule": rule.id,
                "kind": rule.kind().name(),
                "reason": why.as_str(),
                "text": from,
                "to": to,
                "applied": applied,
            })),
            Event::Kept { .. } | Event::Gap => {}
        }
    }
    if cleaned.flagged || cleaned.reverted {
        push(json!({
            "doc": doc,
            "action": "flag",
            "removed_share": (cleaned.removed_share() * 1000.0).round() / 1000.0,
            "flagged": cleaned.flagged,
            "reverted": cleaned.reverted,
        }));
    }
    records
}

fn round3(v: f32) -> f64 {
    (f64::from(v) * 1000.0).round() / 1000.0
}
