//! Tests of the resource rows and the Policies tab's choices, on a session built by commands.

use super::*;
use crate::model::Caller;

const TRUST: &str = r#"'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'"#;

/// A key with an alias; an encrypted volume attached to a running instance with one sector
/// written; a snapshot of it; a partner snapshot shared with the default account; a role with
/// an inline policy; and an image.
fn world() -> Session {
    let mut s = Session::new(5);
    let lines = [
        "KEY=$(aws kms create-key --description data --query KeyMetadata.KeyId --output text)".to_string(),
        "aws kms create-alias --alias-name alias/data --target-key-id $KEY".into(),
        "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 2 --encrypted --kms-key-id alias/data --query VolumeId --output text)".into(),
        "AMI=$(aws ec2 describe-images --owners amazon --query 'Images[0].ImageId' --output text)".into(),
        "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --query 'Instances[0].InstanceId' --output text)".into(),
        "aws ec2 wait instance-running --instance-ids $INST".into(),
        "aws ec2 wait volume-available --volume-ids $VOL".into(),
        "aws ec2 attach-volume --volume-id $VOL --instance-id $INST --device /dev/sdf".into(),
        "play advance --seconds 5".into(),
        "play write --instance-id $INST --device /dev/sdf --text hello".into(),
        "SNAP=$(aws ec2 create-snapshot --volume-id $VOL --query SnapshotId --output text)".into(),
        "PVOL=$(aws ec2 create-volume --profile partner --availability-zone us-east-1a --size 1 --query VolumeId --output text)".into(),
        "aws ec2 wait volume-available --profile partner --volume-ids $PVOL".into(),
        "PSNAP=$(aws ec2 create-snapshot --profile partner --volume-id $PVOL --query SnapshotId --output text)".into(),
        "aws ec2 wait snapshot-completed --profile partner --snapshot-ids $PSNAP".into(),
        "aws ec2 modify-snapshot-attribute --profile partner --snapshot-id $PSNAP --attribute createVolumePermission --operation-type add --user-ids 111122223333".into(),
        format!("aws iam create-role --role-name app --assume-role-policy-document {TRUST}"),
        r#"aws iam put-role-policy --role-name app --policy-name use --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}'"#.into(),
    ];
    for l in &lines {
        let e = s.run(l).and_then(|e| e.result.error.clone());
        assert_eq!(e, None, "{l}");
    }
    s
}

fn var(s: &Session, name: &str) -> String {
    s.shell().var(name).unwrap_or_default().to_string()
}

fn here() -> Caller {
    Caller::root("111122223333", "us-east-1")
}

fn partner() -> Caller {
    Caller::root("444455556666", "us-east-1")
}

#[test]
fn key_rows_name_keys_by_alias_and_count_grants() {
    let s = world();
    let rows = keys(s.sim(), &here());
    let key = var(&s, "KEY");
    let row = rows.iter().find(|r| r.id == key).expect("the key's row");
    assert_eq!(row.name(), "alias/data");
    assert_eq!((row.state, row.managed), ("Enabled", false));
    assert_eq!(row.grants, 1, "the attachment's grant");
    assert_eq!(row.sub(), " · 1 material version · rotation off · 1 grant");
    assert!(keys(s.sim(), &partner()).iter().all(|r| r.id != key));
    // The render key changes when the row does.
    let mut other = row.clone();
    other.state = "Disabled";
    assert_ne!(other.render_key(), row.render_key());
}

#[test]
fn volume_rows_show_key_attachment_and_where_the_data_key_is() {
    let s = world();
    let vol = var(&s, "VOL");
    let rows = volumes(s.sim(), &here());
    let row = rows.iter().find(|r| r.id == vol).expect("the volume's row");
    assert_eq!(row.key.as_deref(), Some("alias/data"));
    assert_eq!(row.size, 2);
    assert!(row.key_in_host);
    assert_eq!(row.stored, 1);
    assert_eq!(
        row.attached,
        Some((var(&s, "INST"), "/dev/sdf".to_string()))
    );
    let snap = var(&s, "SNAP");
    assert_eq!(row.shares_with, std::slice::from_ref(&snap));
    let loc = row.key_location().unwrap_or_default();
    assert!(loc.contains("plaintext in host memory"), "{loc}");
    assert!(loc.ends_with(&format!("same data key as {snap}")), "{loc}");
    assert!(row.sub().contains("attached to i-"), "{}", row.sub());
    // The partner's unencrypted volume is only in the partner's list, with no key location.
    let p = volumes(s.sim(), &partner());
    assert_eq!(p.len(), 1);
    assert_eq!((p[0].key.clone(), p[0].key_location()), (None, None));
}

#[test]
fn snapshot_rows_list_owned_and_shared_ones() {
    let s = world();
    let rows = snapshots(s.sim(), &here());
    let table = [
        (var(&s, "SNAP"), false, true),
        (var(&s, "PSNAP"), true, false),
    ];
    assert_eq!(rows.len(), table.len());
    for (id, shared, encrypted) in table {
        let r = rows.iter().find(|r| r.id == id).expect("listed");
        assert_eq!((r.shared, r.encrypted), (shared, encrypted), "{id}");
        assert_eq!(
            r.key.starts_with("encrypted · alias/data"),
            encrypted,
            "{}",
            r.key
        );
    }
    let psnap = var(&s, "PSNAP");
    let own = snapshots(s.sim(), &partner());
    assert!(own
        .iter()
        .any(|r| r.id == psnap && !r.shared && r.sub.contains("shared with 111122223333")));
    let west = Caller::root("111122223333", "us-west-2");
    assert!(snapshots(s.sim(), &west).is_empty());
}

#[test]
fn image_instance_and_iam_rows() {
    let s = world();
    let imgs = images(s.sim(), &here());
    let ami = var(&s, "AMI");
    let amazon = imgs.iter().find(|r| r.id == ami).expect("the public AMI");
    assert!(
        amazon.public && amazon.mappings.contains(" ← snap-"),
        "{amazon:?}"
    );

    let inst = instances(s.sim(), &here());
    assert_eq!(inst.len(), 1);
    assert_eq!(
        (inst[0].state, inst[0].instance_type.as_str()),
        ("running", "t3.micro")
    );
    assert!(
        inst[0]
            .volumes
            .contains(&format!("/dev/sdf→{}", var(&s, "VOL"))),
        "{}",
        inst[0].volumes
    );
    assert!(instances(s.sim(), &partner()).is_empty());

    let rows = iam(&s, &here());
    let app = rows.iter().find(|r| r.name == "app").expect("the role");
    assert_eq!((app.kind.as_str(), app.policies.as_str()), ("role", "use"));
    assert_eq!(app.trusted, "Service ec2.amazonaws.com");
    assert!(iam(&s, &partner()).iter().all(|r| r.name != "app"));
}

#[test]
fn defaults_name_the_managed_key_until_one_is_chosen() {
    let mut s = Session::new(1);
    assert_eq!(
        defaults(s.sim(), &here()),
        (false, "alias/aws/ebs (AWS managed)".into())
    );
    s.run("aws ec2 enable-ebs-encryption-by-default");
    s.run("KEY=$(aws kms create-key --query KeyMetadata.KeyId --output text)");
    s.run("aws kms create-alias --alias-name alias/team --target-key-id $KEY");
    s.run("aws ec2 modify-ebs-default-kms-key-id --kms-key-id $KEY");
    assert_eq!(defaults(s.sim(), &here()), (true, "alias/team".into()));
}

#[test]
fn policy_choices_and_documents() {
    let s = world();
    let key = var(&s, "KEY");
    assert_eq!(
        policy_keys(s.sim(), &here()),
        [(key.clone(), "alias/data".to_string())]
    );
    assert!(policy_principals(s.sim(), &here()).contains(&(PrincipalKind::Role, "app".into())));
    assert!(assumable_roles(s.sim())
        .iter()
        .any(|(_, l)| l == "app (111122223333)"));
    let cases = [
        (
            PolicyTarget::Key(key.clone()),
            "arn:aws:iam::111122223333:root",
        ),
        (
            PolicyTarget::Identity("role".into(), "app".into()),
            "kms:Decrypt",
        ),
        (PolicyTarget::Trust("app".into()), "ec2.amazonaws.com"),
        (PolicyTarget::Trust("nobody".into()), ""),
    ];
    for (t, needle) in cases {
        let doc = current_policy(s.sim(), &t);
        assert!(doc.contains(needle), "{t:?}: {doc}");
        assert_eq!(doc.is_empty(), needle.is_empty(), "{t:?}");
    }
    let arn = format!("arn:aws:kms:us-east-1:111122223333:key/{key}");
    assert_eq!(template_key_arn(s.sim(), &here(), None), arn);
    assert_eq!(
        template_key_arn(s.sim(), &here(), Some(&PolicyTarget::Key("k".into()))),
        "arn:aws:kms:us-east-1:111122223333:key/k"
    );
    assert_eq!(template_key_arn(s.sim(), &partner(), None), "*");
}

#[test]
fn editor_values_parse_to_targets() {
    let cases = [
        ("key:abc", Some(PolicyTarget::Key("abc".into()))),
        ("trust:app", Some(PolicyTarget::Trust("app".into()))),
        (
            "iam:user:alice",
            Some(PolicyTarget::Identity("user".into(), "alice".into())),
        ),
        ("iam:user", None),
        ("", None),
        ("other:x", None),
    ];
    for (v, want) in cases {
        assert_eq!(parse_target(v), want, "{v:?}");
    }
}

#[test]
fn sector_text_helpers() {
    assert_eq!(printable(b"hi\x01there\0rest"), "hi·there");
    assert_eq!(printable(b""), "");
    assert_eq!(hex(&[0xab, 0x01, 0xff], 2), "ab01…");
    assert_eq!(hex(&[0xab], 2), "ab");
}
