//! Exports for documentation: the one SVG both the app's "Export diagram → SVG" and the
//! runner's `--trace svg` write ([`export_svg`]), and the service-to-service view of a trace
//! ([`services_only`]) that leaves out the user's own requests.

use super::layout::{layout, LayoutOptions};
use super::svg::{to_svg_with, SvgOptions, SvgTheme};
use crate::model::trace::{Call, Participant};

/// What an SVG export contains.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Colours (default: light, and dark where the viewer prefers it).
    pub theme: Option<SvgTheme>,
    /// The SVG's `<title>`.
    pub title: Option<String>,
    /// Keep only calls between services (see [`services_only`]).
    pub services_only: bool,
}

/// The trace without the calls the user makes or receives: what EC2, EBS, KMS, the host and
/// the other services say to each other. Positions are renumbered so the result is a trace
/// of its own: `seq` is the new position, `end` covers the kept calls that were nested, and a
/// `parent` that was left out becomes `None`.
pub fn services_only(calls: &[Call]) -> Vec<Call> {
    let keep = |c: &Call| c.from != Participant::User && c.to != Participant::User;
    // kept_before[i]: how many kept calls come before position i (one entry past the end).
    let mut kept_before = Vec::with_capacity(calls.len() + 1);
    let mut n = 0usize;
    for c in calls {
        kept_before.push(n);
        if keep(c) {
            n += 1;
        }
    }
    kept_before.push(n);
    let new_pos = |old: usize| kept_before.get(old).copied().unwrap_or(n);
    calls
        .iter()
        .enumerate()
        .filter(|(_, c)| keep(c))
        .map(|(i, c)| {
            let mut c = c.clone();
            let seq = new_pos(i);
            // `end` is one past the last nested call, counted in trace positions.
            let end = new_pos(c.end.max(i + 1).min(calls.len()));
            c.parent = c
                .parent
                .filter(|&p| calls.get(p).is_some_and(keep))
                .map(new_pos);
            c.seq = seq;
            c.end = end.max(seq + 1);
            c
        })
        .collect()
}

/// The standalone SVG of a trace, laid out with the default options.
pub fn export_svg(calls: &[Call], opts: &ExportOptions) -> String {
    let filtered;
    let calls = if opts.services_only {
        filtered = services_only(calls);
        &filtered[..]
    } else {
        calls
    };
    let l = layout(calls, &LayoutOptions::default());
    to_svg_with(
        &l,
        calls,
        &SvgOptions {
            theme: opts.theme.unwrap_or(SvgTheme::Auto),
            title: opts.title.clone(),
        },
    )
}
