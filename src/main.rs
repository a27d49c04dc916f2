//! Placeholder entry point of the `playground` web app: mounts a heading and a counter button so the Trunk/wasm/browser pipeline can be proven end to end; the real app replaces it.

#[cfg(target_arch = "wasm32")]
fn main() {
    use leptos::prelude::*;

    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| {
        let (count, set_count) = signal(0u32);
        view! {
            <main>
                <h1>"EBS & KMS encryption playground"</h1>
                <button data-testid="counter" on:click=move |_| set_count.update(|n| *n += 1)>
                    "Clicked " {count} " times"
                </button>
            </main>
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The playground is a web app: build it with `trunk build --release` or run scripts/serve.sh.");
}
