//! The clean text printer.

use crate::events::{Cleaned, Verdict};

/// Appends the clean text of a document to `out`: kept lines, one blank
/// line where the input had a paragraph gap between them, one final
/// newline. An empty result stays empty. A reverted document (over
/// `--max-removed`) is printed normalized but uncut.
pub fn render_into(cleaned: &Cleaned, out: &mut String) {
    let mut wrote_any = false;
    let mut gap = false;
    for (i, verdict) in cleaned.verdicts.iter().enumerate() {
        let original = cleaned.line_text(i);
        let text = match verdict {
            _ if original.is_empty() => {
                gap = wrote_any;
                continue;
            }
            Verdict::Drop { .. } if !cleaned.reverted => continue,
            Verdict::Rewrite { text, .. } if !cleaned.reverted => text.as_str(),
            _ => original,
        };
        if wrote_any {
            out.push_str(if gap { "\n\n" } else { "\n" });
        }
        out.push_str(text);
        wrote_any = true;
        gap = false;
    }
    if wrote_any {
        out.push('\n');
    }
}

/// The clean text of a document.
pub fn render(cleaned: &Cleaned) -> String {
    let mut out = String::with_capacity(cleaned.normalized.len());
    render_into(cleaned, &mut out);
    out
}
