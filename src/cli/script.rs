//! Session scripts: the text format (`# ebs-kms-playground script v1`, `# seed: N`, then one
//! command per logical line), the splitting of text into logical lines (backslash-newline
//! continuations, quotes spanning lines), and share links (`v1.` + base64url of deflate).
//!
//! Files and links are hostile input: sizes are checked before any work, decompression is
//! bounded, text must be UTF-8, and every problem is a [`ScriptError`] with a clear message.

use super::lexer::{self, LineKind};
use crate::model::provider::Cloud;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use std::fmt;

/// The first line of every script this version writes and reads.
pub const HEADER: &str = "# ebs-kms-playground script v1";
/// Largest script accepted, in bytes.
pub const MAX_SCRIPT_BYTES: usize = 256 * 1024;
/// Most physical lines accepted.
pub const MAX_SCRIPT_LINES: usize = 5000;
/// Longest share-link fragment accepted, in characters (checked before decoding). A
/// 256 KiB script that does not compress at all still fits.
pub const MAX_LINK_CHARS: usize = 400 * 1024;

const HEADER_PREFIX: &str = "# ebs-kms-playground script v";

/// A session: the seed of the simulation and the lines to replay.
///
/// `lines` holds logical lines in order: commands (possibly with embedded backslash-newline
/// continuations), comments and blank lines, exactly as written after the seed line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    /// Seed of the simulation's random generator.
    pub seed: u64,
    /// The lines after the `# seed:` line.
    pub lines: Vec<String>,
}

/// Why a script or share link was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScriptError {
    /// The text is larger than [`MAX_SCRIPT_BYTES`].
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// More than [`MAX_SCRIPT_LINES`] lines.
    TooManyLines {
        /// How many.
        lines: usize,
    },
    /// The first line is not the script header.
    NotAScript,
    /// Written by a newer version of the playground.
    TooNew {
        /// The version it declares.
        version: u64,
    },
    /// No `# seed: N` line before the first command.
    MissingSeed {
        /// The line of the first command, if the script has one.
        line: Option<usize>,
    },
    /// A `# seed:` line whose value is not an unsigned 64-bit number.
    BadSeed {
        /// Line number (1-based).
        line: usize,
        /// What followed `# seed:`.
        text: String,
    },
    /// A quote opened on this line is never closed.
    Unterminated {
        /// Line number (1-based) where the quote opens.
        line: usize,
    },
    /// The share link is longer than [`MAX_LINK_CHARS`].
    LinkTooLong {
        /// Its length.
        chars: usize,
    },
    /// The share link does not start with `v1.`.
    LinkFormat,
    /// The share link's data is not base64url.
    LinkEncoding,
    /// The share link's data is not deflate data (corrupted or truncated).
    LinkCorrupt,
    /// The share link would decompress to more than [`MAX_SCRIPT_BYTES`].
    LinkTooLargeDecompressed,
    /// The script is not valid UTF-8 text.
    NotUtf8,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScriptError::TooLarge { bytes } => write!(
                f,
                "The script is too large ({bytes} bytes; the limit is {} KiB).",
                MAX_SCRIPT_BYTES / 1024
            ),
            ScriptError::TooManyLines { lines } => write!(
                f,
                "The script has too many lines ({lines}; the limit is {MAX_SCRIPT_LINES})."
            ),
            ScriptError::NotAScript => write!(
                f,
                "This is not an ebs-kms-playground script: its first line must be `{HEADER}`."
            ),
            ScriptError::TooNew { version } => write!(
                f,
                "This script was written by a newer version (v{version}); this playground reads v1."
            ),
            ScriptError::MissingSeed { line: Some(l) } => write!(
                f,
                "Line {l}: a command comes before the `# seed: <number>` line; the seed must come first."
            ),
            ScriptError::MissingSeed { line: None } => {
                write!(f, "The script has no `# seed: <number>` line.")
            }
            ScriptError::BadSeed { line, text } => write!(
                f,
                "Line {line}: the seed must be a whole number from 0 to 18446744073709551615, not `{text}`."
            ),
            ScriptError::Unterminated { line } => {
                write!(f, "Line {line}: a quote opened here is never closed.")
            }
            ScriptError::LinkTooLong { chars } => write!(
                f,
                "The share link is too long ({chars} characters; the limit is {MAX_LINK_CHARS})."
            ),
            ScriptError::LinkFormat => write!(
                f,
                "This is not a playground share link: the script part must start with `v1.`."
            ),
            ScriptError::LinkEncoding => {
                write!(f, "The share link is damaged: its data is not valid base64url.")
            }
            ScriptError::LinkCorrupt => write!(
                f,
                "The share link is damaged or cut short: its data does not decompress."
            ),
            ScriptError::LinkTooLargeDecompressed => write!(
                f,
                "The share link's script is larger than {} KiB once decompressed.",
                MAX_SCRIPT_BYTES / 1024
            ),
            ScriptError::NotUtf8 => write!(f, "The script is not UTF-8 text."),
        }
    }
}

impl std::error::Error for ScriptError {}

/// Splits text into logical lines: a line ending in an unquoted backslash continues on the
/// next, and so does a line with an open quote. Returns (first physical line, text) pairs;
/// continuations stay in the text as backslash-newline. Line numbers start at `first_line`.
pub fn split_logical_lines(
    text: &str,
    first_line: usize,
) -> Result<Vec<(usize, String)>, ScriptError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut line = first_line;
    let mut start = first_line;
    let mut quote: Option<(char, usize)> = None;
    let mut comment = false;
    let mut word_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        if comment {
            if c == '\n' {
                out.push((start, finish(&mut cur, comment)));
                start = line;
                comment = false;
                word_start = true;
            } else {
                cur.push(c);
            }
            continue;
        }
        if let Some((q, _)) = quote {
            cur.push(c);
            if q == '"' && c == '\\' {
                if let Some(n) = chars.next() {
                    if n == '\n' {
                        line += 1;
                    }
                    cur.push(n);
                }
            } else if c == q {
                quote = None;
                word_start = false;
            }
            continue;
        }
        match c {
            '\\' => {
                // A backslash ending the text escapes nothing: drop it, so that `to_text`
                // (which ends every line with a newline) reads back the same.
                if chars.peek().is_none() {
                    continue;
                }
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                    if n == '\n' {
                        line += 1;
                    } else if n == '\r' && chars.peek() == Some(&'\n') {
                        chars.next();
                        cur.push('\n');
                        line += 1;
                    }
                }
                word_start = false;
            }
            '\'' | '"' => {
                quote = Some((c, line));
                cur.push(c);
            }
            '#' if word_start => {
                comment = true;
                cur.push(c);
            }
            '\n' => {
                out.push((start, finish(&mut cur, comment)));
                start = line;
                word_start = true;
            }
            ' ' | '\t' => {
                cur.push(c);
                word_start = true;
            }
            _ => {
                cur.push(c);
                word_start = false;
            }
        }
    }
    if let Some((_, l)) = quote {
        return Err(ScriptError::Unterminated { line: l });
    }
    if !cur.is_empty() {
        out.push((start, finish(&mut cur, comment)));
    }
    Ok(out)
}

/// Ends a logical line: carriage returns before the newline go (CRLF files). If they were
/// escaped by a backslash outside a comment, that backslash goes too, since `to_text` would
/// otherwise turn it into a continuation.
fn finish(cur: &mut String, in_comment: bool) -> String {
    let s = std::mem::take(cur);
    let trimmed = s.trim_end_matches('\r');
    if trimmed.len() == s.len() {
        return s;
    }
    let backslashes = trimmed.chars().rev().take_while(|&c| c == '\\').count();
    if !in_comment && backslashes % 2 == 1 {
        return trimmed.get(..trimmed.len() - 1).unwrap_or("").to_string();
    }
    trimmed.to_string()
}

fn seed_of(line: &str) -> Option<&str> {
    line.trim()
        .strip_prefix('#')?
        .trim_start()
        .strip_prefix("seed:")
        .map(str::trim)
}

/// How a script keeps a console line that was left open (a trailing backslash, an unterminated
/// quote): as this comment with the line escaped (`\\` for a backslash, `\n` for a newline), so
/// that it does not swallow the line after it when the script is read back. Running the comment
/// ([`Script::open_line`]) runs the line as it was typed.
pub const OPEN_LINE_PREFIX: &str = "#! open line: ";

/// Whether a logical line reads back from a script as itself.
fn reads_back(line: &str) -> bool {
    matches!(split_logical_lines(&format!("{line}\n"), 1).as_deref(), Ok([(1, l)]) if l == line)
}

/// The line a script keeps for a console line: the line itself, or, if it was left open, the
/// [`OPEN_LINE_PREFIX`] comment that stands for it.
pub fn stored_line(line: &str) -> String {
    if reads_back(line) {
        return line.to_string();
    }
    let mut out = String::from(OPEN_LINE_PREFIX);
    for c in line.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// The comment line that says which cloud a script's world is (`# cloud: alibaba`); without
/// it a script is an AWS one.
pub const CLOUD_PREFIX: &str = "# cloud: ";

impl Script {
    /// An empty script with a seed.
    pub fn new(seed: u64) -> Script {
        Script {
            seed,
            lines: Vec::new(),
        }
    }

    /// An empty script with a seed for a world of `cloud`: an Alibaba Cloud script's first line
    /// after the seed is `# cloud: alibaba`.
    pub fn new_in(cloud: Cloud, seed: u64) -> Script {
        let mut s = Script::new(seed);
        if cloud != Cloud::Aws {
            s.lines.push(format!("{CLOUD_PREFIX}{}", cloud.as_str()));
        }
        s
    }

    /// The cloud of the script's world: the `# cloud:` line among the comments before its first
    /// command, or AWS. A script without that line whose first command is an `aliyun …` line (a docs page's
    /// plain example) is an Alibaba Cloud one too.
    pub fn cloud(&self) -> Cloud {
        for l in self.lines.iter().map(|l| l.trim()) {
            if let Some(c) = l.strip_prefix(CLOUD_PREFIX) {
                return Cloud::parse(c.trim()).unwrap_or_default();
            }
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let first = l.split_whitespace().next().unwrap_or("");
            return if first == "aliyun" {
                Cloud::Alibaba
            } else {
                Cloud::Aws
            };
        }
        Cloud::Aws
    }

    /// Reads a script file. Checks size and line count first, then the header and version,
    /// the seed, and that every quote is closed.
    pub fn parse(text: &str) -> Result<Script, ScriptError> {
        if text.len() > MAX_SCRIPT_BYTES {
            return Err(ScriptError::TooLarge { bytes: text.len() });
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let physical = text.strip_suffix('\n').unwrap_or(text).split('\n').count();
        if physical > MAX_SCRIPT_LINES {
            return Err(ScriptError::TooManyLines { lines: physical });
        }
        let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
        let first = first.trim();
        if first != HEADER {
            if let Some(v) = first.strip_prefix(HEADER_PREFIX) {
                if let Ok(n) = v.trim().parse::<u64>() {
                    if n > 1 {
                        return Err(ScriptError::TooNew { version: n });
                    }
                }
            }
            return Err(ScriptError::NotAScript);
        }
        let mut seed = None;
        let mut lines = Vec::new();
        for (n, l) in split_logical_lines(rest, 2)? {
            if seed.is_none() {
                if let Some(v) = seed_of(&l) {
                    let parsed = v.parse::<u64>().map_err(|_| ScriptError::BadSeed {
                        line: n,
                        text: v.to_string(),
                    })?;
                    seed = Some(parsed);
                    continue;
                }
                let t = l.trim();
                if !(t.is_empty() || t.starts_with('#')) {
                    return Err(ScriptError::MissingSeed { line: Some(n) });
                }
            }
            lines.push(l);
        }
        let Some(seed) = seed else {
            return Err(ScriptError::MissingSeed { line: None });
        };
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        Ok(Script { seed, lines })
    }

    /// Adds a line (a command as typed, or a comment); a line left open is kept as the
    /// comment that stands for it ([`stored_line`]).
    pub fn push(&mut self, line: &str) {
        self.lines.push(stored_line(line));
    }

    /// The console line an [`OPEN_LINE_PREFIX`] comment stands for; `None` for any other line.
    pub fn open_line(stored: &str) -> Option<String> {
        let escaped = stored.strip_prefix(OPEN_LINE_PREFIX)?;
        let mut out = String::new();
        let mut chars = escaped.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        }
        Some(out)
    }

    /// The script as text: header, seed line, then the lines; ends with a newline.
    pub fn to_text(&self) -> String {
        let mut s = format!("{HEADER}\n# seed: {}\n", self.seed);
        for l in &self.lines {
            s.push_str(l);
            s.push('\n');
        }
        s
    }

    /// The lines that do something, with their line numbers in [`Script::to_text`] (header
    /// line 1, seed line 2); blank and comment-only lines are skipped. Lines that do not
    /// parse are included, so that running them reports the error.
    pub fn commands(&self) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        let mut n = 3;
        for l in &self.lines {
            let skip = matches!(lexer::parse_line(l), Ok(p) if p.kind == LineKind::Empty);
            if !skip {
                out.push((n, l.as_str()));
            }
            n += 1 + l.matches('\n').count();
        }
        out
    }

    /// The share-link form: `v1.` then base64url (no padding) of the deflated text.
    pub fn to_link_fragment(&self) -> String {
        let packed = miniz_oxide::deflate::compress_to_vec(self.to_text().as_bytes(), 9);
        format!("v1.{}", URL_SAFE_NO_PAD.encode(packed))
    }

    /// Reads a share link's script part (with or without a leading `#`). Hostile input:
    /// length is checked before decoding, decompression stops at [`MAX_SCRIPT_BYTES`],
    /// and the result must be UTF-8 and a valid script.
    pub fn from_link_fragment(fragment: &str) -> Result<Script, ScriptError> {
        if fragment.len() > MAX_LINK_CHARS {
            return Err(ScriptError::LinkTooLong {
                chars: fragment.chars().count(),
            });
        }
        let f = fragment.trim();
        let f = f.strip_prefix('#').unwrap_or(f);
        let (version, data) = f.split_once('.').ok_or(ScriptError::LinkFormat)?;
        let n = version
            .strip_prefix('v')
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or(ScriptError::LinkFormat)?;
        if n > 1 {
            return Err(ScriptError::TooNew { version: n });
        }
        if n != 1 {
            return Err(ScriptError::LinkFormat);
        }
        let data = data.trim_end_matches('=');
        let packed = URL_SAFE_NO_PAD
            .decode(data)
            .map_err(|_| ScriptError::LinkEncoding)?;
        let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_SCRIPT_BYTES)
            .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                ScriptError::LinkTooLargeDecompressed
            }
            _ => ScriptError::LinkCorrupt,
        })?;
        let text = String::from_utf8(bytes).map_err(|_| ScriptError::NotUtf8)?;
        Script::parse(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_lines_are_kept_as_a_comment_that_reads_back_as_the_line() {
        for open in [
            "aws kms list-keys \\",
            "aws kms describe-key --key-id 'oops",
            "aws ec2 describe-volumes \\\n --volume-ids \"vol-1",
            "echo 'a\\b\r",
        ] {
            let stored = stored_line(open);
            assert!(stored.starts_with(OPEN_LINE_PREFIX), "{open:?}");
            assert!(!stored.contains('\n'), "{stored:?}");
            assert_eq!(Script::open_line(&stored).as_deref(), Some(open));
            let mut s = Script::new(1);
            s.push(open);
            s.push("aws kms create-key");
            let back = Script::parse(&s.to_text()).expect("reads back");
            assert_eq!(back.lines, s.lines, "{open:?}");
        }
        for closed in [
            "aws kms list-keys",
            "aws ec2 describe-volumes \\\n --max-results 5",
            "# a comment 'with a quote",
        ] {
            assert_eq!(stored_line(closed), closed);
            assert_eq!(Script::open_line(closed), None);
        }
    }
}
