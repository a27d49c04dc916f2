//! What a documentation page asks of an embedded playground, as pure Rust (no web-sys): the
//! embed options of the app's URL (`?embed=…&theme=…&height=auto&step=N`), the versioned
//! `postMessage` protocol between a widget and its host page, and the playback changes a host
//! message asks for. The wasm glue that listens and posts lives in `src/app/embed.rs`.
//!
//! Everything here reads hostile input (a URL, a message from another window): unknown or
//! malformed values are ignored or returned as errors, never a panic.

pub mod plain;

use crate::json;

use serde_json::Value;
use std::fmt;

/// The `protocol` field of every message, in both directions.
pub const PROTOCOL: &str = "ebs-kms-playground";
/// The protocol version this playground speaks. A host message with a higher version is
/// refused (its meaning may have changed); lower or equal versions are read.
pub const PROTOCOL_VERSION: u64 = 1;
/// The version of the embed attribute list and URL parameters (README, "Embed it in your docs").
pub const EMBED_API_VERSION: u64 = 1;

/// A colour theme forced by the host page (`?theme=`, or a `theme` message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on a light background.
    Light,
    /// Light text on a dark background.
    Dark,
}

impl Theme {
    /// Reads `light` or `dark` (any case); anything else is `None` (follow the browser).
    pub fn parse(s: &str) -> Option<Theme> {
        match s.trim().to_ascii_lowercase().as_str() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    /// The value written to `<html data-theme>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The embed options of a page URL, beyond the panels `app::Embed` reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedOptions {
    /// `theme=light|dark`: the theme to use instead of the browser's preference.
    pub theme: Option<Theme>,
    /// `height=auto`: the page takes the height of its content and reports it to the host.
    pub fit: bool,
    /// `step=N`: start with N messages of the trace revealed.
    pub step: Option<usize>,
    /// `embed=…,scenario:ID`: start with the commands of this guided scenario.
    pub scenario: Option<String>,
    /// `embed=…,question:ID`: show this exam question (from `public/questions.json`) above the diagram.
    pub question: Option<String>,
    /// `provider=…`: passed through by embed.js; only `aws` exists in this version.
    pub provider: Option<String>,
}

impl EmbedOptions {
    /// Reads the options from a query string (with or without its `?`). Unknown parameters,
    /// unknown views and malformed values are ignored.
    pub fn from_query(query: &str) -> EmbedOptions {
        let mut o = EmbedOptions::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = plain::percent_decode(v).unwrap_or_default();
            match k {
                "theme" => o.theme = Theme::parse(&v),
                "height" => o.fit = v.trim().eq_ignore_ascii_case("auto"),
                "step" => o.step = v.trim().parse().ok(),
                "provider" if !v.trim().is_empty() => o.provider = Some(v.trim().to_string()),
                "embed" => {
                    for part in v.split([',', '+', ' ']) {
                        let id = |p: &str| {
                            Some(p.trim().to_string()).filter(|s| !s.is_empty() && s.len() <= 100)
                        };
                        if let Some(s) = part.strip_prefix("scenario:") {
                            o.scenario = id(s);
                        } else if let Some(q) = part.strip_prefix("question:") {
                            o.question = id(q);
                        }
                    }
                }
                _ => {}
            }
        }
        o
    }
}

/// A message from the host page to the widget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostMessage {
    /// Play the trace (from the start when it is all shown).
    Play,
    /// Pause playback.
    Pause,
    /// Show the first `index` messages (0 shows none; `total` or more shows all), paused.
    Step {
        /// How many messages to reveal.
        index: usize,
    },
    /// Switch to this theme (`None`: follow the browser again).
    Theme(Option<Theme>),
}

/// Why a message was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProtocolError {
    /// Not a message of this protocol (another script on the page): ignore it quietly.
    NotOurs,
    /// A newer protocol version than this playground reads.
    TooNew(u64),
    /// A `type` this version does not know.
    UnknownType(String),
    /// A field is missing or has the wrong type.
    BadField(&'static str),
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtocolError::NotOurs => write!(f, "not an {PROTOCOL} message"),
            ProtocolError::TooNew(v) => write!(
                f,
                "protocol version {v} is newer than this playground's ({PROTOCOL_VERSION})"
            ),
            ProtocolError::UnknownType(t) => write!(f, "unknown message type `{t}`"),
            ProtocolError::BadField(name) => write!(f, "the field `{name}` is missing or invalid"),
        }
    }
}

impl std::error::Error for ProtocolError {}

/// The fields of a host message, as read from the posted object (the wasm glue reads them
/// with `Reflect`, so no JSON text is made in the browser).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct HostFields<'a> {
    /// `protocol`.
    pub protocol: Option<&'a str>,
    /// `version` (`None` when absent; `Some(NaN)` when not a number).
    pub version: Option<f64>,
    /// `type`.
    pub kind: Option<&'a str>,
    /// `index` (of `step`).
    pub index: Option<f64>,
    /// `theme` (of `theme`).
    pub theme: Option<&'a str>,
}

/// Reads a host message from its fields.
pub fn host_message(f: HostFields<'_>) -> Result<HostMessage, ProtocolError> {
    if f.protocol != Some(PROTOCOL) {
        return Err(ProtocolError::NotOurs);
    }
    let version = match f.version {
        None => PROTOCOL_VERSION,
        Some(v) if v.is_finite() && v >= 0.0 && v.fract() == 0.0 => v as u64,
        Some(_) => return Err(ProtocolError::BadField("version")),
    };
    if version > PROTOCOL_VERSION {
        return Err(ProtocolError::TooNew(version));
    }
    match f.kind.ok_or(ProtocolError::BadField("type"))? {
        "play" => Ok(HostMessage::Play),
        "pause" => Ok(HostMessage::Pause),
        "step" => match f.index {
            Some(i) if i.is_finite() && i >= 0.0 && i.fract() == 0.0 => Ok(HostMessage::Step {
                index: if i >= usize::MAX as f64 {
                    usize::MAX
                } else {
                    i as usize
                },
            }),
            _ => Err(ProtocolError::BadField("index")),
        },
        "theme" => match f.theme {
            Some("auto") => Ok(HostMessage::Theme(None)),
            Some(t) => Theme::parse(t)
                .map(|t| HostMessage::Theme(Some(t)))
                .ok_or(ProtocolError::BadField("theme")),
            None => Err(ProtocolError::BadField("theme")),
        },
        other => Err(ProtocolError::UnknownType(
            other.get(..40).unwrap_or(other).to_string(),
        )),
    }
}

/// Reads a host message from its JSON text (what `JSON.stringify(event.data)` gives).
pub fn parse_host_message(text: &str) -> Result<HostMessage, ProtocolError> {
    if text.len() > 64 * 1024 {
        return Err(ProtocolError::NotOurs);
    }
    let v: Value = serde_json::from_str(text).map_err(|_| ProtocolError::NotOurs)?;
    let s = |k: &str| v.get(k).and_then(Value::as_str);
    // A field of the wrong type reads as NaN, which the checks refuse.
    let n = |k: &str| v.get(k).map(|x| x.as_f64().unwrap_or(f64::NAN));
    host_message(HostFields {
        protocol: s("protocol"),
        version: n("version"),
        kind: s("type"),
        index: n("index"),
        theme: s("theme"),
    })
}

/// A message from the widget to its host page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WidgetMessage {
    /// The app has mounted and listens; `total` messages are in its trace.
    Ready {
        /// Messages in the trace.
        total: usize,
    },
    /// The content's height changed (CSS pixels), on `height=auto` pages.
    Resized {
        /// The new height.
        height: u32,
    },
    /// The number of revealed messages changed.
    Step {
        /// Messages revealed (0 ..= total).
        index: usize,
        /// Messages in the trace.
        total: usize,
    },
}

impl WidgetMessage {
    /// The message's `type` and its number fields (the glue writes them into a JS object).
    pub fn fields(&self) -> (&'static str, Vec<(&'static str, f64)>) {
        match *self {
            WidgetMessage::Ready { total } => ("ready", vec![("total", total as f64)]),
            WidgetMessage::Resized { height } => ("resized", vec![("height", f64::from(height))]),
            WidgetMessage::Step { index, total } => (
                "step",
                vec![("index", index as f64), ("total", total as f64)],
            ),
        }
    }

    /// The message as a JSON value: `{"protocol","version","type",…}`.
    pub fn to_json(&self) -> Value {
        let (kind, fields) = self.fields();
        let mut v = json!({"protocol": PROTOCOL, "version": PROTOCOL_VERSION, "type": kind});
        if let Some(o) = v.as_object_mut() {
            for (k, n) in fields {
                o.insert(k.into(), json!(n as u64));
            }
        }
        v
    }
}

/// The diagram's playback state as the app keeps it: how many messages are revealed
/// (`None`: all, following the live end) and whether it plays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Playback {
    /// Revealed messages; `None` shows all.
    pub playhead: Option<usize>,
    /// Playing.
    pub playing: bool,
}

impl Playback {
    /// How many of `total` messages are shown.
    pub fn shown(self, total: usize) -> usize {
        self.playhead.map_or(total, |n| n.min(total))
    }

    /// The state a `step=N` URL asks for at start (all shown when N reaches the end).
    pub fn at_step(step: usize, total: usize) -> Playback {
        Playback {
            playhead: (step < total).then_some(step),
            playing: false,
        }
    }

    /// The state after a host message (a theme message leaves playback as it is).
    pub fn apply(self, msg: &HostMessage, total: usize) -> Playback {
        match msg {
            HostMessage::Play if total == 0 => self,
            HostMessage::Play => Playback {
                playhead: if self.shown(total) >= total {
                    Some(0)
                } else {
                    self.playhead
                },
                playing: true,
            },
            HostMessage::Pause => Playback {
                playing: false,
                ..self
            },
            HostMessage::Step { index } => Playback::at_step(*index, total),
            HostMessage::Theme(_) => self,
        }
    }
}
