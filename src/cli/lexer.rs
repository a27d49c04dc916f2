//! Shell-like lexing of one console or script line: words, quotes, escapes, continuations,
//! comments, `$VAR`/`${VAR}`, `$(aws …)` command substitution and `VAR=value` assignments.
//!
//! It does not run anything: [`parse_line`] turns text into a [`ParsedLine`], and [`expand`]
//! turns its words into argument strings given the variables and a way to run a substitution.
//! No pipes, redirections, globbing, brace expansion or arithmetic: those are reported as errors
//! (or, for globs and braces, left as literal text) rather than half-supported.
//!
//! **Invariant:** no input makes these functions panic; nesting of `$(` is bounded.

use super::CliError;

/// Longest line [`parse_line`] accepts, in bytes (a script is at most 256 KiB anyway).
pub const MAX_LINE_BYTES: usize = 256 * 1024;
/// Deepest nesting of `$( … )` accepted.
pub const MAX_SUBST_DEPTH: usize = 4;

/// One parsed line: what it does, and its trailing `# comment` (without the `#`), if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedLine {
    /// What the line does.
    pub kind: LineKind,
    /// The text after an unquoted `#`, trimmed (`expect-error AccessDeniedException`).
    pub comment: Option<String>,
}

/// The kinds of line the console understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Blank, or only a comment.
    Empty,
    /// `NAME=value …` or `export NAME=value …` (`export NAME` alone assigns nothing).
    Assign {
        /// Whether the line started with `export` (no difference in the playground).
        export: bool,
        /// Variable names and the words that give their values, in order.
        vars: Vec<(String, Word)>,
    },
    /// A command: its words before expansion (the first is normally `aws` or `play`).
    Command(Vec<Word>),
}

/// One shell word, made of literal and expanded parts.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Word {
    /// The parts, in order; joined without separators.
    pub parts: Vec<Part>,
}

/// A piece of a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Literal text; `quoted` when it came from quotes or a backslash escape.
    Text {
        /// The characters.
        text: String,
        /// Quoted text is never split and never starts a comment or assignment.
        quoted: bool,
    },
    /// `$NAME` or `${NAME}`; `quoted` inside double quotes (then not field-split).
    Var {
        /// Variable name.
        name: String,
        /// Inside double quotes.
        quoted: bool,
    },
    /// `$( … )`: one command whose printed output replaces it (trimmed).
    Subst {
        /// The text between `$(` and `)`, as typed.
        source: String,
        /// The parsed inner line (always [`LineKind::Command`]).
        line: Box<ParsedLine>,
        /// Inside double quotes.
        quoted: bool,
    },
}

impl Word {
    /// A word holding one quoted literal (used by tests and by `to_cli`).
    pub fn literal(text: &str) -> Word {
        Word {
            parts: vec![Part::Text {
                text: text.to_string(),
                quoted: true,
            }],
        }
    }

    /// The word's text if it has no expansions (quotes removed).
    pub fn as_literal(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text { text, .. } => out.push_str(text),
                _ => return None,
            }
        }
        Some(out)
    }

    /// The word's text if it is entirely unquoted literal text.
    fn as_bare(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text {
                    text,
                    quoted: false,
                } => out.push_str(text),
                _ => return None,
            }
        }
        Some(out)
    }

    fn push_text(&mut self, c: char, quoted: bool) {
        if let Some(Part::Text { text, quoted: q }) = self.parts.last_mut() {
            if *q == quoted {
                text.push(c);
                return;
            }
        }
        self.parts.push(Part::Text {
            text: c.to_string(),
            quoted,
        });
    }

    fn push_str(&mut self, s: &str, quoted: bool) {
        for c in s.chars() {
            self.push_text(c, quoted);
        }
    }
}

/// Parses one line (a logical line: continuations may be embedded as backslash-newline).
///
/// Never panics. Errors carry the bash-like message shown to the user.
pub fn parse_line(input: &str) -> Result<ParsedLine, CliError> {
    if input.len() > MAX_LINE_BYTES {
        return Err(CliError::syntax(format!(
            "The line is too long ({} bytes; the limit is {} bytes).",
            input.len(),
            MAX_LINE_BYTES
        )));
    }
    let mut lx = Lexer {
        chars: input.chars().collect(),
        pos: 0,
        depth: 0,
    };
    let (words, comment) = lx.words(false)?;
    classify(words, comment)
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Lexer {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, off: usize) -> Option<char> {
        self.chars.get(self.pos + off).copied()
    }

    /// Reads words until the end (or, inside `$(`, until the closing `)`).
    fn words(&mut self, in_subst: bool) -> Result<(Vec<Word>, Option<String>), CliError> {
        let mut words = Vec::new();
        let mut comment = None;
        loop {
            // Blanks and continuations between words.
            loop {
                match self.peek() {
                    Some(' ') | Some('\t') | Some('\r') => self.pos += 1,
                    Some('\\') if self.peek_at(1) == Some('\n') => self.pos += 2,
                    Some('\\')
                        if self.peek_at(1) == Some('\r') && self.peek_at(2) == Some('\n') =>
                    {
                        self.pos += 3
                    }
                    // `\ ` at the start of a word: a continuation whose newline was lost when
                    // a multi-line command was pasted flat (as in seed 004). A shell would make
                    // it a literal space, which no AWS CLI argument starts with.
                    Some('\\') if matches!(self.peek_at(1), Some(' ') | Some('\t')) => {
                        self.pos += 2
                    }
                    _ => break,
                }
            }
            let Some(c) = self.peek() else {
                if in_subst {
                    return Err(CliError::syntax(
                        "Unterminated command substitution: a `$(` is never closed by `)`.",
                    ));
                }
                break;
            };
            match c {
                '\n' => {
                    return Err(CliError::syntax(
                        "One command per line: end a line with a backslash (\\) to continue a command on the next line.",
                    ))
                }
                '#' => {
                    let start = self.pos + 1;
                    while let Some(c) = self.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                    let text: String = self.chars.get(start..self.pos).unwrap_or(&[]).iter().collect();
                    comment = Some(text.trim().to_string());
                }
                ')' if in_subst => {
                    self.pos += 1;
                    return Ok((words, comment));
                }
                ';' | '|' | '&' | '<' | '>' => return Err(operator_error(c)),
                '(' | ')' => {
                    return Err(CliError::syntax(format!(
                        "syntax error near unexpected token `{c}' (quote the value if the parenthesis belongs to it)"
                    )))
                }
                _ => {
                    let w = self.word()?;
                    words.push(w);
                }
            }
        }
        Ok((words, comment))
    }

    /// Reads one word starting at a non-blank character.
    fn word(&mut self) -> Result<Word, CliError> {
        let mut w = Word::default();
        let mut saw_quotes = false;
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '|' | '&' | '<' | '>' | '(' | ')' => break,
                '\'' => {
                    saw_quotes = true;
                    self.pos += 1;
                    let mut closed = false;
                    while let Some(c) = self.peek() {
                        self.pos += 1;
                        if c == '\'' {
                            closed = true;
                            break;
                        }
                        w.push_text(c, true);
                    }
                    if !closed {
                        return Err(CliError::syntax(
                            "Unterminated quote: a single quote (') is never closed.",
                        ));
                    }
                }
                '"' => {
                    saw_quotes = true;
                    self.pos += 1;
                    self.double_quoted(&mut w)?;
                }
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        None => {}
                        Some('\n') => self.pos += 1,
                        Some('\r') if self.peek_at(1) == Some('\n') => self.pos += 2,
                        Some(c) => {
                            self.pos += 1;
                            w.push_text(c, true);
                        }
                    }
                }
                '$' => {
                    self.pos += 1;
                    self.dollar(&mut w, false)?;
                }
                '`' => return Err(backtick_error()),
                _ => {
                    self.pos += 1;
                    w.push_text(c, false);
                }
            }
        }
        if w.parts.is_empty() && saw_quotes {
            w.parts.push(Part::Text {
                text: String::new(),
                quoted: true,
            });
        }
        Ok(w)
    }

    fn double_quoted(&mut self, w: &mut Word) -> Result<(), CliError> {
        loop {
            let Some(c) = self.peek() else {
                return Err(CliError::syntax(
                    "Unterminated quote: a double quote (\") is never closed.",
                ));
            };
            self.pos += 1;
            match c {
                '"' => return Ok(()),
                '\\' => match self.peek() {
                    Some(n @ ('$' | '`' | '"' | '\\')) => {
                        self.pos += 1;
                        w.push_text(n, true);
                    }
                    Some('\n') => self.pos += 1,
                    _ => w.push_text('\\', true),
                },
                '$' => self.dollar(w, true)?,
                '`' => return Err(backtick_error()),
                _ => w.push_text(c, true),
            }
        }
    }

    /// After a `$`: a variable, `${NAME}`, `$( … )`, or a literal dollar sign.
    fn dollar(&mut self, w: &mut Word, quoted: bool) -> Result<(), CliError> {
        match self.peek() {
            Some('(') => {
                if self.peek_at(1) == Some('(') {
                    return Err(CliError::syntax(
                        "Arithmetic expansion $(( … )) is not supported in the playground console.",
                    ));
                }
                if self.depth >= MAX_SUBST_DEPTH {
                    return Err(CliError::syntax(format!(
                        "Command substitutions are nested too deeply (the limit is {MAX_SUBST_DEPTH})."
                    )));
                }
                self.pos += 1;
                let start = self.pos;
                self.depth += 1;
                let (words, comment) = self.words(true)?;
                self.depth -= 1;
                let end = self.pos.saturating_sub(1).max(start);
                let source: String = self.chars.get(start..end).unwrap_or(&[]).iter().collect();
                let inner = classify(words, comment)?;
                if !matches!(inner.kind, LineKind::Command(_)) {
                    return Err(CliError::syntax(
                        "$( … ) must contain one command, such as $(aws ec2 create-volume … --query VolumeId --output text).",
                    ));
                }
                w.parts.push(Part::Subst {
                    source: source.trim().to_string(),
                    line: Box::new(inner),
                    quoted,
                });
            }
            Some('{') => {
                self.pos += 1;
                let start = self.pos;
                while let Some(c) = self.peek() {
                    if c == '}' {
                        break;
                    }
                    self.pos += 1;
                }
                let name: String = self
                    .chars
                    .get(start..self.pos)
                    .unwrap_or(&[])
                    .iter()
                    .collect();
                if self.peek() != Some('}') {
                    return Err(CliError::syntax(
                        "Unterminated ${: a `${` is never closed by `}`.",
                    ));
                }
                self.pos += 1;
                if !is_name(&name) {
                    return Err(CliError::syntax(format!(
                        "${{{name}}}: bad substitution (the playground supports ${{NAME}} only)"
                    )));
                }
                w.parts.push(Part::Var { name, quoted });
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let start = self.pos;
                while let Some(c) = self.peek() {
                    if c == '_' || c.is_ascii_alphanumeric() {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                let name: String = self
                    .chars
                    .get(start..self.pos)
                    .unwrap_or(&[])
                    .iter()
                    .collect();
                w.parts.push(Part::Var { name, quoted });
            }
            _ => w.push_text('$', quoted),
        }
        Ok(())
    }
}

fn operator_error(c: char) -> CliError {
    let what = match c {
        '|' => "Pipes (|)",
        '<' | '>' => "Redirections (< and >)",
        ';' => "Several commands on one line (;)",
        _ => "Control operators (& and &&)",
    };
    CliError::syntax(format!(
        "{what} are not supported in the playground console: run one command per line (quote the character if it is part of a value)."
    ))
}

fn backtick_error() -> CliError {
    CliError::syntax(
        "Backticks (`) are command substitution in a shell and are not supported: use $( … ), or put a JMESPath literal inside single quotes: --query 'Volumes[?State==`available`]'.",
    )
}

/// Whether `s` is a valid shell variable name.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Splits `NAME=rest` off a word whose name part is unquoted literal text.
fn split_assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Text {
        text,
        quoted: false,
    }) = w.parts.first()
    else {
        return None;
    };
    let eq = text.find('=')?;
    let name = text.get(..eq)?;
    if !is_name(name) {
        return None;
    }
    let rest = text.get(eq + 1..).unwrap_or("");
    let mut value = Word::default();
    if !rest.is_empty() {
        value.push_str(rest, false);
    }
    value.parts.extend(w.parts.iter().skip(1).cloned());
    Some((name.to_string(), value))
}

fn classify(words: Vec<Word>, comment: Option<String>) -> Result<ParsedLine, CliError> {
    let Some(first) = words.first() else {
        return Ok(ParsedLine {
            kind: LineKind::Empty,
            comment,
        });
    };
    let export = first.as_bare().as_deref() == Some("export");
    let assigns = if export {
        words.get(1..).unwrap_or(&[])
    } else {
        &words[..]
    };
    if export || split_assignment(first).is_some() {
        let mut vars = Vec::new();
        for w in assigns {
            match split_assignment(w) {
                Some(pair) => vars.push(pair),
                None if export && w.as_bare().is_some_and(|s| is_name(&s)) => {}
                None => {
                    return Err(CliError::syntax(
                        "`NAME=value command` (a variable set for one command) is not supported: put the assignment on its own line, then run the command.",
                    ))
                }
            }
        }
        return Ok(ParsedLine {
            kind: LineKind::Assign { export, vars },
            comment,
        });
    }
    Ok(ParsedLine {
        kind: LineKind::Command(words),
        comment,
    })
}

/// Expands words into argument strings.
///
/// `var` looks a variable up; `subst` runs the command of a `$( … )` and returns its output.
/// Unquoted expansions are split into several arguments at blanks (as a shell does), so
/// `--volume-ids $VOLS` passes each id; quoted ones (`"$DESC"`) stay one argument.
/// An unset variable is an error (as with `set -u`), since an empty value would only produce
/// a confusing "expected one argument" further on.
pub fn expand(
    words: &[Word],
    var: &dyn Fn(&str) -> Option<String>,
    subst: &mut dyn FnMut(&ParsedLine, &str) -> Result<String, CliError>,
) -> Result<Vec<String>, CliError> {
    let mut out = Vec::new();
    for w in words {
        expand_word(w, var, subst, true, &mut out)?;
    }
    Ok(out)
}

/// Expands one word into a single string (no field splitting: assignments, `"…"`).
pub fn expand_single(
    word: &Word,
    var: &dyn Fn(&str) -> Option<String>,
    subst: &mut dyn FnMut(&ParsedLine, &str) -> Result<String, CliError>,
) -> Result<String, CliError> {
    let mut out = Vec::new();
    expand_word(word, var, subst, false, &mut out)?;
    Ok(out.join(" "))
}

fn expand_word(
    w: &Word,
    var: &dyn Fn(&str) -> Option<String>,
    subst: &mut dyn FnMut(&ParsedLine, &str) -> Result<String, CliError>,
    split: bool,
    out: &mut Vec<String>,
) -> Result<(), CliError> {
    // `cur` is the field being built; `has` says whether it exists yet (an empty quoted
    // string is a field, an empty unquoted expansion is not).
    let mut cur = String::new();
    let mut has = false;
    for p in &w.parts {
        let (text, quoted) = match p {
            Part::Text { text, quoted } => (text.clone(), *quoted || !split),
            Part::Var { name, quoted } => match var(name) {
                Some(v) => (v, *quoted || !split),
                None => {
                    return Err(CliError::syntax(format!(
                        "${name} is not set: set it first, for example {name}=$(aws … --query … --output text)"
                    )))
                }
            },
            Part::Subst {
                source,
                line,
                quoted,
            } => (subst(line, source)?, *quoted || !split),
        };
        if quoted || matches!(p, Part::Text { .. }) {
            cur.push_str(&text);
            has = true;
            continue;
        }
        // Unquoted expansion: split at blanks.
        let starts_blank = text.starts_with(char::is_whitespace);
        let ends_blank = text.ends_with(char::is_whitespace);
        let mut fields = text.split_whitespace().peekable();
        if starts_blank && has {
            out.push(std::mem::take(&mut cur));
            has = false;
        }
        while let Some(f) = fields.next() {
            cur.push_str(f);
            has = true;
            if fields.peek().is_some() {
                out.push(std::mem::take(&mut cur));
                has = false;
            }
        }
        if ends_blank && has {
            out.push(std::mem::take(&mut cur));
            has = false;
        }
    }
    if has {
        out.push(cur);
    }
    Ok(())
}
