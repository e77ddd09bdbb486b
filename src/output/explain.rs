//! The `--explain` printer: one JSON object per line that a rule dropped or
//! rewrote, and one per flagged document.

use serde_json::json;

use crate::events::{Cleaned, Event};
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
                    record["score"] = json!((f64::from(score) * 1000.0).round() / 1000.0);
                }
                push(record)
            }
            Event::Rewritten {
                line,
                from,
                to,
                rule,
            } => push(json!({
                "doc": doc,
                "line": line,
                "action": "rewrite",
                "rule": rule.id,
                "kind": rule.kind().name(),
                "reason": "strip site suffix",
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
            "reverted": cleaned.reverted,
        }));
    }
    records
}
