//! Mermaid `sequenceDiagram` export of a trace, in the same message order as the drawn diagram.
//!
//! Owns only the text format; the order of messages and the labels come from layout.rs.

use super::layout::{layout, LayoutOptions, MessageKind};
use crate::model::trace::Call;
use std::fmt::Write;

/// Replaces the characters Mermaid gives a meaning to in message text with its entity codes
/// (`#59;` for `;`, …), and line breaks with spaces.
pub fn escape_mermaid(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '#' => out.push_str("#35;"),
            ';' => out.push_str("#59;"),
            ':' => out.push_str("#58;"),
            '<' => out.push_str("#60;"),
            '>' => out.push_str("#62;"),
            '%' => out.push_str("#37;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The trace as a Mermaid sequence diagram: `participant` lines in lifeline order, `A->>B` for
/// requests, `B-->>A` for responses, `B--xA` for failures, `A-)B` for events, a note over the
/// pair for approximations, and a `%% command N` comment where each user command starts.
pub fn to_mermaid(calls: &[Call]) -> String {
    let opts = LayoutOptions {
        max_label_chars: usize::MAX,
        ..LayoutOptions::default()
    };
    let l = layout(calls, &opts);
    let mut s = String::from("sequenceDiagram\n");
    for lane in &l.lifelines {
        let _ = writeln!(s, "    participant {}", lane.label);
    }
    let mut command = None;
    // Writing into a String cannot fail, so the fmt::Results below are ignored.
    for m in &l.messages {
        let Some(c) = calls.get(m.call) else { continue };
        if command != Some(m.command) {
            let _ = writeln!(s, "    %% command {}", m.command + 1);
            command = Some(m.command);
        }
        let (from, to) = (c.from.name(), c.to.name());
        let (a, arrow, b) = match m.kind {
            MessageKind::Request => (from, "->>", to),
            MessageKind::Event => (from, "-)", to),
            MessageKind::Response => (to, "-->>", from),
            MessageKind::Failure => (to, "--x", from),
        };
        let _ = writeln!(s, "    {a}{arrow}{b}: {}", escape_mermaid(&m.label));
        let first_half = matches!(m.kind, MessageKind::Request | MessageKind::Event);
        if m.approximate && first_half {
            if from == to {
                let _ = writeln!(s, "    Note over {from}: ≈ approximation");
            } else {
                let _ = writeln!(s, "    Note over {from},{to}: ≈ approximation");
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_mermaid_specials() {
        assert_eq!(
            escape_mermaid("a;b#c:d<e>f%g\nh"),
            "a#59;b#35;c#58;d#60;e#62;f#37;g h"
        );
    }
}
