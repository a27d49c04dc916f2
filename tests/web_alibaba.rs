//! Browser tests (wasm-bindgen-test in Chromium) of the Alibaba Cloud panels: the ECS card shows
//! a CMK with what depends on it, the disks with where each data key is, and an instance whose
//! system disk hangs after the CMK is disabled and it reboots (the card's Reboot button runs the
//! aliyun line); the four-case table runs a cell and shows the key the seed names.
#![cfg(target_arch = "wasm32")]

use ebs_kms_playground::app::ecs_card::EcsResources;
use ebs_kms_playground::app::ecs_outcomes::EcsOutcomes;
use ebs_kms_playground::model::provider::Cloud;
use ebs_kms_playground::session::Session;
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

mod web_support;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

const ROLE: &str = r#"aliyun ram CreateRole --RoleName AliyunECSDiskEncryptDefaultRole --AssumeRolePolicyDocument '{"Version":"1","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}]}'"#;
const POLICY: &str = "aliyun ram AttachPolicyToRole --PolicyType System --PolicyName AliyunECSDiskEncryptRolePolicy --RoleName AliyunECSDiskEncryptDefaultRole";
const INSTANCE: &str = "INSTANCE=$(aliyun ecs RunInstances --ZoneId cn-hangzhou-i --ImageId aliyun_3_x64_20G_alibase_20240819.vhd --InstanceType ecs.g7.large --SystemDisk.Category cloud_essd --SystemDisk.Encrypted true --SystemDisk.KMSKeyId $KEY --cli-query 'InstanceIdSets.InstanceIdSet[0]')";

fn alibaba_after(lines: &[&str]) -> Session {
    let mut s = Session::new_in(Cloud::Alibaba, 1);
    for line in lines {
        let e = s.run(line).expect("a command line makes an entry");
        assert!(e.result.error.is_none(), "{line}: {}", e.result.text);
    }
    s
}

fn var(m: &Mounted, name: &str) -> String {
    m.ctx
        .session
        .with_untracked(|s| s.shell().var(name).map(str::to_string))
        .unwrap_or_else(|| panic!("${name} is set"))
}

#[wasm_bindgen_test]
async fn the_ecs_card_shows_keys_disks_and_an_io_hang_after_a_reboot() {
    let session = alibaba_after(&[
        "KEY=$(aliyun kms CreateKey --Description 'test key' --cli-query KeyMetadata.KeyId)",
        ROLE,
        POLICY,
        INSTANCE,
        "play advance --minutes 2",
    ]);
    let m = mount("ali-card", session, || view! { <EcsResources/> });
    settle().await;
    let key = var(&m, "KEY");
    let instance = var(&m, "INSTANCE");
    let key_row = find(&m.host, &format!("[data-key='{key}']"));
    assert!(
        text(&key_row).contains("1 disk, snapshot or image under it"),
        "{}",
        text(&key_row)
    );
    let disks = text(&find(&m.host, "[data-testid=ecs-disks]"));
    assert!(disks.contains("encrypted: key-"), "{disks}");
    assert!(
        disks.contains("data key in host memory (plaintext)"),
        "{disks}"
    );
    assert!(try_find(&m.host, "[data-testid=io-hang]").is_none());

    // Disable the key (as the console would), then press the card's Reboot button.
    m.ctx.run(&format!("aliyun kms DisableKey --KeyId {key}"));
    settle().await;
    click(&find(
        &m.host,
        &format!("[data-testid='reboot-{instance}']"),
    ));
    settle().await;
    let last = m.ctx.session.with_untracked(|s| {
        s.entries()
            .last()
            .map(|e| e.result.command.clone())
            .unwrap_or_default()
    });
    assert_eq!(
        last,
        format!("aliyun ecs RebootInstance --InstanceId {instance}")
    );
    assert!(
        try_find(&m.host, "[data-testid=io-hang]").is_some(),
        "the hang shows"
    );
    let disks = text(&find(&m.host, "[data-testid=ecs-disks]"));
    assert!(disks.contains("I/O hangs"), "{disks}");
    // The key's row now offers Enable.
    let key_row = find(&m.host, &format!("[data-key='{key}']"));
    assert!(text(&key_row).contains("Disabled") && text(&key_row).contains("Enable"));
}

#[wasm_bindgen_test]
async fn the_four_case_table_runs_a_cell() {
    let m = mount("ali-outcomes", Session::new_in(Cloud::Alibaba, 1), || {
        view! { <EcsOutcomes/> }
    });
    settle().await;
    click(&find(&m.host, "[data-testid=run-case-4-default]"));
    settle().await;
    let badge = text(&find(&m.host, "[data-testid=case-4-false]"));
    assert!(badge.starts_with("✓ key-"), "{badge}");
    // The session is an Alibaba Cloud one that made the disk under the service key.
    let (cloud, want) = m
        .ctx
        .session
        .with_untracked(|s| (s.cloud(), s.shell().var("WANT").map(str::to_string)));
    assert_eq!(cloud, Cloud::Alibaba);
    assert_eq!(Some(badge.trim_start_matches("✓ ").to_string()), want);
}
