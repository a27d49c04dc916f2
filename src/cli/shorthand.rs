//! The AWS CLI shorthand syntax for structure, map and list values:
//! `DeviceName=/dev/sdf,Ebs={SnapshotId=snap-1,Encrypted=true}`, `Key=a,b,c`, `Key=[a,b]`,
//! `Add=[{UserId=123456789012}]`, quoted values (`Name="a, b"`) and escaped commas (`a\,b`).
//!
//! It produces an untyped tree ([`Sh`]); `args.rs` converts it using the parameter's type.
//! Never panics; nesting is bounded by [`MAX_DEPTH`].

/// Deepest nesting of `[` and `{` accepted.
pub const MAX_DEPTH: usize = 32;

/// An untyped shorthand value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sh {
    /// A single value (always text; the parameter type decides what it becomes).
    Scalar(String),
    /// `a,b,c` after a key, or `[a,b]`.
    List(Vec<Sh>),
    /// `{k=v,…}` (or the top level `k=v,…`), keys in order.
    Map(Vec<(String, Sh)>),
}

/// Parses a whole shorthand argument: `key=values` pairs separated by commas.
///
/// The error is the text after `Error parsing parameter '--x': `, in the AWS CLI's wording.
pub fn parse(input: &str) -> Result<Vec<(String, Sh)>, String> {
    let mut p = Parser {
        chars: input.chars().collect(),
        pos: 0,
        depth: 0,
        input,
    };
    let mut pairs = Vec::new();
    loop {
        pairs.push(p.keyval()?);
        p.ws();
        match p.peek() {
            None => break,
            Some(',') => p.pos += 1,
            Some(c) => return Err(p.expected("','", &c.to_string())),
        }
    }
    Ok(pairs)
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
    input: &'a str,
}

fn is_key_char(c: char) -> bool {
    !matches!(c, '=' | ',' | '{' | '}' | '[' | ']' | '\'' | '"') && !c.is_whitespace()
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn expected(&self, what: &str, got: &str) -> String {
        let caret: String = " ".repeat(self.pos.min(self.chars.len()));
        format!(
            "Expected: {what}, received: '{got}' for input:\n{}\n{caret}^",
            self.input
        )
    }

    fn got(&self) -> String {
        self.peek()
            .map_or_else(|| "EOF".to_string(), |c| c.to_string())
    }

    fn key(&mut self) -> Result<String, String> {
        self.ws();
        let start = self.pos;
        while self.peek().is_some_and(is_key_char) {
            self.pos += 1;
        }
        let key: String = self
            .chars
            .get(start..self.pos)
            .unwrap_or(&[])
            .iter()
            .collect();
        if key.is_empty() {
            return Err(self.expected("a key name", &self.got()));
        }
        Ok(key)
    }

    fn keyval(&mut self) -> Result<(String, Sh), String> {
        let key = self.key()?;
        self.ws();
        if self.peek() != Some('=') {
            return Err(self.expected("'='", &self.got()));
        }
        self.pos += 1;
        let v = self.values()?;
        Ok((key, v))
    }

    /// Whether a `key=` starts at `at` (used after a comma: new pair or another list value).
    fn key_follows(&self, at: usize) -> bool {
        let mut i = at;
        while self.chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        let start = i;
        while self.chars.get(i).is_some_and(|&c| is_key_char(c)) {
            i += 1;
        }
        if i == start {
            return false;
        }
        while self.chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        self.chars.get(i) == Some(&'=')
    }

    fn values(&mut self) -> Result<Sh, String> {
        self.ws();
        match self.peek() {
            Some('[') => self.list(),
            Some('{') => self.hash(),
            _ => {
                let first = self.value()?;
                let mut items = vec![Sh::Scalar(first)];
                loop {
                    let save = self.pos;
                    self.ws();
                    if self.peek() == Some(',') && !self.key_follows(self.pos + 1) {
                        self.pos += 1;
                        self.ws();
                        if matches!(self.peek(), Some('[') | Some('{')) {
                            return Err(self.expected("a value", &self.got()));
                        }
                        items.push(Sh::Scalar(self.value()?));
                    } else {
                        self.pos = save;
                        break;
                    }
                }
                if items.len() == 1 {
                    Ok(items.pop().unwrap_or(Sh::Scalar(String::new())))
                } else {
                    Ok(Sh::List(items))
                }
            }
        }
    }

    /// A scalar: quoted, or text up to `,` `]` `}` (a `\,` is a literal comma).
    fn value(&mut self) -> Result<String, String> {
        self.ws();
        if let Some(q @ ('\'' | '"')) = self.peek() {
            self.pos += 1;
            let mut out = String::new();
            loop {
                match self.peek() {
                    None => return Err(self.expected(&format!("{q}"), "EOF")),
                    Some('\\') if matches!(self.chars.get(self.pos + 1), Some(&c) if c == q || c == '\\') =>
                    {
                        if let Some(&c) = self.chars.get(self.pos + 1) {
                            out.push(c);
                        }
                        self.pos += 2;
                    }
                    Some(c) if c == q => {
                        self.pos += 1;
                        break;
                    }
                    Some(c) => {
                        out.push(c);
                        self.pos += 1;
                    }
                }
            }
            self.ws();
            return Ok(out);
        }
        let mut out = String::new();
        while let Some(c) = self.peek() {
            match c {
                ',' | ']' | '}' => break,
                '\\' if self.chars.get(self.pos + 1) == Some(&',') => {
                    out.push(',');
                    self.pos += 2;
                }
                _ => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
        Ok(out.trim_end().to_string())
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "Shorthand nested too deeply (more than {MAX_DEPTH} levels)."
            ));
        }
        self.pos += 1;
        Ok(())
    }

    fn list(&mut self) -> Result<Sh, String> {
        self.enter()?;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Sh::List(items));
        }
        loop {
            self.ws();
            let item = match self.peek() {
                Some('{') => self.hash()?,
                Some('[') => self.list()?,
                _ => Sh::Scalar(self.value()?),
            };
            items.push(item);
            self.ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(']') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.expected("',' or ']'", &self.got())),
            }
        }
        self.depth -= 1;
        Ok(Sh::List(items))
    }

    fn hash(&mut self) -> Result<Sh, String> {
        self.enter()?;
        let mut pairs = Vec::new();
        self.ws();
        if self.peek() == Some('}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Sh::Map(pairs));
        }
        loop {
            pairs.push(self.keyval()?);
            self.ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some('}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.expected("',' or '}'", &self.got())),
            }
        }
        self.depth -= 1;
        Ok(Sh::Map(pairs))
    }
}
