//! The app's side of embedding in documentation (wasm only): the theme forced by `?theme=` or
//! a host message, the `height=auto` page that reports its height, the `postMessage` protocol
//! with the host page (`ready`, `resized`, `step` out; `play`, `pause`, `step`, `theme` in),
//! the session of a `#script=` fragment or a `scenario:ID` view, and the offline service
//! worker's registration. The rules (what a message means, what the URL asks) are pure Rust in
//! `crate::embed`, tested natively; this file only connects them to the browser.

use super::{Ctx, NoticeKind};
use crate::cli::Script;
use crate::diagram::{fold_waits, layout, LayoutOptions};
use crate::embed::plain::from_fragment;
use crate::embed::{
    host_message, EmbedOptions, HostFields, HostMessage, Playback, Theme, WidgetMessage, PROTOCOL,
    PROTOCOL_VERSION,
};
use crate::session::{Session, DEFAULT_SEED};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The embed options of this page's URL.
pub fn options() -> EmbedOptions {
    EmbedOptions::from_query(&super::browser::query())
}

/// Forces a theme on the page (`None`: follow the browser's preference).
pub fn apply_theme(theme: Option<Theme>) {
    let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match theme {
        Some(t) => root.set_attribute("data-theme", t.as_str()),
        None => root.remove_attribute("data-theme"),
    };
}

/// The session a `#script=` fragment or a `scenario:ID` view asks for, if either does: a bad
/// fragment or an unknown scenario gives an empty session and says why. Embedded pages never
/// touch the saved session; a full page keeps the one it replaces, as a share link does.
pub fn initial_session(
    opts: &EmbedOptions,
    embedded: bool,
) -> Option<(Session, Option<(NoticeKind, String)>)> {
    let hash = window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if let Some(parsed) = from_fragment(&hash) {
        return Some(match parsed {
            Ok(p) => {
                if !embedded {
                    super::browser::keep_previous_session();
                }
                (Session::replay(&p.script), None)
            }
            Err(e) => (
                Session::new(DEFAULT_SEED),
                Some((
                    NoticeKind::Error,
                    format!("The embedded script could not be read: {e}"),
                )),
            ),
        });
    }
    let id = opts.scenario.as_deref()?;
    Some(match crate::scenarios::by_id(id) {
        Some(s) => {
            let mut script = Script::new(DEFAULT_SEED);
            for step in &s.steps {
                script.push(&step.command);
            }
            (Session::replay(&script), None)
        }
        None => (
            Session::new(DEFAULT_SEED),
            Some((
                NoticeKind::Error,
                "There is no such guided scenario in this version of the playground.".to_string(),
            )),
        ),
    })
}

/// Posts a message to the host page (the parent window), if there is one.
fn post(msg: &WidgetMessage) {
    let Some(w) = window() else { return };
    let Ok(Some(parent)) = w.parent() else { return };
    if JsValue::from(parent.clone()) == JsValue::from(w) {
        return;
    }
    let value = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&value, &k.into(), &v);
    };
    let (kind, fields) = msg.fields();
    set("protocol", PROTOCOL.into());
    set("version", (PROTOCOL_VERSION as f64).into());
    set("type", kind.into());
    for (k, n) in fields {
        set(k, n.into());
    }
    // Heights and step numbers are no secret: any host page may read them.
    let _ = parent.post_message(&value, "*");
}

/// Messages in the laid-out trace as the diagram draws it (waits folded unless "show
/// polling" is on): what the diagram's position counts.
fn total(ctx: Ctx, tracked: bool) -> usize {
    let count = |s: &Session| {
        let raw = ctx.show_polling.get_untracked();
        let calls = if raw {
            std::borrow::Cow::Borrowed(s.calls())
        } else {
            fold_waits(s.calls(), s.entries())
        };
        layout(&calls, &LayoutOptions::default()).messages.len()
    };
    if tracked {
        ctx.show_polling.track();
        ctx.session.with(count)
    } else {
        ctx.session.with_untracked(count)
    }
}

/// Connects an embedded page to its host: theme, height, playback messages both ways.
pub fn connect(ctx: Ctx, opts: &EmbedOptions) {
    if let Some(step) = opts.step {
        if !ctx.playing.get_untracked() {
            ctx.playhead
                .set(Playback::at_step(step, total(ctx, false)).playhead);
        }
    }
    // One effect (each costs the page wasm): step changes to the host, and on its first run,
    // once the view is in the document, `ready` and the height observer.
    let fit = opts.fit;
    Effect::new(move |prev: Option<(usize, usize)>| {
        let t = total(ctx, true);
        let shown = Playback {
            playhead: ctx.playhead.get(),
            playing: false,
        }
        .shown(t);
        if prev != Some((shown, t)) {
            post(&WidgetMessage::Step {
                index: shown,
                total: t,
            });
        }
        if prev.is_none() {
            if fit {
                fit_to_content();
            }
            post(&WidgetMessage::Ready { total: t });
        }
        (shown, t)
    });
    listen(ctx);
}

/// Host messages: only from the parent window, only of this protocol; others are ignored.
fn listen(ctx: Ctx) {
    let Some(w) = window() else { return };
    let handler = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let Some(w) = window() else { return };
        let source = js_sys::Reflect::get(&ev, &"source".into()).unwrap_or(JsValue::NULL);
        let from_parent = w.parent().ok().flatten().map(JsValue::from) == Some(source);
        if !from_parent {
            return;
        }
        let data = js_sys::Reflect::get(&ev, &"data".into()).unwrap_or(JsValue::NULL);
        if !data.is_object() {
            return;
        }
        let get = |k: &str| js_sys::Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let text = |k: &str| get(k).as_string();
        let number = |k: &str| {
            let v = get(k);
            (!v.is_undefined()).then(|| v.as_f64().unwrap_or(f64::NAN))
        };
        let (protocol, kind, theme) = (text("protocol"), text("type"), text("theme"));
        let Ok(msg) = host_message(HostFields {
            protocol: protocol.as_deref(),
            version: number("version"),
            kind: kind.as_deref(),
            index: number("index"),
            theme: theme.as_deref(),
        }) else {
            return;
        };
        if let HostMessage::Theme(t) = msg {
            apply_theme(t);
            return;
        }
        let before = Playback {
            playhead: ctx.playhead.get_untracked(),
            playing: ctx.playing.get_untracked(),
        };
        let after = before.apply(&msg, total(ctx, false));
        if after.playhead != before.playhead {
            ctx.playhead.set(after.playhead);
        }
        if after.playing != before.playing {
            ctx.playing.set(after.playing);
        }
    });
    let _ = w.add_event_listener_with_callback("message", handler.as_ref().unchecked_ref());
    handler.forget();
}

/// `height=auto`: the page takes its content's height (class `fit` on `<html>`, see
/// main.css) and reports every change of it to the host.
fn fit_to_content() {
    let Some(doc) = window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(root) = doc.document_element() {
        let _ = root.class_list().add_1("fit");
    }
    let Some(body) = doc.body() else { return };
    let last = std::rc::Rc::new(std::cell::Cell::new(0u32));
    let report = move || {
        let Some(app) = window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(".app").ok().flatten())
        else {
            return;
        };
        let h = app.get_bounding_client_rect().height().ceil();
        let h = if h.is_finite() && h > 0.0 {
            h.min(1e6) as u32
        } else {
            0
        };
        if h > 0 && h != last.get() {
            last.set(h);
            post(&WidgetMessage::Resized { height: h });
        }
    };
    report();
    let cb = Closure::<dyn FnMut()>::new(report);
    if let Ok(obs) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
        // The body is as tall as the app in a `fit` page; the observer lives as long as it.
        obs.observe(&body);
        std::mem::forget(obs);
    }
    cb.forget();
}

/// Registers the offline service worker (`sw.js` next to the page) once the page has loaded.
/// Not on benchmark pages, and quietly not where the browser has no service workers (or no
/// `sw.js`, as in a build without the post-build hook): a refusal is not the page's error.
pub fn register_service_worker() {
    if super::browser::query().contains("bench=") {
        return;
    }
    // A few lines of JavaScript: a promise chain in Rust would cost the page far more wasm.
    // The timeout keeps the worker's downloads from competing with the page's own.
    let js = "if (window.isSecureContext && navigator.serviceWorker) setTimeout(function () {\
              navigator.serviceWorker.register('./sw.js').catch(function () {}); }, 1500);";
    let _ = js_sys::Function::new_no_args(js).call0(&JsValue::NULL);
}
