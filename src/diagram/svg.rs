//! Standalone SVG export of a laid-out sequence diagram: one self-contained document with its own
//! styles (exported files have no page CSS), arrowhead markers, lifelines, participant boxes at
//! top and bottom, and one arrow with a label per message.
//!
//! Owns only the mapping from [`Layout`] to SVG text; positions all come from layout.rs, and the
//! app draws its live diagram itself from the same layout.

use super::layout::{Layout, Message, MessageKind, TextAnchor};
use crate::model::trace::Call;
use std::fmt::Write;

/// Colours of an exported diagram. Every colour is a CSS variable (`--seq-bg`, `--seq-ink`,
/// `--seq-muted`, `--seq-band`, `--seq-separator`, `--seq-box-fill`, `--seq-box-stroke`,
/// `--seq-failure`, `--seq-event`) set with zero specificity on the root (class
/// `seq-diagram`), so a page that inlines the SVG can restyle it with
/// `.seq-diagram { --seq-bg: transparent }`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SvgTheme {
    /// Dark text on white.
    #[default]
    Light,
    /// Light text on a dark background.
    Dark,
    /// Light, and dark where the viewer prefers it (`prefers-color-scheme: dark`): what the
    /// app's export and the runner's `--trace svg` write.
    Auto,
}

/// What goes into an exported SVG besides the diagram.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SvgOptions {
    /// The colours.
    pub theme: SvgTheme,
    /// The `<title>` (default "Sequence of calls"); the `<desc>` always lists what is drawn.
    pub title: Option<String>,
}

/// The colours of one theme as CSS variables. Failures use the Okabe–Ito vermillion (orange on
/// dark), events the Okabe–Ito blue: both stay distinct under the common colour-vision
/// deficiencies, and neither is the only cue (failures also carry "✕" and a cross marker, events
/// a different stroke). Literals, so the whole stylesheet is one constant string (no
/// formatting code in the page's wasm).
macro_rules! light_vars {
    () => {
        "--seq-bg:#ffffff;--seq-band:#f3f5f8;--seq-separator:#c8ced6;--seq-ink:#1b1f24;\
--seq-muted:#5b6470;--seq-box-fill:#eef2f7;--seq-box-stroke:#4a5563;--seq-failure:#d55e00;--seq-event:#0072b2"
    };
}
macro_rules! dark_vars {
    () => {
        "--seq-bg:#16191d;--seq-band:#1f242a;--seq-separator:#3c444e;--seq-ink:#e8ecf1;\
--seq-muted:#a9b3bf;--seq-box-fill:#262c33;--seq-box-stroke:#a9b3bf;--seq-failure:#e69f00;--seq-event:#56b4e9"
    };
}
/// Every rule is scoped to the diagram, so an SVG inlined into a page styles nothing else.
macro_rules! rules {
    () => {
        ".seq-diagram{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:11px}\
.seq-diagram .bg{fill:var(--seq-bg)}\
.seq-diagram .band{fill:var(--seq-band)}\
.seq-diagram .sep{stroke:var(--seq-separator);stroke-width:1}\
.seq-diagram .lifeline{stroke:var(--seq-muted);stroke-width:1;stroke-dasharray:4 4}\
.seq-diagram .participant rect{fill:var(--seq-box-fill);stroke:var(--seq-box-stroke);stroke-width:1.2}\
.seq-diagram .participant text{fill:var(--seq-ink);font-weight:600;font-size:12px;text-anchor:middle}\
.seq-diagram .msg line,.seq-diagram .msg path{fill:none;stroke:var(--seq-ink);stroke-width:1.4}\
.seq-diagram .msg text{fill:var(--seq-ink);paint-order:stroke;stroke:var(--seq-bg);stroke-width:3px;stroke-linejoin:round}\
.seq-diagram .msg.response line,.seq-diagram .msg.response path{stroke:var(--seq-muted);stroke-dasharray:6 4}\
.seq-diagram .msg.response text{fill:var(--seq-muted)}\
.seq-diagram .msg.failure line,.seq-diagram .msg.failure path{stroke:var(--seq-failure);stroke-width:2;stroke-dasharray:6 4}\
.seq-diagram .msg.failure text{fill:var(--seq-failure);font-weight:700}\
.seq-diagram .msg.event line,.seq-diagram .msg.event path{stroke:var(--seq-event);stroke-dasharray:10 3}\
.seq-diagram .msg.event text{fill:var(--seq-event);font-style:italic}\
.seq-diagram .msg.approx line,.seq-diagram .msg.approx path{stroke-dasharray:1.5 3}\
.seq-diagram .msg.approx.response line,.seq-diagram .msg.approx.response path,\
.seq-diagram .msg.approx.failure line,.seq-diagram .msg.approx.failure path{stroke-dasharray:6 3 1.5 3}\
.seq-diagram .arrowhead{fill:var(--seq-ink)}\
.seq-diagram .failmark{fill:none;stroke:var(--seq-failure);stroke-width:2}"
    };
}

/// Escapes text for XML content and attribute values.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and newlines are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate as short text: at most two decimals, without trailing zeros (`3`, `3.5`, `0.33`).
/// Integer arithmetic instead of `{:.2}` keeps float formatting out of the wasm.
pub fn num(v: f64) -> String {
    let hundredths = (v * 100.0).round();
    if !hundredths.is_finite() || hundredths.abs() >= 1e15 {
        return "0".to_string();
    }
    let h = hundredths as i64;
    let sign = if h < 0 { "-" } else { "" };
    let (int, frac) = (h.unsigned_abs() / 100, h.unsigned_abs() % 100);
    match frac {
        0 => format!("{sign}{int}"),
        f if f % 10 == 0 => format!("{sign}{int}.{}", f / 10),
        f => format!("{sign}{int}.{f:02}"),
    }
}

fn style(theme: SvgTheme) -> &'static str {
    match theme {
        SvgTheme::Light => concat!(":where(.seq-diagram){", light_vars!(), "}", rules!()),
        SvgTheme::Dark => concat!(":where(.seq-diagram){", dark_vars!(), "}", rules!()),
        SvgTheme::Auto => concat!(
            ":where(.seq-diagram){",
            light_vars!(),
            "}@media (prefers-color-scheme: dark){:where(.seq-diagram){",
            dark_vars!(),
            "}}",
            rules!()
        ),
    }
}

/// Renders a complete standalone SVG document for a layout made from `calls`.
///
/// Every coordinate written lies within the document's `viewBox` (`0 0 width height`).
pub fn to_svg(layout: &Layout, calls: &[Call], theme: SvgTheme) -> String {
    to_svg_with(layout, calls, &SvgOptions { theme, title: None })
}

/// [`to_svg`] with a title of its own.
pub fn to_svg_with(layout: &Layout, calls: &[Call], opts: &SvgOptions) -> String {
    let (w, h) = (num(layout.width), num(layout.height));
    let mut s = String::with_capacity(512 + layout.messages.len() * 260);
    let names: Vec<&str> = layout.lifelines.iter().map(|l| l.label).collect();
    // Writing into a String cannot fail, so the fmt::Results below are ignored.
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
class=\"seq-diagram\" role=\"img\" aria-labelledby=\"seq-title seq-desc\">"
    );
    let title = opts.title.as_deref().unwrap_or("Sequence of calls");
    let _ = write!(s, "<title id=\"seq-title\">{}</title>", escape_xml(title));
    let _ = write!(
        s,
        "<desc id=\"seq-desc\">{} calls ({} arrows) between {}. Solid arrows are requests, dashed \
arrows responses; ✕ marks a failure, ≈ a step the public record does not settle.</desc>",
        calls.len(),
        layout.messages.len(),
        escape_xml(&names.join(", "))
    );
    s.push_str("<style>");
    s.push_str(style(opts.theme));
    s.push_str("</style>");
    s.push_str(
        "<defs>\
<marker id=\"seq-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" \
orient=\"auto\" markerUnits=\"userSpaceOnUse\"><path class=\"arrowhead\" d=\"M 0 0 L 10 5 L 0 10 Z\"/></marker>\
<marker id=\"seq-fail\" viewBox=\"0 0 10 10\" refX=\"5\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" \
orient=\"auto\" markerUnits=\"userSpaceOnUse\"><path class=\"failmark\" d=\"M 1 1 L 9 9 M 9 1 L 1 9\"/></marker>\
</defs>",
    );
    let _ = write!(
        s,
        "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\"/>"
    );

    // Command bands: every other band shaded, a separator line above each but the first.
    for (i, b) in layout.bands.iter().enumerate() {
        if i % 2 == 1 {
            let _ = write!(
                s,
                "<rect class=\"band\" x=\"0\" y=\"{}\" width=\"{w}\" height=\"{}\"><title>command {}</title></rect>",
                num(b.y0),
                num(b.y1 - b.y0),
                b.command + 1
            );
        }
        if i > 0 {
            let _ = write!(
                s,
                "<line class=\"sep\" x1=\"0\" y1=\"{y}\" x2=\"{w}\" y2=\"{y}\"/>",
                y = num(b.y0)
            );
        }
    }

    let bh = layout.options.box_height;
    for l in &layout.lifelines {
        let _ = write!(
            s,
            "<line class=\"lifeline\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
            num(layout.top_box_y + bh),
            num(layout.bottom_box_y),
            x = num(l.x)
        );
    }
    for top in [layout.top_box_y, layout.bottom_box_y] {
        for l in &layout.lifelines {
            let _ = write!(
                s,
                "<g class=\"participant\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\"/>\
<text x=\"{}\" y=\"{}\">{}</text></g>",
                num(l.x - l.box_width / 2.0),
                num(top),
                num(l.box_width),
                num(bh),
                num(l.x),
                num(top + bh / 2.0 + 4.0),
                escape_xml(l.label)
            );
        }
    }

    for m in &layout.messages {
        write_message(&mut s, layout, m, calls);
    }
    s.push_str("</svg>\n");
    s
}

fn write_message(s: &mut String, layout: &Layout, m: &Message, calls: &[Call]) {
    let approx = if m.approximate { " approx" } else { "" };
    let marker = if m.kind == MessageKind::Failure {
        "url(#seq-fail)"
    } else {
        "url(#seq-arrow)"
    };
    let _ = write!(
        s,
        "<g class=\"msg {}{approx}\" data-seq=\"{}\" data-index=\"{}\">",
        m.kind.class(),
        m.seq,
        m.index
    );
    // The tooltip: who talks to whom, and for approximations why.
    let (from, to) = match calls.get(m.call) {
        Some(c) if matches!(m.kind, MessageKind::Request | MessageKind::Event) => {
            (c.from.name(), c.to.name())
        }
        Some(c) => (c.to.name(), c.from.name()),
        None => ("?", "?"),
    };
    let mut tip = format!("{}. {from} → {to}: {}", m.index + 1, m.display_label());
    if let Some(a) = calls.get(m.call).and_then(|c| c.approximation.as_ref()) {
        tip.push_str(" — approximation: ");
        tip.push_str(&a.note);
    }
    let _ = write!(s, "<title>{}</title>", escape_xml(&tip));
    if m.is_self() {
        let pts = layout.self_loop(m);
        let _ = write!(s, "<path d=\"M {} {}", num(pts[0].0), num(pts[0].1));
        for (x, y) in &pts[1..] {
            let _ = write!(s, " L {} {}", num(*x), num(*y));
        }
        let _ = write!(s, "\" marker-end=\"{marker}\"/>");
    } else {
        let _ = write!(
            s,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" marker-end=\"{marker}\"/>",
            num(m.x1),
            num(m.x2),
            y = num(m.y)
        );
    }
    let lp = layout.label_placement(m);
    let anchor = match lp.anchor {
        TextAnchor::Start => "start",
        TextAnchor::Middle => "middle",
    };
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text></g>",
        num(lp.x),
        num(lp.y),
        escape_xml(&m.display_label())
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        for (v, want) in [
            (3.0, "3"),
            (3.5, "3.5"),
            (3.25, "3.25"),
            (1.0 / 3.0, "0.33"),
            (-2.0, "-2"),
            (-0.001, "0"),
            (-1.05, "-1.05"),
            (1423.375, "1423.38"),
            (12.10, "12.1"),
            (f64::NAN, "0"),
            (f64::INFINITY, "0"),
        ] {
            assert_eq!(num(v), want, "{v}");
        }
    }

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape_xml("a<b>&\"c\"'\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos; "
        );
    }
}
