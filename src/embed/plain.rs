//! Plain scripts, as tutorials and documentation pages write them: AWS CLI lines with
//! comments and `\` continuations, the playground header optional, the seed taken from a
//! `# seed: N` line among the leading comments (1 when there is none). Also the `#script=`
//! URL fragment embed.js uses to hand such a script to the app, and a script's title.
//!
//! Built on [`Script::parse`]: a plain script is read as the same script with the header and
//! seed line put in front, and error line numbers are given back in the file's own numbering.

use crate::cli::script::{MAX_LINK_CHARS, MAX_SCRIPT_BYTES};
use crate::cli::{Script, ScriptError};
use crate::session::DEFAULT_SEED;
use std::fmt;

const HEADER_PREFIX: &str = "# ebs-kms-playground script v";

/// A parsed plain or playground script, and where its lines start in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlainScript {
    /// The script (its `lines` are those of the file after any header and seed line).
    pub script: Script,
    /// The file's line number of `script.lines[0]` (3 with the header, 1 without).
    pub first_line: usize,
    /// Whether the file had the playground header.
    pub has_header: bool,
}

/// Why a `#script=` fragment was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FragmentError {
    /// A `%` not followed by two hex digits.
    BadEscape,
    /// The decoded text is not a script.
    Script(ScriptError),
}

impl fmt::Display for FragmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FragmentError::BadEscape => write!(
                f,
                "The embedded script is damaged: a `%` is not followed by two hex digits."
            ),
            FragmentError::Script(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for FragmentError {}

/// The value of a `# seed:` comment line, if the line is one.
fn seed_value(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix('#')?.trim_start();
    let rest = rest
        .strip_prefix("seed:")
        .or_else(|| rest.strip_prefix("seed :"))?;
    Some(rest.trim())
}

/// Reads a script with or without the playground header. Without it the seed comes from the
/// first `# seed: N` line among the leading comments and blank lines (default 1), and every
/// line of the file, that one included, is kept as it is.
pub fn parse_script(text: &str) -> Result<PlainScript, ScriptError> {
    if text.len() > MAX_SCRIPT_BYTES {
        return Err(ScriptError::TooLarge { bytes: text.len() });
    }
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body
        .trim_start_matches([' ', '\t'])
        .starts_with(HEADER_PREFIX)
    {
        return Script::parse(body).map(|script| PlainScript {
            script,
            first_line: 3,
            has_header: true,
        });
    }
    let mut seed = DEFAULT_SEED;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim();
        if !(t.is_empty() || t.starts_with('#')) {
            break;
        }
        if let Some(v) = seed_value(t) {
            seed = v.parse::<u64>().map_err(|_| ScriptError::BadSeed {
                line: i + 1,
                text: v.to_string(),
            })?;
            break;
        }
    }
    let framed = format!("{}\n# seed: {seed}\n{body}", crate::cli::script::HEADER);
    let mut script = Script::parse(&framed).map_err(|e| match e {
        ScriptError::Unterminated { line } => ScriptError::Unterminated {
            line: line.saturating_sub(2),
        },
        ScriptError::TooManyLines { lines } => ScriptError::TooManyLines {
            lines: lines.saturating_sub(2),
        },
        other => other,
    })?;
    script.seed = seed;
    Ok(PlainScript {
        script,
        first_line: 1,
        has_header: false,
    })
}

/// Decodes `%XX` escapes (as `encodeURIComponent` writes them) into UTF-8 text. `+` stays `+`.
/// `None` for a bad escape or text that is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Reads a `#script=<percent-encoded text>` fragment (with or without `#`). `None` when the
/// fragment is of another kind (a `#v1.` share link, or nothing).
pub fn from_fragment(fragment: &str) -> Option<Result<PlainScript, FragmentError>> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    let data = f.strip_prefix("script=")?;
    if data.len() > MAX_LINK_CHARS {
        return Some(Err(FragmentError::Script(ScriptError::LinkTooLong {
            chars: data.chars().count(),
        })));
    }
    let Some(text) = percent_decode(data) else {
        return Some(Err(FragmentError::BadEscape));
    };
    Some(parse_script(&text).map_err(FragmentError::Script))
}

/// The `#script=` fragment for a script text (what embed.js builds with `encodeURIComponent`).
pub fn to_fragment(text: &str) -> String {
    let mut out = String::from("script=");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A script's title: a `# title: …` line among the leading comments, else the first sentence
/// of the first paragraph of leading comments (header, seed and `#!` lines skipped), at most
/// 120 characters.
pub fn title_of(text: &str) -> Option<String> {
    let mut para: Vec<&str> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            if !para.is_empty() {
                break;
            }
            continue;
        }
        let Some(c) = t.strip_prefix('#') else { break };
        if t.starts_with(HEADER_PREFIX) || t.starts_with("#!") || seed_value(t).is_some() {
            continue;
        }
        let c = c.trim();
        if let Some(title) = c.strip_prefix("title:") {
            return clip(title.trim());
        }
        if c.is_empty() {
            if !para.is_empty() {
                break;
            }
            continue;
        }
        para.push(c);
    }
    let joined = para.join(" ");
    let first = match joined.find(". ") {
        Some(i) => &joined[..i + 1],
        None => joined.as_str(),
    };
    clip(first)
}

fn clip(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.chars().count() <= 120 {
        return Some(s.to_string());
    }
    let mut t: String = s.chars().take(119).collect();
    t.push('…');
    Some(t)
}
