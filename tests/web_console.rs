//! Browser tests (wasm-bindgen-test in Chromium) of the console and the operation forms: typed
//! commands print what the AWS CLI prints, bad input gets a clear message and the page keeps
//! working, history, completion and variables work, and a form runs the CLI command it shows.
#![cfg(target_arch = "wasm32")]

use ebs_kms_playground::app::console::Console;
use ebs_kms_playground::app::forms::ActionForms;
use ebs_kms_playground::app::{Ctx, Embed};
use ebs_kms_playground::session::Session;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

mod web_support;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh context (signals live outside the mounted view, so the test can read them).
fn new_ctx() -> Ctx {
    Ctx::new(Session::new(1), Embed::default())
}

fn mount_console(host: &web_sys::HtmlElement, ctx: Ctx) -> impl Drop {
    leptos::mount::mount_to(host.clone(), move || {
        provide_context(ctx);
        view! { <Console/> }
    })
}

fn mount_forms(host: &web_sys::HtmlElement, ctx: Ctx) -> impl Drop {
    leptos::mount::mount_to(host.clone(), move || {
        provide_context(ctx);
        view! { <ActionForms/> }
    })
}

fn text_of(host: &web_sys::HtmlElement, selector: &str) -> String {
    find(host, selector).text_content().unwrap_or_default()
}

/// Types a line into the console and presses Enter.
async fn type_and_enter(host: &web_sys::HtmlElement, line: &str) {
    let input = find(host, "[data-testid=command]");
    set_value(&input, line);
    key(&input, "Enter");
    settle().await;
}

fn last_entry_text(host: &web_sys::HtmlElement) -> String {
    let all = host
        .query_selector_all("[data-testid=console-output] .entry")
        .expect("the selector is valid");
    all.item(all.length().saturating_sub(1))
        .and_then(|n| n.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn typed_command_prints_aws_cli_json() {
    let host = container("console-json");
    let ctx = new_ctx();
    let handle = mount_console(&host, ctx);
    settle().await;

    let log = find(&host, "[data-testid=console-output]");
    assert_eq!(log.get_attribute("role").as_deref(), Some("log"));
    let input = find(&host, "[data-testid=command]");
    assert_eq!(
        input.get_attribute("aria-label").as_deref(),
        Some("Command")
    );

    type_and_enter(&host, "aws kms create-key --description demo").await;
    let out = last_entry_text(&host);
    assert!(
        out.contains("aws kms create-key --description demo"),
        "{out}"
    );
    assert!(out.contains("\"KeyMetadata\": {"), "{out}");
    assert!(out.contains("\"Description\": \"demo\""), "{out}");
    assert!(out.contains("default · us-east-1"), "{out}");
    assert_eq!(value_of(&input), "", "the input is cleared after Enter");
    assert_eq!(ctx.session.with_untracked(|s| s.entries().len()), 1);

    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn bad_commands_get_clear_errors_and_the_page_keeps_working() {
    let host = container("console-errors");
    let ctx = new_ctx();
    let handle = mount_console(&host, ctx);
    settle().await;

    type_and_enter(&host, "aws ec2 frobnicate-volume").await;
    let out = last_entry_text(&host);
    assert!(out.contains("Invalid choice"), "{out}");
    let failed = host
        .query_selector_all("[data-testid=console-output] .entry.failed")
        .expect("valid selector");
    assert_eq!(failed.length(), 1);

    type_and_enter(&host, "ls -la").await;
    assert!(last_entry_text(&host).contains("command not found"));

    type_and_enter(
        &host,
        "aws ec2 create-volume --size lots --availability-zone us-east-1a",
    )
    .await;
    assert!(last_entry_text(&host).contains("expected an integer"));

    type_and_enter(&host, "aws ec2 create-volume --availability-zone us-east-1a --size 8 --kms-key-id alias/aws/ebs # expect-error InvalidParameterDependency").await;
    let out = last_entry_text(&host);
    assert!(out.contains("InvalidParameterDependency"), "{out}");
    assert!(out.contains("expected failure"), "{out}");

    // Still working.
    type_and_enter(&host, "aws kms list-keys").await;
    assert!(last_entry_text(&host).contains("\"Keys\""));
    assert_eq!(ctx.session.with_untracked(|s| s.entries().len()), 5);

    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn history_completion_help_and_variables() {
    let host = container("console-history");
    let ctx = new_ctx();
    let handle = mount_console(&host, ctx);
    settle().await;
    let input = find(&host, "[data-testid=command]");

    type_and_enter(&host, "aws kms list-keys").await;
    type_and_enter(&host, "aws ec2 describe-volumes").await;
    key(&input, "ArrowUp");
    settle().await;
    assert_eq!(value_of(&input), "aws ec2 describe-volumes");
    key(&input, "ArrowUp");
    settle().await;
    assert_eq!(value_of(&input), "aws kms list-keys");
    key(&input, "ArrowDown");
    settle().await;
    assert_eq!(value_of(&input), "aws ec2 describe-volumes");
    key(&input, "ArrowDown");
    settle().await;
    assert_eq!(value_of(&input), "");

    // Tab completes a unique command, and lists candidates when there are several.
    set_value(&input, "aws ec2 create-vol");
    key(&input, "Tab");
    settle().await;
    assert_eq!(value_of(&input), "aws ec2 create-volume ");
    set_value(&input, "aws kms enable-");
    key(&input, "Tab");
    settle().await;
    let cands = text_of(&host, "[data-testid=completions]");
    assert!(cands.contains("enable-key-rotation"), "{cands}");

    // The live help line describes the option being typed.
    set_value(&input, "aws ec2 create-volume --kms-key-id");
    settle().await;
    let help = text_of(&host, "[data-testid=command-help]");
    assert!(help.contains("--kms-key-id"), "{help}");
    set_value(&input, "VOL=$(aws ec2 create-volume --encrypted");
    settle().await;
    let help = text_of(&host, "[data-testid=command-help]");
    assert!(help.contains("--encrypted"), "{help}");

    // A variable set from a command's output, then used.
    type_and_enter(&host, "VOL=$(aws ec2 create-volume --size 8 --availability-zone us-east-1a --query VolumeId --output text)").await;
    let vol = ctx
        .session
        .with_untracked(|s| s.shell().var("VOL").map(str::to_string))
        .expect("VOL is set");
    assert!(vol.starts_with("vol-"), "{vol}");
    let out = last_entry_text(&host);
    assert!(out.contains(&format!("VOL={vol}")), "{out}");
    type_and_enter(&host, "aws ec2 describe-volumes --volume-ids $VOL").await;
    let out = last_entry_text(&host);
    assert!(out.contains(&format!("\"VolumeId\": \"{vol}\"")), "{out}");
    assert!(
        out.contains(&format!("+ aws ec2 describe-volumes --volume-ids {vol}")),
        "{out}"
    );

    // A line continued with a backslash runs as one command.
    set_value(&input, "aws kms create-key \\");
    key(&input, "Enter");
    settle().await;
    assert_eq!(value_of(&input), "aws kms create-key \\\n");
    set_value(&input, "aws kms create-key \\\n  --description continued");
    key(&input, "Enter");
    settle().await;
    assert!(last_entry_text(&host).contains("\"Description\": \"continued\""));

    // A form's "Edit in console" fills the input.
    ctx.console_draft
        .set(Some("aws ec2 describe-snapshots".to_string()));
    settle().await;
    assert_eq!(value_of(&input), "aws ec2 describe-snapshots");
    assert!(ctx.console_draft.get_untracked().is_none());

    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn long_sessions_render_only_the_last_entries() {
    let host = container("console-long");
    let ctx = new_ctx();
    for i in 0..(ebs_kms_playground::app::console::PAGE + 5) {
        ctx.run(&format!("echo line {i}"));
    }
    let handle = mount_console(&host, ctx);
    settle().await;
    let rendered = host
        .query_selector_all("[data-testid=console-output] .entry")
        .expect("valid selector")
        .length() as usize;
    assert_eq!(rendered, ebs_kms_playground::app::console::PAGE);
    let log = text_of(&host, "[data-testid=console-output]");
    assert!(log.contains("5 earlier commands not shown"), "{log}");
    let last = format!("line {}", ebs_kms_playground::app::console::PAGE + 4);
    assert!(log.contains(&last), "{log}");

    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn form_runs_create_volume_with_encrypted() {
    let host = container("forms-create-volume");
    let ctx = new_ctx();
    let handle = mount_forms(&host, ctx);
    settle().await;

    click(&find(&host, "[data-testid=op-CreateVolume]"));
    settle().await;
    // Labels are the AWS member names.
    let form = text_of(&host, "[data-testid=op-form]");
    for name in [
        "AvailabilityZone",
        "Size",
        "Encrypted",
        "KmsKeyId",
        "VolumeType",
    ] {
        assert!(form.contains(name), "{name} in {form}");
    }
    click(&find(&host, "[data-testid=field-Encrypted]"));
    settle().await;
    let preview = text_of(&host, "[data-testid=form-preview]");
    assert_eq!(
        preview,
        "aws ec2 create-volume --availability-zone us-east-1a --size 8 --encrypted"
    );
    assert!(text_of(&host, "[data-testid=form-validation]").contains("accepts"));

    click(&find(&host, "[data-testid=form-run]"));
    settle().await;
    let last = ctx
        .session
        .with_untracked(|s| s.entries().last().map(|e| e.result.command.clone()))
        .expect("the form ran a command");
    assert!(last.starts_with("aws ec2 create-volume"), "{last}");
    assert!(last.contains("--encrypted"), "{last}");
    let result = text_of(&host, "[data-testid=form-result]");
    assert!(result.contains("CreateVolume succeeded"), "{result}");
    assert!(result.contains("\"Encrypted\": true"), "{result}");

    // The new volume is offered to the next form.
    click(&find(&host, "[data-testid=op-CreateSnapshot]"));
    settle().await;
    let vol_field = find(&host, "[data-testid=field-VolumeId]");
    assert!(value_of(&vol_field).starts_with("vol-"));

    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn form_shows_validation_and_aws_errors() {
    let host = container("forms-errors");
    let ctx = new_ctx();
    let handle = mount_forms(&host, ctx);
    settle().await;

    // KmsKeyId without Encrypted: the CLI accepts it, AWS refuses it.
    click(&find(&host, "[data-testid=op-CreateVolume]"));
    settle().await;
    set_value(
        &find(&host, "[data-testid=field-KmsKeyId]"),
        "alias/aws/ebs",
    );
    settle().await;
    assert!(text_of(&host, "[data-testid=form-preview]").contains("--kms-key-id alias/aws/ebs"));
    click(&find(&host, "[data-testid=form-run]"));
    settle().await;
    let result = text_of(&host, "[data-testid=form-result]");
    assert!(result.contains("InvalidParameterDependency"), "{result}");
    assert!(result.contains("An error occurred"), "{result}");

    // A required parameter left empty: the parser's message under the field.
    click(&find(&host, "[data-testid=op-AttachVolume]"));
    settle().await;
    set_value(&find(&host, "[data-testid=field-VolumeId]"), "");
    settle().await;
    let err = text_of(&host, "[data-testid=field-VolumeId-error]");
    assert!(
        err.contains("the following arguments are required") && err.contains("--volume-id"),
        "{err}"
    );
    // A bad integer: the parser's message names the option.
    click(&find(&host, "[data-testid=op-ScheduleKeyDeletion]"));
    settle().await;
    set_value(&find(&host, "[data-testid=field-KeyId]"), "alias/aws/ebs");
    set_value(&find(&host, "[data-testid=field-PendingWindowInDays]"), "");
    settle().await;
    assert!(text_of(&host, "[data-testid=form-validation]").contains("accepts"));

    // Quick action presets, and Edit in console hands the line over.
    click(&find(&host, "[data-testid=quick-create-volume]"));
    settle().await;
    let enc = find(&host, "[data-testid=field-Encrypted]");
    assert!(enc
        .dyn_ref::<web_sys::HtmlInputElement>()
        .is_some_and(|i| i.checked()));
    click(&find(&host, "[data-testid=form-edit]"));
    settle().await;
    assert_eq!(
        ctx.console_draft.get_untracked().as_deref(),
        Some("aws ec2 create-volume --availability-zone us-east-1a --size 8 --encrypted")
    );

    // Search narrows the list.
    set_value(&find(&host, "[data-testid=op-search]"), "grant");
    settle().await;
    assert!(try_find(&host, "[data-testid=op-CreateGrant]").is_some());
    assert!(try_find(&host, "[data-testid=op-CreateVolume]").is_none());

    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn form_defaults_to_the_newest_resource() {
    let host = container("forms-newest");
    let ctx = new_ctx();
    let mut last = String::new();
    for _ in 0..3 {
        let e = ctx
            .run("aws ec2 create-volume --size 8 --availability-zone us-east-1a")
            .expect("the line runs");
        last = e
            .result
            .output
            .as_ref()
            .and_then(|o| o.get("VolumeId"))
            .and_then(|v| v.as_str())
            .expect("create-volume answers a VolumeId")
            .to_string();
    }
    let handle = mount_forms(&host, ctx);
    settle().await;
    click(&find(&host, "[data-testid=quick-create-snapshot]"));
    settle().await;
    assert_eq!(value_of(&find(&host, "[data-testid=field-VolumeId]")), last);
    // Existing volumes are offered in a datalist.
    let options = host
        .query_selector_all("datalist option")
        .expect("valid selector")
        .length();
    assert!(options >= 3, "{options} suggestions");

    drop(handle);
    host.remove();
}
