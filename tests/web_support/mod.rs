//! Shared DOM helpers for the browser tests (`tests/web_*.rs`): a fresh container per test,
//! waiting for Leptos and the browser to settle, finding, reading and firing events on elements.
#![allow(dead_code)]

use ebs_kms_playground::app::{Ctx, Embed};
use ebs_kms_playground::session::Session;
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

/// The test page's document (a browser test always has a window and a document). Tests use
/// Leptos's `document()`; this one is private so the two do not clash in glob imports.
fn page_document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("browser tests run in a page with a document")
}

/// A fresh, attached container so tests do not see each other's nodes.
pub fn container(id: &str) -> web_sys::HtmlElement {
    let doc = page_document();
    let div = doc.create_element("div").expect("div is a valid tag name");
    div.set_id(id);
    doc.body()
        .expect("the test page has a body")
        .append_child(&div)
        .expect("a new div can be appended to body");
    div.dyn_into().expect("a div is an HtmlElement")
}

/// A view mounted in its own container, with the context it was given; removed on drop.
pub struct Mounted {
    pub ctx: Ctx,
    pub host: web_sys::HtmlElement,
    _handle: Box<dyn std::any::Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.host.remove();
    }
}

/// Mounts `view` in a fresh `<div id=…>` under a [`Ctx`] around `session`.
pub fn mount<V, F>(id: &str, session: Session, view: F) -> Mounted
where
    F: FnOnce() -> V + 'static,
    V: IntoView + 'static,
{
    let host = container(id);
    let slot = Rc::new(Cell::new(None));
    let out = slot.clone();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        let ctx = Ctx::new(session, Embed::default());
        provide_context(ctx);
        out.set(Some(ctx));
        view()
    });
    Mounted {
        ctx: slot.get().expect("the mount closure ran"),
        host,
        _handle: Box::new(handle),
    }
}

/// Waits `ms` milliseconds (a browser timer).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits for one animation frame.
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Lets effects, short timers and animation-frame callbacks run.
pub async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
        sleep(5).await;
    }
    for _ in 0..2 {
        next_frame().await;
        leptos::task::tick().await;
    }
}

/// Every element under `root` matching `selector`.
pub fn find_all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let list = root
        .query_selector_all(selector)
        .expect("test selectors are valid CSS");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// The first element under `root` matching `selector`, if any.
pub fn try_find(root: &web_sys::Element, selector: &str) -> Option<web_sys::Element> {
    root.query_selector(selector)
        .expect("test selectors are valid CSS")
}

/// The first element under `root` matching `selector`.
pub fn find(root: &web_sys::Element, selector: &str) -> web_sys::Element {
    try_find(root, selector).unwrap_or_else(|| panic!("no element matches {selector}"))
}

/// An element's text, trimmed.
pub fn text(el: &web_sys::Element) -> String {
    el.text_content().unwrap_or_default().trim().to_string()
}

/// Dispatches a bubbling event built with `constructor` (`MouseEvent`, `KeyboardEvent`, …)
/// and the extra `init` fields.
pub fn fire(target: &web_sys::Element, constructor: &str, kind: &str, init: &[(&str, JsValue)]) {
    let window: JsValue = web_sys::window().expect("window").into();
    let ctor: js_sys::Function = js_sys::Reflect::get(&window, &constructor.into())
        .expect("the constructor exists")
        .dyn_into()
        .expect("a constructor is a function");
    let dict = js_sys::Object::new();
    js_sys::Reflect::set(&dict, &"bubbles".into(), &JsValue::TRUE).expect("set bubbles");
    js_sys::Reflect::set(&dict, &"cancelable".into(), &JsValue::TRUE).expect("set cancelable");
    for (k, v) in init {
        js_sys::Reflect::set(&dict, &(*k).into(), v).expect("set an init field");
    }
    let args = js_sys::Array::of2(&kind.into(), &dict);
    let ev: web_sys::Event = js_sys::Reflect::construct(&ctor, &args)
        .expect("the event can be built")
        .unchecked_into();
    target
        .dispatch_event(&ev)
        .expect("the event can be dispatched");
}

/// Clicks an element: `HTMLElement.click()` for HTML, a bubbling click event for SVG.
pub fn click(el: &web_sys::Element) {
    match el.dyn_ref::<web_sys::HtmlElement>() {
        Some(h) => h.click(),
        None => fire(el, "MouseEvent", "click", &[]),
    }
}

/// Presses a key (a `keydown` event) on an element.
pub fn key(el: &web_sys::Element, key: &str) {
    fire(el, "KeyboardEvent", "keydown", &[("key", key.into())]);
}

/// Sets the value of an input, text area or select as typing would: `input` and `change` fire.
pub fn set_value(el: &web_sys::Element, value: &str) {
    if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.set_value(value);
    } else if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(value);
    } else if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.set_value(value);
        assert_eq!(s.value(), value, "the select offers {value}");
    } else {
        panic!("{} has no value", el.tag_name());
    }
    fire(el, "Event", "input", &[]);
    fire(el, "Event", "change", &[]);
}

/// The value of an input, text area or select.
pub fn value_of(el: &web_sys::Element) -> String {
    if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.value()
    } else if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.value()
    } else if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.value()
    } else {
        panic!("{} has no value", el.tag_name())
    }
}
