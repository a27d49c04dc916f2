//! Sequence-diagram geometry: a pure function from the trace to lifelines, message rows and
//! command bands, plus the fixed-row arithmetic used for virtualized rendering and hit testing.
//!
//! Owns no drawing (svg.rs and the app's component map this geometry to elements), no clock and
//! no I/O. Every message sits on its own row of fixed height, so finding the rows in a viewport
//! or the row under the pointer is O(1); laying out a trace is one O(n) pass.

use crate::model::trace::{Call, Participant};
use serde_json::Value;
use std::ops::Range;

/// Sizes the layout works with. Values that are not finite or not positive fall back to the
/// defaults, so a bad option can shrink nothing to zero.
#[derive(Clone, Debug, PartialEq)]
pub struct LayoutOptions {
    /// Height of every message row.
    pub row_height: f64,
    /// Least distance between two neighbouring lifelines; widened when a label needs more room.
    pub column_width: f64,
    /// The y of message 0 (row 0's centre line); raised if the participant boxes need more room.
    pub header_height: f64,
    /// Blank space kept around the drawing.
    pub margin: f64,
    /// Height of the participant boxes at the top and bottom of each lifeline.
    pub box_height: f64,
    /// Estimated width of one character of label text (the labels use an 11px sans-serif font).
    pub char_width: f64,
    /// Room kept on each side of a label.
    pub label_padding: f64,
    /// How far a self-call's loop reaches to the right of its lifeline.
    pub self_loop_width: f64,
    /// Labels longer than this many characters are cut and end with "…".
    pub max_label_chars: usize,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            row_height: 28.0,
            column_width: 150.0,
            header_height: 56.0,
            margin: 8.0,
            box_height: 28.0,
            char_width: 6.5,
            label_padding: 8.0,
            self_loop_width: 28.0,
            max_label_chars: 48,
        }
    }
}

impl LayoutOptions {
    /// The options with every unusable value replaced by its default and the header made tall
    /// enough to hold the participant boxes above row 0.
    fn sanitized(&self) -> LayoutOptions {
        let d = LayoutOptions::default();
        let pick = |v: f64, dv: f64| if v.is_finite() && v > 0.0 { v } else { dv };
        let row_height = pick(self.row_height, d.row_height);
        let margin = pick(self.margin, d.margin);
        let box_height = pick(self.box_height, d.box_height);
        let least_header = margin + box_height + row_height / 2.0;
        LayoutOptions {
            row_height,
            column_width: pick(self.column_width, d.column_width),
            header_height: pick(self.header_height, d.header_height).max(least_header),
            margin,
            box_height,
            char_width: pick(self.char_width, d.char_width),
            label_padding: pick(self.label_padding, d.label_padding),
            self_loop_width: pick(self.self_loop_width, d.self_loop_width),
            max_label_chars: self.max_label_chars.max(1),
        }
    }
}

/// One vertical line of the diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Lifeline {
    /// Who this lifeline stands for.
    pub participant: Participant,
    /// Horizontal position of the line.
    pub x: f64,
    /// The header text (the participant's name).
    pub label: &'static str,
    /// Width of the participant box drawn at the top and bottom, centred on `x`.
    pub box_width: f64,
}

/// What a message row shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// A request from caller to callee (solid arrow).
    Request,
    /// A successful response back to the caller (dashed arrow).
    Response,
    /// A failed call's response: the error travelling back (dashed, marked as a failure).
    Failure,
    /// An asynchronous event: one arrow, no response.
    Event,
}

impl MessageKind {
    /// The class name used in SVG output and by the app's CSS.
    pub fn class(self) -> &'static str {
        match self {
            MessageKind::Request => "request",
            MessageKind::Response => "response",
            MessageKind::Failure => "failure",
            MessageKind::Event => "event",
        }
    }
}

/// One arrow on one row.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// The `seq` of the call this arrow belongs to.
    pub seq: usize,
    /// Position of that call in the slice given to [`layout`] (equal to `seq` in a real trace).
    pub call: usize,
    /// Position of this message in the diagram, from 0; also its row.
    pub index: usize,
    /// Vertical position of the arrow.
    pub y: f64,
    /// Where the arrow starts (the sender's lifeline).
    pub x1: f64,
    /// Where the arrow ends (the receiver's lifeline); equal to `x1` for a self-call.
    pub x2: f64,
    /// The operation for requests and events, a result summary for responses, the error code
    /// for failures. Without the "≈"/"✕" marks; see [`Message::display_label`].
    pub label: String,
    /// Request, response, failure or event.
    pub kind: MessageKind,
    /// True when the public record does not settle this call (drawn dotted, label prefixed "≈").
    pub approximate: bool,
    /// The user command that caused the call.
    pub command: usize,
}

impl Message {
    /// True for a call a participant makes to itself (drawn as a loop).
    pub fn is_self(&self) -> bool {
        self.x1 == self.x2
    }

    /// The label as drawn: "≈ " before approximations, "✕ " before failures.
    pub fn display_label(&self) -> String {
        let mut s = String::with_capacity(self.label.len() + 8);
        if self.approximate {
            s.push_str("≈ ");
        }
        if self.kind == MessageKind::Failure {
            s.push_str("✕ ");
        }
        s.push_str(&self.label);
        s
    }

    /// Number of characters of [`Message::display_label`], without building it.
    fn display_chars(&self) -> usize {
        let marks = usize::from(self.approximate) + usize::from(self.kind == MessageKind::Failure);
        self.label.chars().count() + 2 * marks
    }
}

/// The rows caused by one user command.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// The command's index.
    pub command: usize,
    /// Top of the band's first row.
    pub y0: f64,
    /// Bottom of the band's last row.
    pub y1: f64,
    /// The messages in the band.
    pub messages: Range<usize>,
}

/// How a label's text is anchored at its position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextAnchor {
    /// `x` is the text's start (self-call labels, right of the loop).
    Start,
    /// `x` is the text's centre (labels above an arrow).
    Middle,
}

/// Where a message's label goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelPlacement {
    /// Anchor position.
    pub x: f64,
    /// Text baseline.
    pub y: f64,
    /// How `x` relates to the text.
    pub anchor: TextAnchor,
    /// Estimated width of the drawn text.
    pub width: f64,
}

impl LabelPlacement {
    /// Estimated horizontal extent of the text: (left, right).
    pub fn extent(&self) -> (f64, f64) {
        match self.anchor {
            TextAnchor::Start => (self.x, self.x + self.width),
            TextAnchor::Middle => (self.x - self.width / 2.0, self.x + self.width / 2.0),
        }
    }
}

/// The geometry of a whole diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// The options actually used (after replacing unusable values).
    pub options: LayoutOptions,
    /// Lifelines left to right, in `Participant::ALL` order, only for participants in the trace
    /// (User alone for an empty trace; a trace without the user, such as a services-only
    /// export, has no User lifeline).
    pub lifelines: Vec<Lifeline>,
    /// Messages top to bottom; `messages[i].index == i`.
    pub messages: Vec<Message>,
    /// One band per run of consecutive messages of the same command.
    pub bands: Vec<Band>,
    /// Total width: every element and estimated label lies within `0..=width`.
    pub width: f64,
    /// Total height: every element lies within `0..=height`.
    pub height: f64,
    /// Top of the participant boxes drawn above the rows.
    pub top_box_y: f64,
    /// Top of the participant boxes drawn below the rows.
    pub bottom_box_y: f64,
}

impl Layout {
    /// The y of the centre line of row `index`.
    pub fn row_y(&self, index: usize) -> f64 {
        self.options.header_height + index as f64 * self.options.row_height
    }

    /// Top of the first row.
    pub fn rows_top(&self) -> f64 {
        self.options.header_height - self.options.row_height / 2.0
    }

    /// Bottom of the last row (equal to [`Layout::rows_top`] when there are no messages).
    pub fn rows_bottom(&self) -> f64 {
        self.rows_top() + self.messages.len() as f64 * self.options.row_height
    }

    /// The lifeline of a participant, if it has one.
    pub fn lifeline(&self, p: Participant) -> Option<&Lifeline> {
        self.lifelines.iter().find(|l| l.participant == p)
    }

    /// The corners of a self-call's loop: out from the lifeline, down, and back.
    pub fn self_loop(&self, m: &Message) -> [(f64, f64); 4] {
        let h = self.options.row_height / 4.0;
        let right = m.x1 + self.options.self_loop_width;
        [
            (m.x1, m.y - h),
            (right, m.y - h),
            (right, m.y + h),
            (m.x1, m.y + h),
        ]
    }

    /// Where a message's label is drawn: centred above an arrow, or right of a self-call's loop.
    pub fn label_placement(&self, m: &Message) -> LabelPlacement {
        let width = m.display_chars() as f64 * self.options.char_width;
        if m.is_self() {
            LabelPlacement {
                x: m.x1 + self.options.self_loop_width + self.options.label_padding,
                y: m.y + 4.0,
                anchor: TextAnchor::Start,
                width,
            }
        } else {
            LabelPlacement {
                x: (m.x1 + m.x2) / 2.0,
                y: m.y - 5.0,
                anchor: TextAnchor::Middle,
                width,
            }
        }
    }
}

/// The summary shown on a response arrow: the error code for a failure, otherwise the main
/// fields of the response ("GrantId", "CiphertextBlob", "Plaintext (data key)", "Volumes (3)",
/// "VolumeId, …"), or "OK" when nothing comes back.
///
/// Field names are matched without regard to case (the service-to-service calls record their
/// responses CloudTrail-style, `ciphertextBlob`) and shown with a capital first letter. Fields
/// that accompany a result without being it (the key used, the algorithm, paging markers) and
/// empty values are left out; the field named after the operation's resource comes first
/// (`VolumeId` for `CreateVolume`), then identifiers and lists, then the first other field.
pub fn result_summary(call: &Call) -> String {
    if let Some(e) = &call.error {
        return e.code.clone();
    }
    let map = match &call.response {
        Value::Null => return "OK".to_string(),
        Value::Bool(b) => return b.to_string(),
        Value::Number(n) => return n.to_string(),
        Value::String(s) if s.is_empty() => return "OK".to_string(),
        Value::String(s) => return s.clone(),
        Value::Array(a) => return format!("{} items", a.len()),
        Value::Object(map) => map,
    };
    // One pass over the fields, no allocation until the label is built.
    let mut main = 0usize;
    let (mut plaintext, mut ciphertext) = (false, false);
    let (mut named, mut id_or_list, mut first) = (None, None, None);
    for (k, v) in map {
        if is_secondary_field(k, v) {
            continue;
        }
        main += 1;
        first = first.or(Some((k, v)));
        if k.eq_ignore_ascii_case("Plaintext") {
            plaintext = true;
        } else if k.eq_ignore_ascii_case("CiphertextBlob") {
            ciphertext = true;
        } else if k.ends_with("Id") || v.is_array() {
            id_or_list = id_or_list.or(Some((k, v)));
            if named.is_none() && names_resource(&call.operation, k) {
                named = Some((k, v));
            }
        }
    }
    let mut s = String::new();
    let shown = if plaintext || ciphertext {
        if plaintext {
            s.push_str("Plaintext (data key)");
        }
        if ciphertext {
            if plaintext {
                s.push_str(", ");
            }
            s.push_str("CiphertextBlob");
        }
        usize::from(plaintext) + usize::from(ciphertext)
    } else if let Some((k, v)) = named.or(id_or_list).or(first) {
        push_capitalized(&mut s, k);
        if let Value::Array(a) = v {
            s.push_str(&format!(" ({})", a.len()));
        }
        1
    } else {
        // Only accompanying fields: name the first, if any.
        return match map.keys().next() {
            Some(k) => {
                push_capitalized(&mut s, k);
                s
            }
            None => "OK".to_string(),
        };
    };
    if main > shown {
        s.push_str(", …");
    }
    s
}

/// True when the field names the operation's resource: `VolumeId` for `CreateVolume`,
/// `Instances` for `RunInstances` (ASCII case-insensitive, without allocating).
fn names_resource(operation: &str, field: &str) -> bool {
    let stem = field.strip_suffix("Id").unwrap_or(field).as_bytes();
    !stem.is_empty()
        && operation
            .as_bytes()
            .windows(stem.len())
            .any(|w| w.eq_ignore_ascii_case(stem))
}

/// Appends `k` with its first letter in upper case: `grantId` → `GrantId`.
fn push_capitalized(s: &mut String, k: &str) {
    let mut c = k.chars();
    if let Some(f) = c.next() {
        s.push(f.to_ascii_uppercase());
        s.push_str(c.as_str());
    }
}

/// Fields that accompany a result without being it, and empty values.
fn is_secondary_field(k: &str, v: &Value) -> bool {
    const SECONDARY: [&str; 13] = [
        "KeyId",
        "KeyArn",
        "SourceKeyId",
        "EncryptionAlgorithm",
        "SourceEncryptionAlgorithm",
        "DestinationEncryptionAlgorithm",
        "GrantToken",
        "Truncated",
        "NextMarker",
        "NextToken",
        "RequestId",
        "ResponseMetadata",
        "OwnerId",
    ];
    SECONDARY.iter().any(|s| s.eq_ignore_ascii_case(k))
        || match v {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            _ => false,
        }
}

/// Cuts a label to at most `max` characters, ending it with "…" when cut.
fn clip(label: String, max: usize) -> String {
    match label.char_indices().nth(max) {
        None => label,
        Some(_) => {
            // `max >= 1` (sanitized), so keep max-1 characters and add the ellipsis.
            let cut = label
                .char_indices()
                .nth(max - 1)
                .map_or(label.len(), |(i, _)| i);
            let mut s = label[..cut].to_string();
            s.push('…');
            s
        }
    }
}

/// Slot of a participant in `Participant::ALL`.
fn slot(p: Participant) -> usize {
    Participant::ALL
        .iter()
        .position(|q| *q == p)
        .unwrap_or(Participant::ALL.len() - 1)
}

/// A message before its geometry is known: which call, which half, which columns.
struct Pending {
    call: usize,
    kind: MessageKind,
    from: usize,
    to: usize,
}

/// Orders the messages of a trace: each request, then the calls nested in it (`seq+1 .. end`),
/// then its response. Tolerates inconsistent `end` values: a nested call never outlives its
/// parent, and every open call gets its response by the end of the trace.
fn order(calls: &[Call]) -> Vec<(usize, bool)> {
    let mut out = Vec::with_capacity(calls.len() * 2);
    // Open calls: (position, one past the position of its last nested call).
    let mut open: Vec<(usize, usize)> = Vec::new();
    for (i, c) in calls.iter().enumerate() {
        while let Some(&(p, end)) = open.last() {
            if end > i {
                break;
            }
            out.push((p, false));
            open.pop();
        }
        out.push((i, true));
        if c.is_event {
            continue;
        }
        let nested = c.end.saturating_sub(c.seq.saturating_add(1));
        let limit = open.last().map_or(calls.len(), |&(_, e)| e);
        let end = i.saturating_add(1).saturating_add(nested).min(limit);
        if end > i + 1 {
            open.push((i, end));
        } else {
            out.push((i, false));
        }
    }
    while let Some((p, _)) = open.pop() {
        out.push((p, false));
    }
    out
}

/// Distances between neighbouring lifelines: at least the column width, room for both boxes
/// and for self-call loops, and for every label the summed gaps under its arrow.
/// `need[a][b]` is the room the labels between columns `a < b` ask for; all three slices have
/// one entry per column.
fn column_gaps(
    box_widths: &[f64],
    need: &[Vec<f64>],
    self_need: &[f64],
    o: &LayoutOptions,
) -> Vec<f64> {
    let cols = box_widths.len();
    let mut gaps: Vec<f64> = (0..cols.saturating_sub(1))
        .map(|k| {
            let boxes = (box_widths[k] + box_widths[k + 1]) / 2.0 + o.label_padding;
            o.column_width.max(boxes).max(self_need[k])
        })
        .collect();
    // Labels spanning several columns: widen the spanned gaps evenly, shortest spans first.
    for span in 1..cols {
        for a in 0..cols - span {
            let b = a + span;
            let have: f64 = gaps[a..b].iter().sum();
            let want = need[a][b];
            if want > have {
                let extra = (want - have) / span as f64;
                for g in &mut gaps[a..b] {
                    *g += extra;
                }
            }
        }
    }
    gaps
}

/// Lays out a trace: one lifeline per participant present, one row per message.
/// O(n) in the number of calls.
pub fn layout(calls: &[Call], opts: &LayoutOptions) -> Layout {
    let o = opts.sanitized();
    let n_slots = Participant::ALL.len();

    // Which participants appear; User when nobody else does.
    let mut used = [false; Participant::ALL.len()];
    used[slot(Participant::User)] = calls.is_empty();
    for c in calls {
        used[slot(c.from)] = true;
        used[slot(c.to)] = true;
    }
    // Column of each used slot.
    let mut column = [usize::MAX; Participant::ALL.len()];
    let mut participants = Vec::with_capacity(n_slots);
    for (s, p) in Participant::ALL.iter().enumerate() {
        if used[s] {
            column[s] = participants.len();
            participants.push(*p);
        }
    }
    let cols = participants.len();

    // Messages in drawing order, with labels; widths are gathered as they are made.
    let mut pending = Vec::with_capacity(calls.len() * 2);
    let mut labels = Vec::with_capacity(calls.len() * 2);
    // need[a][b]: the widest label between columns a < b; self_need[a]: widest self-call.
    let mut need = vec![vec![0.0f64; cols]; cols];
    let mut self_need = vec![0.0f64; cols];
    for (i, is_request) in order(calls) {
        let Some(c) = calls.get(i) else { continue };
        let (from, to) = (column[slot(c.from)], column[slot(c.to)]);
        let (kind, from, to, label) = if is_request {
            let kind = if c.is_event {
                MessageKind::Event
            } else {
                MessageKind::Request
            };
            (kind, from, to, c.operation.clone())
        } else if c.error.is_some() {
            (MessageKind::Failure, to, from, result_summary(c))
        } else {
            (MessageKind::Response, to, from, result_summary(c))
        };
        let label = clip(label, o.max_label_chars);
        let marks =
            usize::from(c.approximation.is_some()) + usize::from(kind == MessageKind::Failure);
        let text = (label.chars().count() + 2 * marks) as f64 * o.char_width;
        if from == to {
            let w = o.self_loop_width + 2.0 * o.label_padding + text;
            if let Some(s) = self_need.get_mut(from) {
                *s = s.max(w);
            }
        } else {
            let (a, b) = (from.min(to), from.max(to));
            if let Some(cell) = need.get_mut(a).and_then(|r| r.get_mut(b)) {
                *cell = cell.max(text + 2.0 * o.label_padding);
            }
        }
        pending.push(Pending {
            call: i,
            kind,
            from,
            to,
        });
        labels.push(label);
    }

    // Boxes, then gaps between neighbouring lifelines.
    let box_widths: Vec<f64> = participants
        .iter()
        .map(|p| (p.name().chars().count() as f64 * o.char_width + 2.0 * o.label_padding).max(64.0))
        .collect();
    let gaps = column_gaps(&box_widths, &need, &self_need, &o);

    let mut xs = Vec::with_capacity(cols);
    let mut x = o.margin + box_widths.first().copied().unwrap_or(64.0) / 2.0;
    for k in 0..cols {
        xs.push(x);
        if let Some(g) = gaps.get(k) {
            x += g;
        }
    }
    // Indexing below uses columns computed above (< cols), never values from the trace.
    let last = cols.saturating_sub(1); // cols >= 1: an empty trace still has User.
    let right_reach = (box_widths[last] / 2.0).max(self_need[last]);
    // Whole pixels: the SVG prints coordinates with at most two decimals, and the viewBox must
    // state exactly this width.
    let width = (xs[last] + right_reach + o.margin).ceil();

    let lifelines: Vec<Lifeline> = participants
        .iter()
        .zip(xs.iter().zip(box_widths.iter()))
        .map(|(p, (&x, &w))| Lifeline {
            participant: *p,
            x,
            label: p.name(),
            box_width: w,
        })
        .collect();

    let mut messages = Vec::with_capacity(pending.len());
    let mut bands: Vec<Band> = Vec::new();
    let half = o.row_height / 2.0;
    for (index, (p, label)) in pending.into_iter().zip(labels).enumerate() {
        let Some(c) = calls.get(p.call) else { continue };
        let y = o.header_height + index as f64 * o.row_height;
        match bands.last_mut() {
            Some(b) if b.command == c.command => {
                b.y1 = y + half;
                b.messages.end = index + 1;
            }
            _ => bands.push(Band {
                command: c.command,
                y0: y - half,
                y1: y + half,
                messages: index..index + 1,
            }),
        }
        messages.push(Message {
            seq: c.seq,
            call: p.call,
            index,
            y,
            x1: xs[p.from],
            x2: xs[p.to],
            label,
            kind: p.kind,
            approximate: c.approximation.is_some(),
            command: c.command,
        });
    }

    let top_box_y = o.margin;
    let rows_bottom = o.header_height - half + messages.len() as f64 * o.row_height;
    let bottom_box_y = rows_bottom + o.margin;
    let height = (bottom_box_y + o.box_height + o.margin).ceil();
    Layout {
        options: o,
        lifelines,
        messages,
        bands,
        width,
        height,
        top_box_y,
        bottom_box_y,
    }
}

/// The messages whose rows meet the viewport `[scroll_top, scroll_top + viewport_height]`
/// (in layout coordinates), widened by `overscan` rows on each side and clamped to the trace.
/// O(1): rows have a fixed height.
pub fn visible_range(
    layout: &Layout,
    scroll_top: f64,
    viewport_height: f64,
    overscan: usize,
) -> Range<usize> {
    let n = layout.messages.len();
    let rh = layout.options.row_height;
    let top = if scroll_top.is_finite() {
        scroll_top
    } else {
        0.0
    };
    let h = if viewport_height.is_finite() {
        viewport_height.max(0.0)
    } else {
        0.0
    };
    let rel_top = (top - layout.rows_top()) / rh;
    let rel_bottom = (top + h - layout.rows_top()) / rh;
    let to_index = |v: f64| -> usize {
        if v <= 0.0 {
            0
        } else if v >= n as f64 {
            n
        } else {
            v as usize
        }
    };
    let first = to_index(rel_top.floor());
    let end = to_index(rel_bottom.ceil()).max(first);
    first.saturating_sub(overscan)..end.saturating_add(overscan).min(n)
}

/// The message whose row contains `y`, if any.
pub fn message_at(layout: &Layout, y: f64) -> Option<usize> {
    let rel = (y - layout.rows_top()) / layout.options.row_height;
    if !rel.is_finite() || rel < 0.0 {
        return None;
    }
    let i = rel.floor();
    if i < layout.messages.len() as f64 {
        Some(i as usize)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_short_labels_and_cuts_long_ones() {
        assert_eq!(clip("Decrypt".into(), 7), "Decrypt");
        assert_eq!(clip("Decrypts".into(), 7), "Decryp…");
        assert_eq!(clip("≈≈≈".into(), 2), "≈…");
    }

    #[test]
    fn sanitized_replaces_unusable_values() {
        let o = LayoutOptions {
            row_height: f64::NAN,
            column_width: -3.0,
            header_height: 0.0,
            max_label_chars: 0,
            ..LayoutOptions::default()
        }
        .sanitized();
        assert_eq!(o.row_height, 28.0);
        assert_eq!(o.column_width, 150.0);
        assert_eq!(o.header_height, 56.0);
        assert_eq!(o.max_label_chars, 1);
    }
}
