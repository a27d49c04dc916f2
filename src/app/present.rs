//! The presenter view: a projector layout of the diagram (large type, the current call
//! highlighted and the rest dimmed, the participant row sticky) with the narration of the
//! scenario step below it. `p` (or the Present button) turns it on; Space / → advance (the next
//! message, then the next scenario step), ← goes back, Escape leaves. Works in embeds too.

use super::Ctx;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// True when the key went to a field that takes typing.
fn typing(e: &web_sys::KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.closest("[contenteditable]").ok().flatten().is_some()
        })
}

/// How much the presenter view enlarges a drawing `width` px wide: to the window's width
/// (less a margin), at least 1.3× and at most 2.6× (so a few rows stay on screen).
pub fn zoom(width: f64) -> String {
    let room = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(1280.0)
        - 48.0;
    let z = if width > 0.0 { room / width } else { 1.5 };
    // Two decimals by integer arithmetic (a precision format would bring float formatting into
    // the wasm).
    let hundredths = (z.clamp(1.3, 2.6) * 100.0).round() as u32;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// The page-wide keys of the presenter view; `step(+1 | -1)` moves through the diagram.
pub fn listen(ctx: Ctx, step: impl Fn(isize) + 'static) {
    let handle = window_event_listener(ev::keydown, move |e| {
        if e.alt_key() || e.ctrl_key() || e.meta_key() || typing(&e) {
            return;
        }
        let on = ctx.present.get_untracked();
        match e.key().as_str() {
            "p" | "P" if !on => ctx.present.set(true),
            " " | "ArrowRight" | "PageDown" if on => step(1),
            "ArrowLeft" | "PageUp" if on => step(-1),
            "Escape" if on => ctx.present.set(false),
            _ => return,
        }
        e.prevent_default();
    });
    on_cleanup(move || handle.remove());
}

/// The button that turns the presenter view on or off.
#[component]
pub fn PresentButton() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <button
            class="dg-btn dg-present"
            data-testid="present"
            title="Presenter view (p); Escape leaves"
            aria-pressed=move || ctx.present.get().to_string()
            on:click=move |_| ctx.present.update(|p| *p = !*p)
        >
            {move || if ctx.present.get() { "Leave" } else { "Present" }}
        </button>
    }
}

/// The narration under the presenter's diagram, and how to move on.
#[component]
pub fn PresentBar() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        ctx.present.get().then(|| {
            view! {
                <div class="present-bar" data-testid="present-bar" aria-live="polite">
                    <p class="present-narration">
                        {move || {
                            ctx.step_text
                                .get()
                                .unwrap_or_else(|| "Open a scenario, then press Space or → to run its steps.".into())
                        }}
                    </p>
                    <p class="present-keys">"Space / → next · ← back · Esc leaves"</p>
                </div>
            }
        })
    }
}
