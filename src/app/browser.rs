//! The app's contact with the browser: the saved session (localStorage), share links (the URL
//! fragment), file import and downloads, the clipboard, and the `?bench=N` hooks the budget
//! script reads. Everything read from outside is hostile: it goes through [`Script`]'s checked
//! parsers, and a bad input never replaces the current session.

use super::{Ctx, NoticeKind};
use crate::cli::script::MAX_SCRIPT_BYTES;
use crate::cli::Script;
use crate::diagram::{layout, to_mermaid, to_svg_with, LayoutOptions, SvgOptions, SvgTheme};
use crate::session::{Session, DEFAULT_SEED};
use crate::views::commands;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// localStorage key of the saved session (a script text).
pub const STORAGE_KEY: &str = "ebs-kms-playground.session";
/// localStorage key where the session replaced by an opened share link is kept.
pub const PREVIOUS_KEY: &str = "ebs-kms-playground.previous";

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// The page's query string (`?embed=…`), or "".
pub fn query() -> String {
    window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

fn hash() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

fn query_value(name: &str) -> Option<String> {
    query()
        .trim_start_matches('?')
        .split('&')
        .find_map(|p| p.strip_prefix(name)?.strip_prefix('=').map(str::to_string))
}

/// The question a link opens (`?q=ID` or `#question=ID`), if any.
pub fn linked_question() -> Option<String> {
    query_value("q").or_else(|| hash().strip_prefix("#question=").map(str::to_string))
}

/// The scenario a link opens (`?scenario=ID`), if any.
pub fn linked_scenario() -> Option<String> {
    query_value("scenario")
}

/// Whether this page must not write the saved session (embedded or benchmark pages).
fn ephemeral() -> bool {
    let q = query();
    q.contains("embed") || q.contains("bench=")
}

/// The session to start with, and a notice to show: a share link in the URL fragment wins,
/// then the saved session, then a fresh one. A bad link or a corrupt save is reported and
/// never overwrites what is saved.
pub fn initial_session() -> (Session, Option<(NoticeKind, String)>) {
    if let Some(n) = query_value("bench").and_then(|v| v.parse::<usize>().ok()) {
        return (commands::bench_session(n.min(50_000)), None);
    }
    let mut notice = None;
    let h = hash();
    if h.len() > 1 && !h.starts_with("#question=") {
        match Script::from_link_fragment(&h) {
            Ok(script) => {
                let s = Session::replay(&script);
                if !ephemeral() {
                    if let Some(st) = storage() {
                        if let Ok(Some(prev)) = st.get_item(STORAGE_KEY) {
                            let _ = st.set_item(PREVIOUS_KEY, &prev);
                        }
                    }
                    // The session now lives in storage: a reload must not replay the link again.
                    clear_hash();
                }
                let n = script.commands().len();
                return (
                    s,
                    Some((
                        NoticeKind::Info,
                        format!("Opened a shared session: {n} commands replayed."),
                    )),
                );
            }
            Err(e) => {
                if !ephemeral() {
                    clear_hash();
                }
                notice = Some((
                    NoticeKind::Error,
                    format!(
                        "This share link could not be opened: {e} Your saved session is unchanged."
                    ),
                ))
            }
        }
    }
    if let Some(text) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) {
        match Script::parse(&text) {
            Ok(script) => return (Session::replay(&script), notice),
            Err(e) => {
                notice = Some((
                    NoticeKind::Error,
                    format!("The saved session could not be read ({e}); starting a new one."),
                ))
            }
        }
    }
    (Session::new(DEFAULT_SEED), notice)
}

/// Before a `#script=` link replaces the session of a full page: keeps the saved session under
/// [`PREVIOUS_KEY`] and drops the fragment, so a reload does not replay the link again.
pub fn keep_previous_session() {
    if let Some(st) = storage() {
        if let Ok(Some(prev)) = st.get_item(STORAGE_KEY) {
            let _ = st.set_item(PREVIOUS_KEY, &prev);
        }
    }
    clear_hash();
}

fn clear_hash() {
    if let Some(w) = window() {
        let loc = w.location();
        let url = format!(
            "{}{}",
            loc.pathname().unwrap_or_default(),
            loc.search().unwrap_or_default()
        );
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}

/// Where the learner's progress (scenarios finished, prediction scores) is kept.
pub const PROGRESS_KEY: &str = "ebs-kms-playground.progress";

/// Saves the session's script whenever it changes (not on embedded or benchmark pages), and
/// the learner's progress.
pub fn persist(ctx: Ctx) {
    if ephemeral() {
        return;
    }
    Effect::new(move |_| ctx.progress.with(|p| save_item(PROGRESS_KEY, &p.to_json())));
    Effect::new(move |_| {
        let text = ctx.session.with(|s| s.script().to_text());
        if let Some(st) = storage() {
            if st.set_item(STORAGE_KEY, &text).is_err() {
                ctx.tell(
                    NoticeKind::Error,
                    "The browser refused to save the session (storage full or disabled).",
                );
            }
        }
    });
}

/// Asks the user to confirm; true when there is no way to ask.
pub fn confirm(text: &str) -> bool {
    window()
        .and_then(|w| w.confirm_with_message(text).ok())
        .unwrap_or(true)
}

/// The share link of the current session.
pub fn share_link(ctx: Ctx) -> String {
    let fragment = ctx.session.with(|s| s.script().to_link_fragment());
    let base = window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    format!("{base}#{fragment}")
}

/// Copies the share link to the clipboard and shows it.
pub fn copy_share_link(ctx: Ctx) {
    let link = share_link(ctx);
    if let Some(w) = window() {
        let _ = w.navigator().clipboard().write_text(&link);
    }
    ctx.tell(
        NoticeKind::Info,
        format!("Share link copied ({} characters): {link}", link.len()),
    );
}

/// Offers `text` as a file download.
pub fn download(name: &str, mime: &str, text: &str) {
    let Some(doc) = window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = doc
        .create_element("a")
        .map(|e| e.unchecked_into::<web_sys::HtmlAnchorElement>())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Downloads the session as a script file.
pub fn export_script(ctx: Ctx) {
    let text = ctx.session.with(|s| s.script().to_text());
    download("session.sh", "text/plain", &text);
}

/// Downloads the diagram as a standalone SVG: the same document as `ebs-kms run --trace svg`
/// (light, and dark where the viewer prefers it; colours are CSS variables).
pub fn export_svg(ctx: Ctx) {
    // What `diagram::export_svg` writes with its default options, without the services-only
    // filter the app never uses.
    let svg = ctx.session.with(|s| {
        let l = layout(s.calls(), &LayoutOptions::default());
        let opts = SvgOptions {
            theme: SvgTheme::Auto,
            title: None,
        };
        to_svg_with(&l, s.calls(), &opts)
    });
    download("trace.svg", "image/svg+xml", &svg);
}

/// Downloads the trace as Mermaid `sequenceDiagram` text.
pub fn export_mermaid(ctx: Ctx) {
    let text = ctx.session.with(|s| to_mermaid(s.calls()));
    download("trace.mmd", "text/plain", &text);
}

/// Downloads the trace as JSON.
pub fn export_json(ctx: Ctx) {
    let text = ctx
        .session
        .with(|s| serde_json::to_string_pretty(&s.sim().export_trace()).unwrap_or_default());
    download("trace.json", "application/json", &text);
}

/// Reads the chosen file as a script and replaces the session with it. A file that is too
/// large, not text, or not a script is refused with a clear notice; the session stays.
pub fn import_file(ctx: Ctx, input: NodeRef<leptos::html::Input>) {
    let Some(el) = input.get() else { return };
    let Some(file) = el.files().and_then(|f| f.get(0)) else {
        return;
    };
    el.set_value("");
    let name = file.name();
    if file.size() > MAX_SCRIPT_BYTES as f64 {
        ctx.tell(
            NoticeKind::Error,
            format!(
                "{name} was not imported: it is {} bytes, more than the {MAX_SCRIPT_BYTES}-byte limit. Your session is unchanged.",
                file.size()
            ),
        );
        return;
    }
    leptos::task::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|v| v.as_string());
        let Some(text) = text else {
            ctx.tell(
                NoticeKind::Error,
                format!("{name} could not be read as text. Your session is unchanged."),
            );
            return;
        };
        match Script::parse(&text) {
            Ok(script) => {
                ctx.load(&script);
                ctx.tell(
                    NoticeKind::Info,
                    format!(
                        "Imported {name}: {} commands replayed.",
                        script.commands().len()
                    ),
                );
            }
            Err(e) => ctx.tell(
                NoticeKind::Error,
                format!("{name} was not imported: {e} Your session is unchanged."),
            ),
        }
    });
}

/// On `?bench=N` pages: reports the first paint of the N-message trace in
/// `window.__benchResult` and offers `window.__benchAppend()` (see e2e/bench.mjs).
pub fn bench_hooks(ctx: Ctx) {
    if query_value("bench").is_none() {
        return;
    }
    let Some(w) = window() else { return };
    let global: JsValue = w.clone().into();
    let _ = js_sys::Reflect::set(&global, &"__benchStarted".into(), &JsValue::TRUE);
    let t0 = w.performance().map(|p| p.now()).unwrap_or(0.0);
    let messages = ctx
        .session
        .with_untracked(|s| layout(s.calls(), &LayoutOptions::default()).messages.len());
    let append = Closure::<dyn Fn()>::new(move || {
        ctx.run(&commands::describe_volumes(&[]));
    });
    let _ = js_sys::Reflect::set(&global, &"__benchAppend".into(), append.as_ref());
    append.forget();
    // Two animation frames after mounting: the first paint of the diagram has happened.
    let w2 = w.clone();
    let second = Closure::once_into_js(move || {
        let t1 = w2.performance().map(|p| p.now()).unwrap_or(0.0);
        let nodes = w2
            .document()
            .and_then(|d| d.query_selector_all("[data-testid=diagram] *").ok())
            .map(|l| l.length())
            .unwrap_or(0);
        let result = js_sys::Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = js_sys::Reflect::set(&result, &k.into(), &v);
        };
        set("messages", (messages as f64).into());
        set("paintMs", (t1 - t0).into());
        set("domNodes", (nodes as f64).into());
        let _ = js_sys::Reflect::set(&w2.clone().into(), &"__benchResult".into(), &result);
    });
    let w3 = w.clone();
    let first = Closure::once_into_js(move || {
        let _ = w3.request_animation_frame(second.unchecked_ref());
    });
    let _ = w.request_animation_frame(first.unchecked_ref());
}

/// A value kept in the browser's storage under `key`, if any.
pub fn load_item(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Keeps `value` under `key` (not on embedded or benchmark pages; a refusal is ignored: the
/// value is a convenience, like the learner's progress).
pub fn save_item(key: &str, value: &str) {
    if ephemeral() {
        return;
    }
    if let Some(st) = storage() {
        let _ = st.set_item(key, value);
    }
}
