//! Browser smoke tests (wasm-bindgen-test in Chromium): prove the wasm test runner drives a real DOM and that a Leptos component mounts and reacts to a click.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

mod web_support;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn created_element_is_laid_out_by_the_browser() {
    let host = container("smoke-layout");
    host.set_inner_html(r#"<p class="probe" style="width: 123px; height: 45px">lifeline</p>"#);

    let probe = document()
        .query_selector("#smoke-layout .probe")
        .expect("the selector is valid")
        .expect("the paragraph was inserted");
    assert_eq!(probe.text_content().as_deref(), Some("lifeline"));

    // Layout only exists in a real rendering engine: a fake DOM would report 0x0.
    let rect = probe.get_bounding_client_rect();
    assert_eq!(rect.width(), 123.0);
    assert_eq!(rect.height(), 45.0);
    host.remove();
}

#[wasm_bindgen_test]
async fn leptos_component_updates_after_click() {
    let host = container("smoke-leptos");
    let handle = leptos::mount::mount_to(host.clone(), || {
        let (count, set_count) = signal(0u32);
        view! {
            <button id="smoke-counter" on:click=move |_| set_count.update(|n| *n += 1)>
                {move || format!("clicked {}", count.get())}
            </button>
        }
    });

    let button: web_sys::HtmlElement = document()
        .get_element_by_id("smoke-counter")
        .expect("the component rendered its button")
        .dyn_into()
        .expect("a button is an HtmlElement");
    assert_eq!(button.text_content().as_deref(), Some("clicked 0"));

    button.click();
    button.click();
    leptos::task::tick().await;
    assert_eq!(button.text_content().as_deref(), Some("clicked 2"));

    drop(handle);
    host.remove();
}
