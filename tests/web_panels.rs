//! Browser tests (wasm-bindgen-test in Chromium) of the side panels: the Resources tab (data-key
//! location, the sector view, key and encryption-by-default buttons), the policy editor
//! (validation as you type, templates, Apply), a guided scenario run to the end with Next, and
//! the outcomes table highlighting the row the last CreateVolume matched.
#![cfg(target_arch = "wasm32")]

use ebs_kms_playground::app::policy::PolicyEditor;
use ebs_kms_playground::app::resources::ResourcesPanel;
use ebs_kms_playground::app::scenarios::{OutcomesTable, ScenariosPanel};
use ebs_kms_playground::app::NoticeKind;
use ebs_kms_playground::session::Session;
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

mod web_support;
use web_support::find as find_in;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

// ---------------------------------------------------------------------------------------------
// Mounting and DOM helpers
// ---------------------------------------------------------------------------------------------

/// A session that has run `lines`, each of which must succeed.
fn session_after(lines: &[&str]) -> Session {
    let mut s = Session::new(1);
    for line in lines {
        let e = s.run(line).expect("a command line makes an entry");
        assert!(e.result.error.is_none(), "{line}: {}", e.result.text);
    }
    s
}

/// A shell variable the session set.
fn var(m: &Mounted, name: &str) -> String {
    m.ctx
        .session
        .with_untracked(|s| s.shell().var(name).map(str::to_string))
        .unwrap_or_else(|| panic!("${name} is set"))
}

fn find(m: &Mounted, selector: &str) -> web_sys::Element {
    find_in(&m.host, selector)
}

fn exists(m: &Mounted, selector: &str) -> bool {
    m.host
        .query_selector(selector)
        .expect("the selector is valid")
        .is_some()
}

fn text_of(m: &Mounted, selector: &str) -> String {
    text(&find(m, selector))
}

/// Clicks the element `selector` matches, and waits.
async fn click_on(m: &Mounted, selector: &str) {
    click(&find(m, selector));
    settle().await;
}

/// The button inside `scope` whose text is `label`.
fn button_in(scope: &web_sys::Element, label: &str) -> web_sys::Element {
    let buttons = find_all(scope, "button");
    let names: Vec<String> = buttons.iter().map(text).collect();
    buttons
        .into_iter()
        .find(|b| text(b) == label)
        .unwrap_or_else(|| panic!("no button {label:?} among {names:?}"))
}

/// Clicks the button labelled `label` inside the element `scope` matches, and waits.
async fn press(m: &Mounted, scope: &str, label: &str) {
    click(&button_in(&find(m, scope), label));
    settle().await;
}

fn disabled(el: &web_sys::Element) -> bool {
    el.has_attribute("disabled")
}

/// Sets the value of an input, textarea or select as a user would, then waits.
async fn set_value(el: &web_sys::Element, value: &str) {
    web_support::set_value(el, value);
    settle().await;
}

/// How many entries the session has, and the command and error code of the last one.
fn last_entry(m: &Mounted) -> (usize, String, Option<String>) {
    m.ctx.session.with_untracked(|s| {
        let e = s.entries().last().expect("the session ran something");
        (
            s.entries().len(),
            e.result.command.clone(),
            e.result.error.as_ref().map(|err| err.code.clone()),
        )
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

/// A customer managed key with an alias, an encrypted volume under it attached to a running
/// instance at /dev/sdf, and `SECRET` written to sector 0 through the instance.
const SECRET: &str = "top secret payroll";
const ATTACHED_VOLUME: &[&str] = &[
    "KEY=$(aws kms create-key --description 'data' --query KeyMetadata.KeyId --output text)",
    "aws kms create-alias --alias-name alias/data --target-key-id $KEY",
    "AMI=$(aws ec2 describe-images --owners amazon --query 'Images[0].ImageId' --output text)",
    "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $KEY --query VolumeId --output text)",
    "aws ec2 wait volume-available --volume-ids $VOL",
    "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --placement AvailabilityZone=us-east-1a --query 'Instances[0].InstanceId' --output text)",
    "aws ec2 wait instance-running --instance-ids $INST",
    "aws ec2 attach-volume --volume-id $VOL --instance-id $INST --device /dev/sdf",
    "play write --instance-id $INST --device /dev/sdf --text 'top secret payroll'",
];

/// The sector view's row for `sector`: (on-disk hex, what the instance reads).
fn sector_row(m: &Mounted, sector: u64) -> (String, String) {
    let rows = find_all(&find(m, "[data-testid=sector-view]"), "tbody tr");
    let row = rows
        .iter()
        .find(|r| text(&find_in(r, "td")) == sector.to_string())
        .unwrap_or_else(|| panic!("no row for sector {sector}"));
    let cells = find_all(row, "td");
    assert_eq!(cells.len(), 3);
    (text(&cells[1]), text(&cells[2]))
}

#[wasm_bindgen_test]
async fn resources_show_where_the_data_key_is_and_what_the_sectors_hold() {
    let m = mount("panels-sectors", session_after(ATTACHED_VOLUME), || {
        view! { <ResourcesPanel/> }
    });
    settle().await;
    let (vol, inst) = (var(&m, "VOL"), var(&m, "INST"));
    let row = format!("li[data-volume=\"{vol}\"]");
    let keyloc = format!("{row} .keyloc");

    // Attached: the host holds the data key in plaintext.
    let line = text_of(&m, &keyloc);
    assert!(line.contains("plaintext in host memory"), "{line}");
    assert!(!line.contains("only encrypted"), "{line}");
    assert!(find(&m, &keyloc).class_list().contains("hot"));
    let sub = text_of(&m, &format!("{row} .row-sub"));
    assert!(
        sub.contains(&format!("attached to {inst} as /dev/sdf")),
        "{sub}"
    );
    assert!(text_of(&m, &row).contains("encrypted · alias/data"));

    // The sector view opens for that volume.
    assert!(!exists(&m, "[data-testid=sector-view]"));
    press(&m, &row, "Sectors").await;
    assert!(text_of(&m, "#h-sectors").contains(&vol));

    // Write a second sector through the instance with the form.
    let form_text = "second sector";
    set_value(&find(&m, "input[aria-label=\"Text to write\"]"), form_text).await;
    set_value(&find(&m, "input[aria-label=Sector]"), "3").await;
    let before = last_entry(&m).0;
    press(
        &m,
        "[data-testid=sector-view]",
        &format!("Write through {inst} (/dev/sdf)"),
    )
    .await;
    let (count, command, error) = last_entry(&m);
    assert_eq!(count, before + 1);
    assert_eq!(
        command,
        format!(
            "play write --instance-id {inst} --device /dev/sdf --sector 3 --text 'second sector'"
        )
    );
    assert_eq!(error, None);

    // On disk: ciphertext; the instance reads the text.
    let written = [(0, SECRET), (3, form_text)];
    assert_eq!(
        find_all(&find(&m, "[data-testid=sector-view]"), "tbody tr").len(),
        written.len()
    );
    let mut disk = Vec::new();
    for (sector, plain) in written {
        let (on_disk, reads) = sector_row(&m, sector);
        assert_eq!(reads, plain, "sector {sector}");
        assert!(
            on_disk.len() >= 48 && on_disk.chars().all(|c| c.is_ascii_hexdigit() || c == '…'),
            "{on_disk}"
        );
        let plain_hex = hex(plain.as_bytes());
        assert!(
            !on_disk.starts_with(&plain_hex[..16]),
            "sector {sector} is stored in the clear: {on_disk}"
        );
        assert!(!on_disk.contains(plain), "{on_disk}");
        disk.push(on_disk);
    }
    assert_ne!(disk[0], disk[1]);

    // Detach: the host discards the data key; the sectors are unreadable.
    press(&m, &row, "Detach").await;
    let (_, command, error) = last_entry(&m);
    assert_eq!(command, format!("aws ec2 detach-volume --volume-id {vol}"));
    assert_eq!(error, None);
    let line = text_of(&m, &keyloc);
    assert!(line.contains("only encrypted"), "{line}");
    assert!(!line.contains("plaintext in host memory"), "{line}");
    assert!(!find(&m, &keyloc).class_list().contains("hot"));
    assert!(!text_of(&m, &format!("{row} .row-sub")).contains("attached to"));
    for (i, (sector, _)) in written.into_iter().enumerate() {
        let (on_disk, reads) = sector_row(&m, sector);
        assert_eq!(reads, "unreadable: no data key in host memory");
        assert_eq!(on_disk, disk[i], "detaching does not change the disk");
    }
    assert!(find_all(&find(&m, "[data-testid=sector-view]"), "code.plain").is_empty());
    let hint = text_of(&m, "[data-testid=sector-view]");
    assert!(hint.contains("Attach the volume to a running instance"));
    assert!(!exists(&m, "input[aria-label=\"Text to write\"]"));
}

#[wasm_bindgen_test]
async fn key_buttons_run_kms_commands_and_update_the_badge() {
    let m = mount("panels-keys", Session::new(1), || {
        view! { <ResourcesPanel/> }
    });
    settle().await;
    assert!(find_all(&m.host, "li[data-key]").is_empty());

    // Create a key with an alias from the card.
    set_value(
        &find(&m, "input[aria-label=\"Alias for a new key\"]"),
        "payroll",
    )
    .await;
    press(&m, "section[aria-labelledby=h-keys]", "Create key").await;
    let (count, command, error) = last_entry(&m);
    assert_eq!(count, 2, "create-key, then create-alias");
    assert!(
        command.starts_with("aws kms create-alias --alias-name alias/payroll --target-key-id "),
        "{command}"
    );
    assert_eq!(error, None);
    let rows = find_all(&m.host, "li[data-key]");
    assert_eq!(rows.len(), 1);
    let id = rows[0].get_attribute("data-key").expect("a key id");
    assert!(command.ends_with(&id), "{command}");
    let row = format!("li[data-key=\"{id}\"]");
    assert_eq!(text_of(&m, &format!("{row} strong")), "alias/payroll");

    // "Make default" makes it the account's default EBS key.
    let default_key = "section[aria-labelledby=h-defaults] code";
    assert_eq!(text_of(&m, default_key), "alias/aws/ebs (AWS managed)");
    press(&m, &row, "Make default").await;
    let (_, command, error) = last_entry(&m);
    assert_eq!(
        command,
        format!("aws ec2 modify-ebs-default-kms-key-id --kms-key-id {id}")
    );
    assert_eq!(error, None);
    assert_eq!(text_of(&m, default_key), "alias/payroll");

    // Each button runs its command; the row then shows the new state and the next action.
    let table: &[(&str, &str, &str, &[&str])] = &[
        (
            "Disable",
            "disable-key",
            "Disabled",
            &["Enable", "Schedule deletion"],
        ),
        (
            "Enable",
            "enable-key",
            "Enabled",
            &["Disable", "Schedule deletion"],
        ),
        (
            "Schedule deletion",
            "schedule-key-deletion",
            "PendingDeletion",
            &["Cancel deletion"],
        ),
        (
            "Cancel deletion",
            "cancel-key-deletion",
            "Disabled",
            &["Enable"],
        ),
    ];
    for &(label, op, state, next) in table {
        let before = last_entry(&m).0;
        press(&m, &row, label).await;
        let (count, command, error) = last_entry(&m);
        assert_eq!(count, before + 1, "{label} runs one command");
        assert!(
            command.starts_with(&format!("aws kms {op} --key-id {id}")),
            "{label}: {command}"
        );
        assert_eq!(error, None, "{label}");
        let badge = find(&m, &format!("{row} .badge"));
        assert_eq!(text(&badge), state, "after {label}");
        assert_eq!(badge.class_list().contains("ok"), state == "Enabled");
        assert_eq!(badge.class_list().contains("bad"), state != "Enabled");
        let actions = find(&m, &format!("{row} .actions"));
        for n in next {
            button_in(&actions, n);
        }
        let sim_state = m.ctx.session.with_untracked(|s| {
            s.sim()
                .keys()
                .find(|k| k.key_id == id)
                .map(|k| k.state.as_str().to_string())
        });
        assert_eq!(sim_state.as_deref(), Some(state));
    }
}

#[wasm_bindgen_test]
async fn encryption_by_default_button_toggles_the_setting() {
    let m = mount("panels-ebd", Session::new(1), || {
        view! { <ResourcesPanel/> }
    });
    settle().await;
    let card = "section[aria-labelledby=h-defaults]";
    let setting = |m: &Mounted| {
        m.ctx.session.with_untracked(|s| {
            s.sim()
                .ebs_settings("111122223333", "us-east-1")
                .encryption_by_default
        })
    };
    assert_eq!(text_of(&m, "[data-testid=ebd-state]"), "Disabled");
    assert!(!setting(&m));

    let table = [
        ("Enable", "aws ec2 enable-ebs-encryption-by-default", true),
        (
            "Disable",
            "aws ec2 disable-ebs-encryption-by-default",
            false,
        ),
        ("Enable", "aws ec2 enable-ebs-encryption-by-default", true),
    ];
    for (i, (label, want, on)) in table.into_iter().enumerate() {
        press(&m, card, label).await;
        let (count, command, error) = last_entry(&m);
        assert_eq!((count, command.as_str(), error), (i + 1, want, None));
        assert_eq!(setting(&m), on);
        let badge = find(&m, "[data-testid=ebd-state]");
        assert_eq!(text(&badge), if on { "Enabled" } else { "Disabled" });
        assert_eq!(badge.class_list().contains("ok"), on);
    }
}

// ---------------------------------------------------------------------------------------------
// Policy editor
// ---------------------------------------------------------------------------------------------

const CROSS_ACCOUNT: &str = "Cross-account use (seed 004), key side";

fn validation(m: &Mounted) -> String {
    text_of(m, "[data-testid=policy-validation]")
}

#[wasm_bindgen_test]
async fn policy_editor_validates_as_you_type_and_applies_a_key_policy() {
    let m = mount(
        "panels-policy",
        session_after(&[
            "KEY=$(aws kms create-key --description 'data' --query KeyMetadata.KeyId --output text)",
            "aws kms create-alias --alias-name alias/data --target-key-id $KEY",
        ]),
        || view! { <PolicyEditor/> },
    );
    settle().await;
    let id = var(&m, "KEY");
    let apply = find(&m, "[data-testid=policy-apply]");
    let textarea = find(&m, "[data-testid=policy-text]");
    assert!(validation(&m).contains("Paste a policy or pick a template."));
    assert!(disabled(&apply), "nothing to apply to yet");

    // Choosing the key loads its current (valid) policy.
    let select = find(&m, "select[aria-label=\"Policy of\"]");
    let option = find(&m, &format!("option[value=\"key:{id}\"]"));
    assert_eq!(text(&option), "alias/data");
    set_value(&select, &format!("key:{id}")).await;
    let loaded = value_of(&textarea);
    assert!(
        loaded.contains("arn:aws:iam::111122223333:root"),
        "{loaded}"
    );
    assert!(validation(&m).starts_with('✓'), "{}", validation(&m));
    assert!(!disabled(&apply));
    assert_eq!(text(&apply), "Apply (put-key-policy)");

    // Invalid JSON: ✕ and Apply disabled.
    set_value(&textarea, "{ \"Version\": \"2012-10-17\", ").await;
    let v = validation(&m);
    assert!(v.starts_with('✕'), "{v}");
    assert!(exists(&m, "[data-testid=policy-validation] .bad"));
    assert!(disabled(&apply));
    let before = last_entry(&m).0;
    click(&apply);
    settle().await;
    assert_eq!(last_entry(&m).0, before, "a disabled Apply runs nothing");

    // A template makes it valid again.
    press(&m, "ul.templates", CROSS_ACCOUNT).await;
    assert!(value_of(&textarea).contains("arn:aws:iam::444455556666:root"));
    assert!(validation(&m).starts_with('✓'), "{}", validation(&m));
    assert!(!disabled(&apply));

    // Apply runs put-key-policy on the chosen key, and the key's policy changes.
    click(&apply);
    settle().await;
    let (count, command, error) = last_entry(&m);
    assert_eq!(count, before + 1);
    assert!(
        command.starts_with(&format!(
            "aws kms put-key-policy --key-id {id} --policy-name default --policy "
        )),
        "{command}"
    );
    assert_eq!(error, None);
    let policy = m.ctx.session.with_untracked(|s| {
        s.sim()
            .keys()
            .find(|k| k.key_id == id)
            .map(|k| k.policy.to_string())
            .expect("the key exists")
    });
    assert!(policy.contains("444455556666"), "{policy}");
    assert_eq!(
        m.ctx.notice.get_untracked(),
        Some((NoticeKind::Info, "Policy applied.".to_string()))
    );
    // The editor still shows which policy it edits.
    assert_eq!(value_of(&select), format!("key:{id}"));
}

#[wasm_bindgen_test]
async fn templates_validate_by_their_kind_before_a_target_is_chosen() {
    let m = mount("panels-templates", Session::new(1), || {
        view! { <PolicyEditor/> }
    });
    settle().await;
    let templates = find_all(&find(&m, "ul.templates"), "li");
    assert!(templates.len() >= 6);
    let mut kinds = Vec::new();
    for li in &templates {
        let name = text(&find_in(li, "button"));
        let kind = text(&find_in(li, ".tag"));
        click(&find_in(li, "button"));
        settle().await;
        let v = validation(&m);
        assert!(v.starts_with('✓'), "{name} ({kind}): {v}");
        assert!(!v.contains("should not specify a principal"), "{name}: {v}");
        let doc = value_of(&find(&m, "[data-testid=policy-text]"));
        // Resource-based documents (key and trust policies) name principals; identity ones do not.
        assert_eq!(
            doc.contains("\"Principal\""),
            kind == "key policy" || kind == "trust policy",
            "{name}"
        );
        assert!(disabled(&find(&m, "[data-testid=policy-apply]")), "{name}");
        kinds.push(kind);
    }
    assert!(kinds.iter().any(|k| k == "key policy"));
    assert!(kinds.iter().any(|k| k == "identity policy"));
    assert!(kinds.iter().any(|k| k == "trust policy"));

    // Still no target: a key policy typed after an identity template is checked as the
    // identity policy it is not.
    let last_key = templates
        .iter()
        .rposition(|li| text(&find_in(li, ".tag")) == "key policy")
        .expect("a key-policy template");
    assert!(
        last_key < templates.len() - 1,
        "identity templates come last"
    );
    let key_doc = {
        click(&find_in(&templates[last_key], "button"));
        settle().await;
        value_of(&find(&m, "[data-testid=policy-text]"))
    };
    click(&find_in(templates.last().expect("templates"), "button"));
    settle().await;
    set_value(&find(&m, "[data-testid=policy-text]"), &key_doc).await;
    let v = validation(&m);
    assert!(v.starts_with('✕') && v.contains("principal"), "{v}");
}

// ---------------------------------------------------------------------------------------------
// Scenarios and outcomes
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn a_scenario_runs_to_the_end_with_next() {
    let m = mount("panels-scenario", Session::new(1), || {
        view! { <ScenariosPanel/> }
    });
    settle().await;
    let id = "refuse-kms-key-without-encrypted";
    let total = ebs_kms_playground::scenarios::by_id(id)
        .expect("the scenario exists")
        .steps
        .len();
    assert!(text_of(&m, &format!("[data-scenario={id}]")).contains(&format!("{total} steps")));
    click_on(&m, &format!("[data-scenario={id}]")).await;
    assert_eq!(
        text_of(&m, "[data-testid=scenario-progress]"),
        format!("Step 1 of {total}")
    );
    assert!(find_all(&m.host, ".step-result").is_empty());

    for i in 0..total {
        let next = find(&m, "[data-testid=scenario-next]");
        assert!(!disabled(&next), "step {}", i + 1);
        click(&next);
        settle().await;
        assert_eq!(find_all(&m.host, ".step-result").len(), i + 1);
        assert_eq!(
            m.ctx.session.with_untracked(|s| s.entries().len()),
            i + 1,
            "one command per step"
        );
        if i + 1 < total {
            assert_eq!(
                text_of(&m, "[data-testid=scenario-progress]"),
                format!("Step {} of {total}", i + 2)
            );
        }
    }

    let results: Vec<String> = find_all(&m.host, ".step-result").iter().map(text).collect();
    for (i, r) in results.iter().enumerate() {
        assert!(r.starts_with('✓'), "step {}: {r}", i + 1);
    }
    assert!(
        results
            .iter()
            .any(|r| r.starts_with("✓ Failed as documented: InvalidParameterDependency")),
        "{results:?}"
    );
    assert!(find_all(&m.host, ".step-result.bad").is_empty());
    assert_eq!(find_all(&m.host, "ol.steps li.done").len(), total);
    assert_eq!(
        text_of(&m, "[data-testid=scenario-progress]"),
        "Scenario complete."
    );
    assert!(disabled(&find(&m, "[data-testid=scenario-next]")));

    // The last step's first call is selected for the diagram and details.
    let calls = m.ctx.session.with_untracked(|s| {
        let e = s.entries().last().expect("the last step ran");
        assert!(e.result.command.contains("create-volume"));
        e.calls.clone()
    });
    let selected = m.ctx.selected.get_untracked().expect("a call is selected");
    assert!(calls.contains(&selected), "{selected} in {calls:?}");
}

#[wasm_bindgen_test]
async fn outcomes_table_highlights_the_row_the_last_create_volume_matched() {
    let m = mount("panels-outcomes", Session::new(1), || {
        view! { <OutcomesTable/> }
    });
    settle().await;
    assert_eq!(find_all(&m.host, "tr[data-row]").len(), 20);
    assert_eq!(
        text_of(&m, "[data-testid=matched-row]"),
        "No CreateVolume yet."
    );
    assert!(find_all(&m.host, "tr.matched").is_empty());

    for (row, custom) in [(6, true), (3, false)] {
        let with = if custom { "with" } else { "without" };
        click_on(
            &m,
            &format!("button[aria-label=\"Run row {row} {with} KmsKeyId\"]"),
        )
        .await;
        let matched: Vec<String> = find_all(&m.host, "tr.matched")
            .iter()
            .filter_map(|tr| tr.get_attribute("data-row"))
            .collect();
        assert_eq!(matched, vec![row.to_string()], "after row {row} {with}");
        assert_eq!(
            text_of(&m, "[data-testid=matched-row]"),
            format!(
                "Last CreateVolume: row {row} ({} column).",
                if custom { "KmsKeyId" } else { "no KmsKeyId" }
            )
        );
        // The cell of the column that ran is the one marked.
        let cells = find_all(&m.host, "td.cell-matched");
        assert_eq!(cells.len(), 1);
        let button = find_in(&cells[0], "button");
        assert_eq!(
            button.get_attribute("aria-label"),
            Some(format!("Run row {row} {with} KmsKeyId"))
        );
        assert!(m
            .ctx
            .announce
            .get_untracked()
            .contains(&format!("row {row}")));
    }
    assert!(!find(&m, "tr[data-row=\"6\"]")
        .class_list()
        .contains("matched"));
}
