//! The console: the transcript of every line run in the session (as the AWS CLI prints it) and
//! the "Command" line that runs AWS CLI v2 syntax through [`Ctx::run`], with history (up and
//! down arrows), completion (Tab) and a live help line, all taken from the session's shell.
//!
//! Nothing here knows a rule of AWS: the transcript shows what the shell printed, errors
//! included, and lines run by forms and scenarios appear like typed ones. Only the last
//! [`PAGE`] entries are rendered so that very long sessions stay fast.

use super::Ctx;
use crate::cli::script::split_logical_lines;
use crate::cli::shell::shell_quote;
use crate::cli::ScriptError;
use crate::session::Entry;
use crate::views::commands;
use leptos::html;
use leptos::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// How many transcript entries are rendered at first (and added by "show earlier").
pub const PAGE: usize = 50;

/// Longest output rendered for one entry, in characters; the rest is summarised.
const MAX_OUTPUT_CHARS: usize = 20_000;

/// Longest command line rendered in the transcript, in characters.
const MAX_LINE_CHARS: usize = 2_000;

/// Most completion candidates listed under the input.
const MAX_CANDIDATES: usize = 60;

/// The playground's own commands, shown in the console's title bar: (command, what it does).
const PLAY_HINTS: &[(&str, &str)] = &[
    (
        "play write",
        "Write text through an instance to an attached volume",
    ),
    ("play read", "Read what the instance sees on a device"),
    ("play sector", "Show a raw sector as stored on the EBS side"),
    ("play advance", "Advance simulated time"),
    ("play help", "All the playground's own commands"),
];

/// One transcript entry, ready to render.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    /// Identity for keyed rendering (changes when a new session replaces the old one).
    id: u64,
    /// `profile · region` of the line.
    who: String,
    /// The line as typed (or generated).
    line: String,
    /// The command after `$VAR` expansion, when the line used variables.
    expanded: Option<String>,
    /// Variables the line set, as `NAME=value`.
    assigned: Option<String>,
    /// What the AWS CLI printed (possibly shortened).
    text: String,
    /// The line failed.
    failed: bool,
    /// A badge: (css class, label) for lines marked `# expect-error`.
    mark: Option<(&'static str, String)>,
}

impl Row {
    fn of(e: &Entry) -> Row {
        let r = &e.result;
        let expanded =
            (r.line.contains('$') && !r.command.is_empty() && r.command != r.line.trim())
                .then(|| shorten(&r.command, MAX_LINE_CHARS));
        let text = shorten(&r.text, MAX_OUTPUT_CHARS);
        let mark = match (&r.error, r.expected_failure) {
            (Some(_), true) if !r.unexpected() => {
                Some(("expected", "expected failure".to_string()))
            }
            (Some(err), true) => Some((
                "unexpected",
                format!(
                    "expected {}, got {}",
                    r.expected_code.as_deref().unwrap_or("an error"),
                    err.code
                ),
            )),
            (None, true) => Some(("unexpected", "expected an error, but it succeeded".into())),
            _ => None,
        };
        let mut h = DefaultHasher::new();
        (e.line, &r.line, &r.text, &r.profile, &r.region).hash(&mut h);
        Row {
            id: h.finish(),
            who: format!("{} · {}", r.profile, r.region),
            line: shorten(&r.line, MAX_LINE_CHARS),
            assigned: (!r.assigned.is_empty()).then(|| {
                let shown: Vec<String> = r
                    .assigned
                    .iter()
                    .map(|(k, v)| format!("{k}={}", shell_quote(v)))
                    .collect();
                shorten(&shown.join(" "), MAX_LINE_CHARS)
            }),
            expanded,
            text,
            failed: r.error.is_some(),
            mark,
        }
    }
}

fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => {
            let rest = text.get(cut..).map_or(0, |s| s.chars().count());
            format!(
                "{}\n… ({rest} more characters not shown)",
                text.get(..cut).unwrap_or("")
            )
        }
    }
}

/// A command line as words that wrap only between words: options and ids are never split at
/// their hyphens (very long words, such as JSON, may still break anywhere). The text content is
/// the line unchanged.
pub(crate) fn command_words(line: &str) -> impl IntoView {
    let words: Vec<String> = line.split(' ').map(str::to_string).collect();
    let last = words.len().saturating_sub(1);
    words
        .into_iter()
        .enumerate()
        .map(|(i, w)| {
            let keep = w.chars().count() <= 48;
            let sep = if i < last { " " } else { "" };
            view! { <span class:nowrap=keep>{w}</span>{sep} }
        })
        .collect_view()
}

/// The longest common prefix of several strings.
fn common_prefix(items: &[String]) -> String {
    let Some(first) = items.first() else {
        return String::new();
    };
    let mut end = first.len();
    for s in items.iter().skip(1) {
        end = first
            .char_indices()
            .zip(s.chars())
            .find(|((_, a), b)| a != b)
            .map_or(end.min(s.len()), |((i, _), _)| i.min(end));
    }
    first.get(..end).unwrap_or("").to_string()
}

/// Whether `text` ends with an unescaped backslash (a continuation).
fn continues(text: &str) -> bool {
    text.chars().rev().take_while(|&c| c == '\\').count() % 2 == 1
}

/// The console: transcript (`role="log"`) and the Command line.
#[component]
pub fn Console() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let value = RwSignal::new(String::new());
    let limit = RwSignal::new(PAGE);
    // Entries before this index were hidden with `clear` (the session keeps them).
    let cleared = RwSignal::new(0usize);
    // Completion candidates shown under the input: (word, completed line).
    let candidates = RwSignal::new(Vec::<(String, String)>::new());
    let comp_note = RwSignal::new(None::<String>);
    // After Escape, Tab leaves the input instead of completing.
    let escaped = RwSignal::new(false);
    let input_ref = NodeRef::<html::Textarea>::new();
    let log_ref = NodeRef::<html::Div>::new();

    let total = Memo::new(move |_| ctx.session.with(|s| s.entries().len()));
    let rows = Memo::new(move |_| {
        ctx.session.with(|s| {
            let all = s.entries();
            let from = cleared.get().min(all.len());
            let visible = all.get(from..).unwrap_or(&[]);
            let skip = visible.len().saturating_sub(limit.get());
            visible
                .get(skip..)
                .unwrap_or(&[])
                .iter()
                .map(Row::of)
                .collect::<Vec<_>>()
        })
    });
    let hidden = move || {
        let t = total.get();
        let from = cleared.get().min(t);
        (t - from).saturating_sub(limit.get())
    };

    // Keep the newest output in view.
    Effect::new(move |_| {
        rows.track();
        request_animation_frame(move || {
            if let Some(el) = log_ref.get_untracked() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    });

    // A form's "Edit in console": take the line, focus the input.
    Effect::new(move |_| {
        if let Some(draft) = ctx.console_draft.get() {
            value.set(draft);
            candidates.set(Vec::new());
            ctx.console_draft.set(None);
            if let Some(el) = input_ref.get_untracked() {
                let _ = el.focus();
                let end = el.value().encode_utf16().count() as u32;
                let _ = el.set_selection_range(end, end);
            }
        }
    });

    let focus_input = move || {
        if let Some(el) = input_ref.get_untracked() {
            let _ = el.focus();
        }
    };

    let submit = move |text: String| {
        value.set(String::new());
        candidates.set(Vec::new());
        comp_note.set(None);
        if text.trim() == "clear" {
            cleared.set(total.get_untracked());
            limit.set(PAGE);
            return;
        }
        match split_logical_lines(&text, 1) {
            Ok(lines) if lines.len() > 1 => {
                // A pasted script: run its lines one by one.
                for (_, l) in lines {
                    ctx.run(&l);
                }
            }
            _ => {
                ctx.run(&text);
            }
        }
    };

    let complete = move || {
        let input = value.get_untracked();
        let (lines, words) = ctx
            .session
            .with_untracked(|s| (s.shell().complete_line(&input), s.shell().complete(&input)));
        match lines.len() {
            0 => {
                candidates.set(Vec::new());
                comp_note.set(Some("No completions here.".into()));
            }
            1 => {
                value.set(lines.first().cloned().unwrap_or_default());
                candidates.set(Vec::new());
                comp_note.set(None);
            }
            _ => {
                let prefix = common_prefix(&lines);
                if prefix.len() > input.len() {
                    value.set(prefix);
                }
                comp_note.set(None);
                candidates.set(words.into_iter().zip(lines).collect());
            }
        }
    };

    let caret = move || -> Option<(bool, bool)> {
        // (on the first line, on the last line) of a multi-line input.
        let el = input_ref.get_untracked()?;
        let start = el.selection_start().ok().flatten()? as usize;
        let v = el.value();
        let units: Vec<u16> = v.encode_utf16().collect();
        let nl = u16::from(b'\n');
        let before = units.get(..start).unwrap_or(&[]);
        let after = units.get(start..).unwrap_or(&[]);
        Some((!before.contains(&nl), !after.contains(&nl)))
    };

    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.is_composing() {
            return;
        }
        let key = ev.key();
        if key != "Tab" {
            escaped.set(false);
        }
        match key.as_str() {
            "Enter" => {
                ev.prevent_default();
                let v = value.get_untracked();
                if continues(&v)
                    || matches!(
                        split_logical_lines(&v, 1),
                        Err(ScriptError::Unterminated { .. })
                    )
                {
                    // Backslash at the end, or an open quote: the command goes on.
                    value.set(format!("{v}\n"));
                    return;
                }
                submit(v);
            }
            "ArrowUp" | "ArrowDown" if !ev.shift_key() => {
                // Only from the first (up) or last (down) line of a multi-line input.
                let up = ev.key() == "ArrowUp";
                if caret().is_some_and(|(first, last)| if up { !first } else { !last }) {
                    return;
                }
                let mut line = None;
                ctx.session.update_untracked(|s| {
                    let sh = s.shell_mut();
                    line = if up {
                        sh.history_prev()
                    } else {
                        sh.history_next()
                    }
                    .map(str::to_string);
                });
                if let Some(l) = line {
                    ev.prevent_default();
                    value.set(l);
                    candidates.set(Vec::new());
                }
            }
            "Tab" => {
                if ev.shift_key()
                    || ev.alt_key()
                    || ev.ctrl_key()
                    || ev.meta_key()
                    || escaped.get_untracked()
                    || value.with_untracked(|v| v.trim().is_empty())
                {
                    // Let Tab move the focus (keyboard users must be able to leave).
                    escaped.set(false);
                    return;
                }
                ev.prevent_default();
                complete();
            }
            "Escape" => {
                if candidates.with_untracked(Vec::is_empty)
                    && comp_note.with_untracked(Option::is_none)
                {
                    escaped.set(true);
                }
                candidates.set(Vec::new());
                comp_note.set(None);
            }
            "l" | "L" if ev.ctrl_key() => {
                ev.prevent_default();
                cleared.set(total.get_untracked());
                limit.set(PAGE);
            }
            _ => {}
        }
    };

    let help = move || {
        let v = value.get();
        if matches!(
            split_logical_lines(&v, 1),
            Err(ScriptError::Unterminated { .. })
        ) {
            return "A quote is open: Enter continues the command on a new line until it is closed."
                .to_string();
        }
        let line = ctx.session.with(|s| {
            let sh = s.shell();
            sh.help(&v).or_else(|| {
                // Inside `VAR=$(aws …`: help on the inner command.
                let inner = v.get(v.rfind("$(")? + 2..)?;
                sh.help(inner.trim_end_matches(')'))
            })
        });
        line.unwrap_or_else(|| {
            let alibaba = ctx.session.with(|s| s.cloud()) == crate::model::provider::Cloud::Alibaba;
            if v.trim().is_empty() && alibaba {
                "Type an aliyun command (aliyun ecs DescribeDisks, aliyun kms CreateKey …) or a playground command (play …). Enter runs it, Tab completes, ↑ ↓ recall history."
                    .to_string()
            } else if v.trim().is_empty() {
                "Type an AWS CLI command (aws …) or a playground command (play …). Enter runs it, Tab completes, ↑ ↓ recall history, a trailing \\ continues the line."
                    .to_string()
            } else if alibaba && !v.trim_start().starts_with("export") && !v.contains('=') {
                "Commands start with aliyun or play (echo and export work too). Try aliyun help or aliyun ecs CreateDisk --help."
                    .to_string()
            } else if v.trim_start().starts_with("export") || v.contains('=') {
                "NAME=value or NAME=$(aws … --query … --output text) sets a variable; use it as $NAME."
                    .to_string()
            } else {
                "Commands start with aws or play (echo and export work too). Try aws help or play help."
                    .to_string()
            }
        })
    };
    // The input grows with its content (wrapped or continued lines), up to eight lines.
    Effect::new(move |_| {
        value.track();
        request_animation_frame(move || {
            if let Some(el) = input_ref.get_untracked() {
                // CSS caps the height (max-height), then the input scrolls.
                let _ = el.set_attribute("style", "height:auto");
                let h = el.scroll_height() + 2;
                let _ = el.set_attribute("style", &format!("height:{h}px"));
            }
        });
    });

    view! {
        <section class="console" aria-label="Console" data-testid="console">
            <div class="console-bar">
                <h2>"Console"</h2>
                <span class="console-count">
                    {move || match total.get() {
                        0 => "no commands yet".to_string(),
                        1 => "1 command".to_string(),
                        n => format!("{n} commands"),
                    }}
                </span>
                <p class="play-hint" data-testid="play-hint">
                    <span class="play-label">"Playground:"</span>
                    {PLAY_HINTS
                        .iter()
                        .map(|(line, title)| {
                            view! {
                                <button
                                    class="chip play-chip"
                                    title=*title
                                    on:click=move |_| {
                                        value.set(format!("{line} "));
                                        candidates.set(Vec::new());
                                        focus_input();
                                    }
                                >
                                    {*line}
                                </button>
                            }
                        })
                        .collect_view()}
                </p>
                <button
                    class="console-clear"
                    title="Hide the transcript (Ctrl+L); the session keeps every line"
                    on:click=move |_| {
                        cleared.set(total.get_untracked());
                        limit.set(PAGE);
                        focus_input();
                    }
                >
                    "Clear"
                </button>
            </div>
            <div
                class="console-log"
                role="log"
                aria-label="Console output"
                data-testid="console-output"
                tabindex="0"
                node_ref=log_ref
            >
                {move || {
                    let n = hidden();
                    let cut = cleared.get().min(total.get());
                    let plural = |k: usize| if k == 1 { "" } else { "s" };
                    if n > 0 {
                        Some(
                            view! {
                                <p class="console-earlier">
                                    {format!("{n} earlier command{} not shown. ", plural(n))}
                                    <button on:click=move |_| limit.update(|l| *l += PAGE)>
                                        {format!("Show {} more", n.min(PAGE))}
                                    </button>
                                </p>
                            }
                                .into_any(),
                        )
                    } else if cut > 0 {
                        Some(
                            view! {
                                <p class="console-earlier">
                                    {format!("{cut} command{} cleared from view. ", plural(cut))}
                                    <button on:click=move |_| cleared.set(0)>"Show them"</button>
                                </p>
                            }
                                .into_any(),
                        )
                    } else {
                        None
                    }
                }}
                <Show when=move || total.get() == 0>
                    <div class="console-empty">
                        <p>
                            "No commands yet. Type one below, or start from an example (it fills the input):"
                        </p>
                        <p class="console-examples">
                            {commands::console_examples()
                                .into_iter()
                                .map(|(line, title)| {
                                    let shown = line.clone();
                                    view! {
                                        <button
                                            class="chip"
                                            title=title
                                            on:click=move |_| {
                                                value.set(line.clone());
                                                candidates.set(Vec::new());
                                                focus_input();
                                            }
                                        >
                                            {shown}
                                        </button>
                                    }
                                })
                                .collect_view()}
                        </p>
                        <p>
                            "What you do in the forms appears here too, as the AWS CLI command it runs."
                        </p>
                    </div>
                </Show>
                <For each=move || rows.get() key=|r| r.id let:row>
                    <TranscriptEntry row/>
                </For>
            </div>
            <div class="console-input">
                <label class="console-prompt" for="console-command" aria-hidden="true">
                    "$"
                </label>
                <textarea
                    id="console-command"
                    aria-label="Command"
                    aria-describedby="console-help console-keys"
                    data-testid="command"
                    rows="1"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    placeholder=move || {
                        if ctx.session.with(|s| s.cloud()) == crate::model::provider::Cloud::Alibaba {
                            "aliyun ecs DescribeDisks".to_string()
                        } else {
                            commands::console_placeholder()
                        }
                    }
                    node_ref=input_ref
                    prop:value=move || value.get()
                    on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        comp_note.set(None);
                        candidates.set(Vec::new());
                    }
                    on:keydown=on_keydown
                ></textarea>
                <button
                    class="primary"
                    data-testid="command-run"
                    on:click=move |_| {
                        let v = value.get_untracked();
                        submit(v);
                        focus_input();
                    }
                >
                    "Run"
                </button>
            </div>
            <Show when=move || !candidates.with(Vec::is_empty) || comp_note.with(Option::is_some)>
                <div class="console-completions" data-testid="completions">
                    {move || comp_note.get().map(|n| view! { <span class="muted">{n}</span> })}
                    <ul aria-label="Completions">
                        {move || {
                            let all = candidates.get();
                            let more = all.len().saturating_sub(MAX_CANDIDATES);
                            let items = all
                                .into_iter()
                                .take(MAX_CANDIDATES)
                                .map(|(word, line)| {
                                    view! {
                                        <li>
                                            <button
                                                class="chip"
                                                on:click=move |_| {
                                                    value.set(line.clone());
                                                    candidates.set(Vec::new());
                                                    focus_input();
                                                }
                                            >
                                                {word}
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view();
                            view! {
                                {items}
                                {(more > 0).then(|| view! { <li class="muted">{format!("… {more} more: type more letters")}</li> })}
                            }
                        }}
                    </ul>
                </div>
            </Show>
            <p class="console-help" id="console-help" data-testid="command-help">
                {help}
            </p>
            <p class="sr-only" id="console-keys">
                "Enter runs the command. Tab completes; press Escape, then Tab, to leave the input. Up and down arrows recall earlier commands."
            </p>
        </section>
    }
}

/// One line of the transcript: prompt, expanded command, output.
#[component]
fn TranscriptEntry(row: Row) -> impl IntoView {
    let Row {
        who,
        line,
        expanded,
        assigned,
        text,
        failed,
        mark,
        ..
    } = row;
    view! {
        <div class="entry" class:failed=failed>
            <div class="entry-prompt">
                <span class="entry-who">{who}</span>
                <span class="entry-dollar" aria-hidden="true">"$"</span>
                <code class="entry-line">{command_words(&line)}</code>
                {mark.map(|(class, label)| view! { <span class=format!("entry-mark {class}")>{label}</span> })}
            </div>
            {expanded.map(|x| {
                view! {
                    <div class="entry-expanded" title="The command after variable expansion">
                        <span aria-hidden="true">"+ "</span>
                        <code>{command_words(&x)}</code>
                    </div>
                }
            })}
            {assigned.map(|a| {
                view! {
                    <div class="entry-assigned" title="Variables set by this line">
                        <span aria-hidden="true">"→ "</span>
                        <span class="sr-only">"Set "</span>
                        <code>{a}</code>
                    </div>
                }
            })}
            {(!text.is_empty()).then(|| {
                view! {
                    <pre class="entry-out" class:error=failed>
                        {if failed { Some(view! { <span class="sr-only">"Error: "</span> }) } else { None }}
                        {text}
                    </pre>
                }
            })}
        </div>
    }
}
