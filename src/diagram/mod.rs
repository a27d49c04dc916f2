//! The sequence diagram of the trace as pure functions: geometry (layout.rs), standalone SVG
//! export (svg.rs), Mermaid export (mermaid.rs) and the text alternative read by assistive
//! technology. No leptos, no web-sys: the app's component only maps this geometry to elements.

pub mod export;
pub mod layout;
pub mod mermaid;
pub mod svg;
pub mod waits;

pub use export::{export_svg, services_only, ExportOptions};
pub use layout::{
    layout, message_at, result_summary, visible_range, Band, LabelPlacement, Layout, LayoutOptions,
    Lifeline, Message, MessageKind, TextAnchor,
};
pub use mermaid::to_mermaid;
pub use svg::{num, to_svg, to_svg_with, SvgOptions, SvgTheme};
pub use waits::{duration_text, fold_waits, is_wait};

use crate::model::trace::Call;

/// The diagram as text, one line per call in trace order ("EC2 → KMS: CreateGrant", with
/// "(failed: Code)" after a failed call): the list labelled "Sequence of calls".
/// A folded wait mark (an event a participant records on its own lifeline) reads
/// "EC2: wait until available (T+30 s)".
pub fn text_alternative(calls: &[Call]) -> Vec<String> {
    calls
        .iter()
        .map(|c| {
            if c.is_event && c.from == c.to {
                format!("{}: {}", c.from.name(), c.operation)
            } else {
                c.summary()
            }
        })
        .collect()
}
