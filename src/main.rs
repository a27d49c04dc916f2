//! Entry point of the `playground` web app: mounts [`ebs_kms_playground::app::App`] on the page.

#[cfg(target_arch = "wasm32")]
fn main() {
    ebs_kms_playground::app::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The playground is a web app: build it with `trunk build --release` or run scripts/serve.sh.");
}
