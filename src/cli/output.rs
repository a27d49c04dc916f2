//! Printing results as the AWS CLI does: `--query` (JMESPath, via the `jmespath` crate), then
//! `--output json` (4-space indent, keys in the backend's order), `text` (tab-separated,
//! nested list names upper-cased) or `table` (ASCII boxes); and the CLI's error line.
//!
//! Pure functions from values to text; nothing here knows about the shell or the backend.

use super::CliError;
use crate::model::error::AwsError;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Rewrites, in place, every member of `v` that `service` types as a timestamp into the form
/// the AWS CLI v2 prints ([`crate::model::clock::cli_timestamp`]), at any depth.
pub fn cli_timestamps(service: crate::model::ops::Service, v: &mut Value) {
    let names = service.timestamp_members();
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if names.contains(&k.as_str()) {
                    if let Some(t) = crate::model::clock::cli_timestamp(x) {
                        *x = Value::String(t);
                        continue;
                    }
                }
                cli_timestamps(service, x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| cli_timestamps(service, x)),
        _ => {}
    }
}

/// `--output` formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// JSON, indented like the AWS CLI.
    Json,
    /// The AWS CLI text format (tab-separated).
    Text,
    /// The AWS CLI table format.
    Table,
}

impl OutputFormat {
    /// Parses `json`, `text` or `table`.
    pub fn parse(s: &str) -> Option<OutputFormat> {
        match s {
            "json" => Some(OutputFormat::Json),
            "text" => Some(OutputFormat::Text),
            "table" => Some(OutputFormat::Table),
            _ => None,
        }
    }

    /// The option value for this format.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::Text => "text",
            OutputFormat::Table => "table",
        }
    }
}

/// Longest `--query` expression accepted (the JMESPath parser recurses on nesting).
pub const MAX_QUERY_LEN: usize = 4096;
/// Deepest bracket nesting accepted in a `--query` expression.
pub const MAX_QUERY_NESTING: usize = 48;

/// The AWS CLI's error line: `An error occurred (CODE) when calling the OP operation: MESSAGE`.
pub fn error_text(operation: &str, e: &AwsError) -> String {
    format!(
        "An error occurred ({}) when calling the {operation} operation: {}",
        e.code, e.message
    )
}

/// Formats a (queried) response; an empty object prints nothing, as in the AWS CLI.
/// The text has no trailing newline. `title` is the operation name (used by tables).
pub fn format(value: &Value, format: OutputFormat, title: &str) -> String {
    if matches!(value, Value::Object(m) if m.is_empty()) {
        return String::new();
    }
    match format {
        OutputFormat::Json => format_json(value),
        OutputFormat::Text => format_text(value),
        OutputFormat::Table => format_table(value, title),
    }
}

/// JSON with 4-space indentation, as the AWS CLI prints it (`json.dumps(indent=4)`).
pub fn format_json(value: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if serde::Serialize::serialize(value, &mut ser).is_err() {
        return value.to_string();
    }
    String::from_utf8(buf).unwrap_or_else(|_| value.to_string())
}

/// Widest table cell; longer values (raw sector hex, policies) are cut with `...`, since a
/// table is for reading and the CLI fits tables to the terminal too.
pub const MAX_TABLE_CELL: usize = 80;

fn cell(v: &Value) -> String {
    let s = scalar(v);
    if s.chars().count() <= MAX_TABLE_CELL {
        return s;
    }
    let mut cut: String = s.chars().take(MAX_TABLE_CELL - 3).collect();
    cut.push_str("...");
    cut
}

/// Python's `str()` of a scalar, as the text and table formats print it.
fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// The AWS CLI text format: scalars of an object on one tab-separated line (keys sorted),
/// prefixed by the upper-cased name of the list or object holding them; nested values follow.
pub fn format_text(value: &Value) -> String {
    let mut lines = Vec::new();
    text_item(value, None, None, &mut lines);
    lines.join("\n")
}

fn text_item(
    item: &Value,
    ident: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut Vec<String>,
) {
    match item {
        Value::Object(m) => text_dict(m, ident, scalar_keys, out),
        Value::Array(items) => text_list(items, ident, out),
        v => out.push(scalar(v)),
    }
}

fn text_list(items: &[Value], ident: Option<&str>, out: &mut Vec<String>) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        let mut keys: Vec<String> = Vec::new();
        for el in items {
            if let Value::Object(m) = el {
                for (k, v) in m {
                    if is_scalar(v) && !keys.contains(k) {
                        keys.push(k.clone());
                    }
                }
            }
        }
        crate::sort::sort(&mut keys);
        for el in items {
            text_item(el, ident, Some(&keys), out);
        }
    } else if items.iter().any(Value::is_array) {
        let scalars: Vec<&Value> = items.iter().filter(|v| is_scalar(v)).collect();
        if !scalars.is_empty() {
            text_scalars(&scalars, ident, out);
        }
        for el in items.iter().filter(|v| !is_scalar(v)) {
            text_item(el, ident, None, out);
        }
    } else {
        let all: Vec<&Value> = items.iter().collect();
        text_scalars(&all, ident, out);
    }
}

fn text_scalars(items: &[&Value], ident: Option<&str>, out: &mut Vec<String>) {
    match ident {
        Some(id) => {
            for v in items {
                out.push(format!("{}\t{}", id.to_ascii_uppercase(), scalar(v)));
            }
        }
        None => out.push(
            items
                .iter()
                .map(|v| scalar(v))
                .collect::<Vec<_>>()
                .join("\t"),
        ),
    }
}

fn text_dict(
    m: &Map<String, Value>,
    ident: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut Vec<String>,
) {
    let mut scalars: Vec<String> = Vec::new();
    let mut nested: Vec<(&String, &Value)> = Vec::new();
    match scalar_keys {
        None => {
            let mut keys: Vec<&String> = m.keys().collect();
            crate::sort::sort(&mut keys);
            for k in keys {
                if let Some(v) = m.get(k) {
                    if is_scalar(v) {
                        scalars.push(scalar(v));
                    } else {
                        nested.push((k, v));
                    }
                }
            }
        }
        Some(keys) => {
            for k in keys {
                scalars.push(m.get(k).map(scalar).unwrap_or_default());
            }
            let mut rest: Vec<&String> = m.keys().filter(|k| !keys.contains(k)).collect();
            crate::sort::sort(&mut rest);
            for k in rest {
                if let Some(v) = m.get(k) {
                    nested.push((k, v));
                }
            }
        }
    }
    if !scalars.is_empty() {
        if let Some(id) = ident {
            scalars.insert(0, id.to_ascii_uppercase());
        }
        out.push(scalars.join("\t"));
    }
    for (k, v) in nested {
        text_item(v, Some(k), None, out);
    }
}

/// One section of a table: an optional title, optional header row, rows, nesting level.
#[derive(Debug, Default)]
struct Section {
    title: Option<String>,
    indent: usize,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
    }
}

/// The AWS CLI table format: a title, then a box per object or list, nested boxes indented
/// by `|` borders. ASCII only, as the CLI draws it; no terminal-width wrapping.
pub fn format_table(value: &Value, title: &str) -> String {
    let mut sections: Vec<Section> = Vec::new();
    if is_scalar(value) {
        sections.push(Section {
            title: Some(title.to_string()),
            rows: vec![vec![cell(value)]],
            ..Section::default()
        });
    } else {
        table_build(Some(title), value, 0, &mut sections);
    }
    render_sections(&sections)
}

fn current(sections: &mut Vec<Section>, indent: usize) -> &mut Section {
    if sections.is_empty() {
        sections.push(Section {
            indent,
            ..Section::default()
        });
    }
    let last = sections.len() - 1;
    // `last` is in bounds: the vector was just made non-empty.
    &mut sections[last]
}

fn new_section(sections: &mut Vec<Section>, title: &str, indent: usize) {
    sections.push(Section {
        title: Some(title.to_string()),
        indent,
        ..Section::default()
    });
}

fn table_build(title: Option<&str>, v: &Value, indent: usize, sections: &mut Vec<Section>) {
    if is_empty(v) {
        return;
    }
    if let Some(t) = title {
        new_section(sections, t, indent);
    }
    match v {
        Value::Array(items) if items.first().is_some_and(Value::is_object) => {
            let mut headers: Vec<String> = Vec::new();
            let mut more: Vec<String> = Vec::new();
            for el in items {
                if let Value::Object(m) = el {
                    for (k, val) in m {
                        let bucket = if is_scalar(val) {
                            &mut headers
                        } else {
                            &mut more
                        };
                        if !bucket.contains(k) {
                            bucket.push(k.clone());
                        }
                    }
                }
            }
            crate::sort::sort(&mut headers);
            crate::sort::sort(&mut more);
            current(sections, indent).headers = headers.clone();
            for (i, el) in items.iter().enumerate() {
                if i > 0 && !more.is_empty() {
                    new_section(sections, title.unwrap_or(""), indent);
                    current(sections, indent).headers = headers.clone();
                }
                let row: Vec<String> = headers
                    .iter()
                    .map(|h| el.get(h).map(cell).unwrap_or_default())
                    .collect();
                if !row.is_empty() {
                    current(sections, indent).rows.push(row);
                }
                for k in &more {
                    if let Some(sub) = el.get(k) {
                        table_build(Some(k), sub, indent + 1, sections);
                    }
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Array(inner) if inner.iter().all(is_scalar) => {
                        let row = inner.iter().map(cell).collect();
                        current(sections, indent).rows.push(row);
                    }
                    v if is_scalar(v) => current(sections, indent).rows.push(vec![cell(v)]),
                    other => table_build(None, other, indent, sections),
                }
            }
        }
        Value::Object(m) => {
            let mut headers: Vec<&String> = m
                .keys()
                .filter(|k| m.get(*k).is_some_and(is_scalar))
                .collect();
            crate::sort::sort(&mut headers);
            let mut more: Vec<&String> = m
                .keys()
                .filter(|k| !m.get(*k).is_some_and(is_scalar))
                .collect();
            crate::sort::sort(&mut more);
            if let [only] = headers.as_slice() {
                let row = vec![(*only).clone(), m.get(*only).map(cell).unwrap_or_default()];
                current(sections, indent).rows.push(row);
            } else if !headers.is_empty() {
                let sec = current(sections, indent);
                if !sec.headers.is_empty() || !sec.rows.is_empty() {
                    // A new object in the same untitled run: start a fresh box.
                    sections.push(Section {
                        indent,
                        ..Section::default()
                    });
                }
                let sec = current(sections, indent);
                sec.headers = headers.iter().map(|h| (*h).clone()).collect();
                sec.rows.push(
                    headers
                        .iter()
                        .map(|h| m.get(*h).map(cell).unwrap_or_default())
                        .collect(),
                );
            }
            for k in more {
                if let Some(sub) = m.get(k) {
                    table_build(Some(k), sub, indent + 1, sections);
                }
            }
        }
        _ => {}
    }
}

fn columns(s: &Section) -> usize {
    s.rows
        .iter()
        .map(Vec::len)
        .chain(std::iter::once(s.headers.len()))
        .max()
        .unwrap_or(0)
}

fn natural_widths(s: &Section) -> Vec<usize> {
    let n = columns(s);
    let mut w = vec![0usize; n];
    for (i, h) in s.headers.iter().enumerate() {
        if let Some(slot) = w.get_mut(i) {
            *slot = (*slot).max(h.chars().count() + 4);
        }
    }
    for row in &s.rows {
        for (i, c) in row.iter().enumerate() {
            if let Some(slot) = w.get_mut(i) {
                *slot = (*slot).max(c.chars().count() + 4);
            }
        }
    }
    w
}

fn min_width(s: &Section) -> usize {
    let w = natural_widths(s);
    let cols = if w.is_empty() {
        0
    } else {
        w.iter().sum::<usize>() + w.len() + 1
    };
    let title = s.title.as_ref().map_or(0, |t| t.chars().count() + 6);
    cols.max(title).max(4)
}

fn center(text: &str, width: usize) -> String {
    let len = text.chars().count();
    if len >= width {
        return text.to_string();
    }
    let left = (width - len) / 2;
    let right = width - len - left;
    format!("{}{}{}", " ".repeat(left), text, " ".repeat(right))
}

fn render_sections(sections: &[Section]) -> String {
    let total = sections
        .iter()
        .map(|s| min_width(s) + 2 * s.indent)
        .max()
        .unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    for (idx, s) in sections.iter().enumerate() {
        let k = s.indent;
        let w = total.saturating_sub(2 * k).max(4);
        let pre = "|".repeat(k);
        let line = |body: String| format!("{pre}{body}{pre}");
        // Column widths stretched to the box width.
        let mut widths = natural_widths(s);
        let n = widths.len();
        if n > 0 {
            let used: usize = widths.iter().sum::<usize>() + n + 1;
            let extra = w.saturating_sub(used);
            let each = extra / n;
            for x in widths.iter_mut() {
                *x += each;
            }
            if let Some(last) = widths.last_mut() {
                *last += extra - each * n;
            }
        }
        let sep = if n > 0 {
            let parts: Vec<String> = widths.iter().map(|x| "-".repeat(*x)).collect();
            format!("+{}+", parts.join("+"))
        } else {
            format!("+{}+", "-".repeat(w - 2))
        };
        if let Some(t) = &s.title {
            if idx == 0 {
                out.push(line("-".repeat(w)));
            }
            out.push(line(format!("|{}|", center(t, w - 2))));
            out.push(line(sep.clone()));
        } else if idx == 0 || n > 0 {
            out.push(line(sep.clone()));
        }
        if !s.headers.is_empty() {
            let cells: Vec<String> = (0..n)
                .map(|i| {
                    center(
                        s.headers.get(i).map_or("", String::as_str),
                        widths.get(i).copied().unwrap_or(0),
                    )
                })
                .collect();
            out.push(line(format!("|{}|", cells.join("|"))));
            out.push(line(sep.clone()));
        }
        if !s.rows.is_empty() {
            for row in &s.rows {
                let cells: Vec<String> = (0..n)
                    .map(|i| {
                        let width = widths.get(i).copied().unwrap_or(0);
                        let text = row.get(i).map_or("", String::as_str);
                        let mut cell = format!("  {text}");
                        let len = cell.chars().count();
                        if len < width {
                            cell.push_str(&" ".repeat(width - len));
                        }
                        cell
                    })
                    .collect();
                out.push(line(format!("|{}|", cells.join("|"))));
            }
            out.push(line(sep));
        }
    }
    out.join("\n")
}

/// Applies a `--query` JMESPath expression.
///
/// The `jmespath` crate returns objects with sorted keys; the backend's key order is put back
/// (for keys the input has) and multi-select hashes (`{Id:VolumeId,Size:Size}`) keep the order
/// written in the expression, as the AWS CLI prints them.
pub fn apply_query(data: &Value, expr: &str) -> Result<Value, CliError> {
    check_query_shape(expr)?;
    let fixed = legacy_literals(expr);
    let compiled = jmespath::compile(&fixed)
        .map_err(|e| CliError::query(format!("Bad value for --query {expr}: {e}")))?;
    let result = compiled
        .search(data)
        .map_err(|e| CliError::query(format!("Bad value for --query {expr}: {e}")))?;
    let mut v = serde_json::to_value(&*result)
        .map_err(|e| CliError::query(format!("Bad value for --query {expr}: {e}")))?;
    let mut hashes: Vec<Vec<String>> = Vec::new();
    collect_hashes(compiled.as_ast(), &mut hashes, 0);
    let mut rank: HashMap<String, usize> = HashMap::new();
    key_ranks(data, &mut rank, 0);
    reorder(&mut v, &hashes, &rank, 0);
    Ok(v)
}

/// Rewrites backtick literals that are not JSON (`` `available` ``) as JSON strings
/// (`` `"available"` ``), as the AWS CLI's JMESPath library still accepts them and AWS
/// documentation uses them (`Volumes[?State==`available`]`).
pub fn legacy_literals(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len() + 8);
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            '`' => {
                let mut raw = String::new();
                let mut content = String::new();
                let mut closed = false;
                while let Some(d) = chars.next() {
                    if d == '\\' && chars.peek() == Some(&'`') {
                        chars.next();
                        raw.push_str("\\`");
                        content.push('`');
                        continue;
                    }
                    if d == '`' {
                        closed = true;
                        break;
                    }
                    raw.push(d);
                    content.push(d);
                }
                out.push('`');
                if closed && serde_json::from_str::<Value>(&content).is_err() {
                    let quoted = Value::String(content).to_string().replace('`', "\\`");
                    out.push_str(&quoted);
                } else {
                    out.push_str(&raw);
                }
                if closed {
                    out.push('`');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn check_query_shape(expr: &str) -> Result<(), CliError> {
    if expr.len() > MAX_QUERY_LEN {
        return Err(CliError::query(format!(
            "Bad value for --query: the expression is longer than {MAX_QUERY_LEN} characters."
        )));
    }
    let mut depth = 0usize;
    let mut max = 0usize;
    for c in expr.chars() {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                max = max.max(depth);
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    // Long chains of operators also nest in the parser; bound them too.
    let operators = expr.matches(['|', '.', '&', '!']).count();
    if max > MAX_QUERY_NESTING || operators > 512 {
        return Err(CliError::query(
            "Bad value for --query: the expression is nested too deeply.",
        ));
    }
    Ok(())
}

fn collect_hashes(ast: &jmespath::ast::Ast, out: &mut Vec<Vec<String>>, depth: usize) {
    use jmespath::ast::Ast;
    if depth > 200 {
        return;
    }
    let d = depth + 1;
    match ast {
        Ast::MultiHash { elements, .. } => {
            out.push(elements.iter().map(|kv| kv.key.clone()).collect());
            for kv in elements {
                collect_hashes(&kv.value, out, d);
            }
        }
        Ast::Comparison { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. } => {
            collect_hashes(lhs, out, d);
            collect_hashes(rhs, out, d);
        }
        Ast::Condition {
            predicate, then, ..
        } => {
            collect_hashes(predicate, out, d);
            collect_hashes(then, out, d);
        }
        Ast::Expref { ast, .. } => collect_hashes(ast, out, d),
        Ast::Flatten { node, .. } | Ast::Not { node, .. } | Ast::ObjectValues { node, .. } => {
            collect_hashes(node, out, d)
        }
        Ast::Function { args, .. } => {
            for a in args {
                collect_hashes(a, out, d);
            }
        }
        Ast::MultiList { elements, .. } => {
            for e in elements {
                collect_hashes(e, out, d);
            }
        }
        Ast::Identity { .. }
        | Ast::Field { .. }
        | Ast::Index { .. }
        | Ast::Literal { .. }
        | Ast::Slice { .. } => {}
    }
}

fn key_ranks(v: &Value, rank: &mut HashMap<String, usize>, depth: usize) {
    if depth > 200 {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, val) in m {
                let next = rank.len();
                rank.entry(k.clone()).or_insert(next);
                key_ranks(val, rank, depth + 1);
            }
        }
        Value::Array(items) => {
            for i in items {
                key_ranks(i, rank, depth + 1);
            }
        }
        _ => {}
    }
}

fn reorder(v: &mut Value, hashes: &[Vec<String>], rank: &HashMap<String, usize>, depth: usize) {
    if depth > 200 {
        return;
    }
    match v {
        Value::Object(m) => {
            let keys: Vec<String> = m.keys().cloned().collect();
            let order: Vec<String> = match hashes
                .iter()
                .find(|h| h.len() == keys.len() && h.iter().all(|k| m.contains_key(k)))
            {
                Some(h) => h.clone(),
                None => {
                    let mut ks = keys;
                    let r = |k: &String| rank.get(k).copied().unwrap_or(usize::MAX);
                    crate::sort::sort_by(&mut ks, |a, b| (r(a), a) < (r(b), b));
                    ks
                }
            };
            let mut old = std::mem::take(m);
            for k in order {
                if let Some(mut val) = old.remove(&k) {
                    reorder(&mut val, hashes, rank, depth + 1);
                    m.insert(k, val);
                }
            }
        }
        Value::Array(items) => {
            for i in items {
                reorder(i, hashes, rank, depth + 1);
            }
        }
        _ => {}
    }
}
