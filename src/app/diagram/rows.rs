//! The diagram's rows: what each drawn row shows (message, self-call, event, wait mark), the
//! speech line of a message, the data-key badges' words and classes, and finding a row from a click.

use super::*;

/// How many messages are revealed for a playhead over `total` messages.
pub(super) fn revealed(playhead: Option<usize>, total: usize) -> usize {
    playhead.map_or(total, |n| n.min(total))
}

/// The playhead that reveals `n` of `total` messages: revealing all follows the live end.
pub(super) fn playhead_for(n: usize, total: usize) -> Option<usize> {
    (n < total).then_some(n)
}

/// Sender and receiver names of a message (a response travels from callee to caller).
pub(super) fn ends(calls: &[Call], m: &Message) -> (&'static str, &'static str) {
    match calls.get(m.call) {
        Some(c) if matches!(m.kind, MessageKind::Request | MessageKind::Event) => {
            (c.from.name(), c.to.name())
        }
        Some(c) => (c.to.name(), c.from.name()),
        None => ("?", "?"),
    }
}

/// "EC2 → KMS: CreateGrant" for a message, as read aloud and shown in tooltips.
pub(super) fn speech(calls: &[Call], m: &Message) -> String {
    let (from, to) = ends(calls, m);
    format!("{from} → {to}: {}", m.display_label())
}

/// Symbol, short name and explanation of a data key's location (the badge and the legend).
pub fn key_location_text(k: KeyLocation) -> (&'static str, &'static str, &'static str) {
    match k {
        KeyLocation::EncryptedAtRest => (
            "▣",
            "Encrypted at rest",
            "Only the encrypted data key exists, in the volume's, disk's or snapshot's metadata: nowhere in plaintext at rest.",
        ),
        KeyLocation::InTransitToHost => (
            "⇢",
            "In transit to the host",
            "KMS decrypted the data key and is sending the plaintext to the host that attaches the volume or disk.",
        ),
        KeyLocation::HostMemory => (
            "◉",
            "Plaintext in host memory",
            "The plaintext data key is in the host's memory (the EC2 host, or the ECS hypervisor) while the volume or disk is attached; it is never written to disk.",
        ),
        KeyLocation::EbsTransient => (
            "◌",
            "Briefly in EBS",
            "EBS used the plaintext data key briefly to encrypt the data being restored, then discarded it.",
        ),
        KeyLocation::Discarded => (
            "∅",
            "Plaintext discarded",
            "The plaintext data key was dropped from host memory; only the encrypted copy remains, at rest.",
        ),
        KeyLocation::S3PerRequest => (
            "◌",
            "Used by S3 for this request",
            "S3 used the plaintext data key to encrypt or decrypt this one object and discarded it; the encrypted copy is stored with the object.",
        ),
        KeyLocation::S3BucketKey => (
            "◎",
            "Bucket key held by S3",
            "S3 keeps the plaintext bucket-level key for a limited time and derives each object's data key from it, without calling KMS; then it discards it.",
        ),
    }
}

/// CSS class of a key location badge.
pub fn key_location_class(k: KeyLocation) -> &'static str {
    match k {
        KeyLocation::EncryptedAtRest => "at-rest",
        KeyLocation::InTransitToHost => "in-transit",
        KeyLocation::HostMemory => "host-memory",
        KeyLocation::EbsTransient => "ebs-transient",
        KeyLocation::Discarded => "discarded",
        KeyLocation::S3PerRequest => "s3-per-request",
        KeyLocation::S3BucketKey => "s3-bucket-key",
    }
}

/// One drawn message row, with everything its elements need.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Row {
    pub(super) index: usize,
    pub(super) seq: usize,
    pub(super) kind: MessageKind,
    pub(super) approximate: bool,
    pub(super) top: f64,
    pub(super) height: f64,
    pub(super) y: f64,
    pub(super) x1: f64,
    pub(super) x2: f64,
    /// The loop of a self-call (`d` of a path); `None` for a straight arrow.
    pub(super) loop_path: Option<String>,
    pub(super) lx: f64,
    pub(super) ly: f64,
    pub(super) anchor: &'static str,
    pub(super) label: String,
    /// "3. EC2 → KMS: CreateGrant" (accessible name).
    pub(super) speech: String,
    /// Tooltip: the speech, and the approximation note if any.
    pub(super) tip: String,
    /// Position in the batch of messages just revealed (drives the entrance animation).
    pub(super) fresh: Option<usize>,
}

/// What identifies a drawn row: a row is rebuilt only when one of these changes.
type RowKey = (usize, usize, &'static str, String, [u64; 4]);

impl Row {
    pub(super) fn new(l: &Layout, m: &Message, calls: &[Call], fresh: Option<usize>) -> Row {
        let lp = l.label_placement(m);
        let loop_path = m.is_self().then(|| {
            let p = l.self_loop(m);
            format!(
                "M {} {} L {} {} L {} {} L {} {}",
                num(p[0].0),
                num(p[0].1),
                num(p[1].0),
                num(p[1].1),
                num(p[2].0),
                num(p[2].1),
                num(p[3].0),
                num(p[3].1)
            )
        });
        let speech = format!("{}. {}", m.index + 1, speech(calls, m));
        let mut tip = speech.clone();
        if let Some(a) = calls.get(m.call).and_then(|c| c.approximation.as_ref()) {
            tip.push_str(" — approximation: ");
            tip.push_str(&a.note);
        }
        Row {
            index: m.index,
            seq: m.seq,
            kind: m.kind,
            approximate: m.approximate,
            top: m.y - l.options.row_height / 2.0,
            height: l.options.row_height,
            y: m.y,
            x1: m.x1,
            x2: m.x2,
            loop_path,
            lx: lp.x,
            ly: lp.y,
            anchor: match lp.anchor {
                TextAnchor::Start => "start",
                TextAnchor::Middle => "middle",
            },
            label: m.display_label(),
            speech,
            tip,
            fresh,
        }
    }

    pub(super) fn key(&self) -> RowKey {
        (
            self.index,
            self.seq,
            self.kind.class(),
            self.tip.clone(),
            [
                self.x1.to_bits(),
                self.x2.to_bits(),
                self.y.to_bits(),
                self.lx.to_bits(),
            ],
        )
    }
}

/// The marker at the end of an arrow of this kind.
pub(super) fn marker(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Request => "url(#dg-arrow-request)",
        MessageKind::Response => "url(#dg-arrow-response)",
        MessageKind::Failure => "url(#dg-arrow-failure)",
        MessageKind::Event => "url(#dg-arrow-event)",
    }
}

/// The element of a message row under an event target, and its message index and call seq.
pub(super) fn row_of(
    target: Option<web_sys::EventTarget>,
) -> Option<(web_sys::Element, usize, usize)> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?;
    let row = el.closest("[data-index]").ok()??;
    let index = row.get_attribute("data-index")?.parse().ok()?;
    let seq = row.get_attribute("data-seq")?.parse().ok()?;
    Some((row, index, seq))
}
