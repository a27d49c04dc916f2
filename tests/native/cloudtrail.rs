//! The CloudTrail view filtered by key (`views::cloudtrail`), on seed 003's compliance design:
//! each key's records name the team that used it, the service that called on its behalf, the
//! encryption context and what was refused; no key's records show in another's.

use ebs_kms_playground::scenarios;
use ebs_kms_playground::scenarios_compliance::{ID, KEY_ALIASES};
use ebs_kms_playground::session::Session;
use ebs_kms_playground::views::cloudtrail::{key_choices, key_trail, resolve, TrailRow};
use serde_json::Value;

fn compliance() -> Session {
    let sc = scenarios::by_id(ID).expect("the compliance scenario");
    let mut s = Session::new(1);
    for st in &sc.steps {
        s.run(&st.command);
    }
    s
}

/// (event, who, invokedBy, error) of each row.
fn cols(rows: &[TrailRow]) -> Vec<(String, String, Option<String>, Option<String>)> {
    rows.iter()
        .map(|r| {
            (
                r.event_name.clone(),
                r.who.clone(),
                r.invoked_by.clone(),
                r.error_code.clone(),
            )
        })
        .collect()
}

fn t(
    event: &str,
    who: &str,
    via: Option<&str>,
    err: Option<&str>,
) -> (String, String, Option<String>, Option<String>) {
    (
        event.into(),
        who.into(),
        via.map(Into::into),
        err.map(Into::into),
    )
}

#[test]
fn each_key_shows_the_team_that_used_it_and_what_was_refused() {
    let s = compliance();
    let sim = s.sim();
    let denied = Some("AccessDeniedException");
    let s3 = key_trail(sim, "alias/prod-finance-s3").expect("the S3 key");
    assert_eq!(
        cols(&s3.rows),
        [
            t("CreateKey", "root", None, None),
            t("CreateAlias", "root", None, None),
            t(
                "EnableKeyRotation",
                "assumed-role/SecurityAdmin/dana",
                None,
                None
            ),
            t(
                "GenerateDataKey",
                "assumed-role/SecurityAdmin/dana",
                None,
                denied
            ),
            t(
                "GenerateDataKey",
                "assumed-role/StatementsApp/reporting",
                Some("s3.amazonaws.com"),
                None
            ),
            t(
                "Decrypt",
                "assumed-role/SecurityAdmin/dana",
                Some("s3.amazonaws.com"),
                denied
            ),
            t(
                "DisableKey",
                "assumed-role/StatementsApp/reporting",
                None,
                denied
            ),
        ]
    );
    // S3's data key is bound to the object's ARN, in the write and in the refused read.
    for i in [4, 5] {
        assert_eq!(
            s3.rows[i].context,
            "aws:s3:arn=arn:aws:s3:::prod-finance-statements/2026/q3.txt"
        );
    }
    assert_eq!(s3.label, "alias/prod-finance-s3");
    assert!(s3.rows[0].time.starts_with("2026-") && s3.rows[0].time.ends_with('Z'));
    assert_eq!(s3.rows[0].clock.len(), 8, "{}", s3.rows[0].clock);
    assert!(s3.rows[0].time.contains(&s3.rows[0].clock));

    let ebs = key_trail(sim, "alias/prod-finance-ebs").expect("the EBS key");
    let last = cols(&ebs.rows).pop();
    assert_eq!(
        last,
        Some(t(
            "GenerateDataKeyWithoutPlaintext",
            "assumed-role/AnalyticsApp/etl",
            Some("ec2-frontend-api.amazonaws.com"),
            None
        ))
    );
    assert!(ebs
        .rows
        .last()
        .is_some_and(|r| r.context.starts_with("aws:ebs:id=vol-")));

    let rds = key_trail(sim, "alias/prod-finance-rds").expect("the RDS key");
    let events: Vec<(String, String, Option<String>, Option<String>)> =
        cols(&rds.rows).split_off(2);
    let ledger = "assumed-role/LedgerApp/api";
    let rds_via = Some("rds.amazonaws.com");
    assert_eq!(
        events,
        [
            t("ScheduleKeyDeletion", ledger, None, denied),
            t("DescribeKey", ledger, rds_via, None),
            t("CreateGrant", ledger, rds_via, None),
            // Then RDS works under the grant LedgerApp's request created.
            t(
                "GenerateDataKeyWithoutPlaintext",
                "rds.us-east-1.amazonaws.com",
                rds_via,
                None
            ),
            t("Decrypt", "rds.us-east-1.amazonaws.com", rds_via, None),
        ]
    );
    assert!(
        rds.rows[5].context.contains("aws:rds:db-id=db-"),
        "{}",
        rds.rows[5].context
    );

    // Who used each key: the S3 key's summary names the three principals once each.
    let who: Vec<(&str, usize, usize)> = s3
        .by_principal
        .iter()
        .map(|p| (p.who.as_str(), p.allowed, p.denied))
        .collect();
    assert_eq!(
        who,
        [
            ("root", 2, 0),
            ("assumed-role/SecurityAdmin/dana", 1, 2),
            ("assumed-role/StatementsApp/reporting", 1, 1),
        ]
    );
    assert_eq!(s3.by_principal[2].via, ["s3.amazonaws.com"]);

    // No record shows under two keys.
    let mut seen: Vec<usize> = [&s3, &ebs, &rds]
        .iter()
        .flat_map(|k| k.rows.iter().map(|r| r.seq))
        .collect();
    let n = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), n);
}

#[test]
fn a_key_is_found_by_arn_id_alias_and_alias_arn() {
    let s = compliance();
    let sim = s.sim();
    let arn = s.shell().var("KEY_RDS").unwrap_or_default().to_string();
    let id = arn.rsplit('/').next().unwrap_or_default().to_string();
    for r in [
        arn.clone(),
        id,
        "alias/prod-finance-rds".to_string(),
        "arn:aws:kms:us-east-1:111122223333:alias/prod-finance-rds".to_string(),
        format!("  {arn} "),
    ] {
        assert_eq!(resolve(sim, &r).as_deref(), Some(arn.as_str()), "{r}");
    }
    for r in [
        "",
        "alias/nope",
        "arn:aws:kms:eu-west-1:111122223333:alias/prod-finance-rds",
        "1234",
    ] {
        assert_eq!(resolve(sim, r), None, "{r}");
        assert!(key_trail(sim, r).is_none(), "{r}");
    }
    // The three keys are offered, labelled by alias, customer managed first.
    let mut s = s;
    s.run("aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted");
    let sim = s.sim();
    let labels: Vec<String> = key_choices(sim).into_iter().map(|c| c.label).collect();
    for a in KEY_ALIASES {
        assert!(labels.contains(&a.to_string()), "{labels:?}");
    }
    assert_eq!(
        labels.last().map(String::as_str),
        Some("alias/aws/ebs (AWS managed)"),
        "{labels:?}"
    );
    assert_eq!(labels.len(), 4);
}

/// KMS records the keys a call used as CloudTrail's `resources`, also for a refused call whose
/// request names no key (S3's Decrypt as the administrator).
#[test]
fn cloudtrail_records_name_the_key_in_resources() {
    let s = compliance();
    let arn = s.shell().var("KEY_S3").unwrap_or_default().to_string();
    let decrypt = s
        .calls()
        .iter()
        .find(|c| c.operation == "Decrypt" && c.error.is_some())
        .expect("the refused Decrypt");
    assert!(decrypt.request.get("keyId").is_none());
    let rec = decrypt.cloudtrail();
    assert_eq!(rec["resources"][0]["ARN"], arn.as_str());
    assert_eq!(rec["resources"][0]["type"], "AWS::KMS::Key");
    assert_eq!(rec["resources"][0]["accountId"], "111122223333");
    // Calls to other services have none.
    let put = s
        .calls()
        .iter()
        .find(|c| c.operation == "PutObject")
        .unwrap();
    assert!(put.cloudtrail().get("resources").is_none());
}

/// A call that uses two keys lists both (ReEncrypt: the source, then the destination), and the
/// view shows it under each; a call naming no key (ListKeys) shows under none.
#[test]
fn a_re_encryption_shows_under_both_keys() {
    let mut s = Session::new(3);
    for line in [
        "A=$(aws kms create-key --query KeyMetadata.Arn --output text)",
        "B=$(aws kms create-key --query KeyMetadata.Arn --output text)",
        "BLOB=$(aws kms encrypt --key-id $A --plaintext aGVsbG8= --query CiphertextBlob --output text)",
        "aws kms re-encrypt --ciphertext-blob $BLOB --destination-key-id $B",
        "aws kms list-keys",
    ] {
        let e = s.run(line).cloned().unwrap();
        assert!(e.result.error.is_none(), "{line}: {:?}", e.result.error);
    }
    let (a, b) = (
        s.shell().var("A").unwrap_or_default().to_string(),
        s.shell().var("B").unwrap_or_default().to_string(),
    );
    let re = s
        .calls()
        .iter()
        .find(|c| c.operation == "ReEncrypt")
        .unwrap();
    assert_eq!(re.key_arns, [a.clone(), b.clone()]);
    let arns: Vec<Value> = re.cloudtrail()["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ARN"].clone())
        .collect();
    assert_eq!(arns, [Value::from(a.as_str()), Value::from(b.as_str())]);
    let events = |k: &str| -> Vec<String> {
        key_trail(s.sim(), k)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.event_name)
            .collect()
    };
    assert_eq!(events(&a), ["CreateKey", "Encrypt", "ReEncrypt"]);
    assert_eq!(events(&b), ["CreateKey", "ReEncrypt"]);
}

/// In an Alibaba Cloud world the same view reads ActionTrail: the CMK's records are ECS's
/// GenerateDataKey and Decrypt (service events) and the user's own KMS calls.
#[test]
fn alibaba_cloud_keys_have_their_actiontrail_records() {
    use ebs_kms_playground::model::provider::Cloud;
    let mut s = Session::new_in(Cloud::Alibaba, 1);
    for line in [
        "KEY=$(aliyun kms CreateKey --Description team --cli-query KeyMetadata.KeyId)",
        r#"aliyun ram CreateRole --RoleName AliyunECSDiskEncryptDefaultRole --AssumeRolePolicyDocument '{"Version":"1","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}]}'"#,
        "aliyun ram AttachPolicyToRole --PolicyType System --PolicyName AliyunECSDiskEncryptRolePolicy --RoleName AliyunECSDiskEncryptDefaultRole",
        "aliyun ecs RunInstances --ZoneId cn-hangzhou-i --ImageId aliyun_3_x64_20G_alibase_20240819.vhd --InstanceType ecs.g7.large --SystemDisk.Category cloud_essd --SystemDisk.Encrypted true --SystemDisk.KMSKeyId $KEY",
        "aliyun kms DisableKey --KeyId $KEY",
        "aliyun ecs RebootInstance --InstanceId $(aliyun ecs DescribeInstances --cli-query 'Instances.Instance[0].InstanceId')",
    ] {
        let e = s.run(line).cloned().expect("an entry");
        assert!(e.result.error.is_none(), "{line}: {}", e.result.text);
    }
    let key = s.shell().var("KEY").expect("KEY").to_string();
    let choices = key_choices(s.sim());
    assert!(choices.iter().any(|c| c.label == key), "{choices:?}");
    let t = key_trail(s.sim(), &key).expect("the CMK");
    let events: Vec<&str> = t.rows.iter().map(|r| r.event_name.as_str()).collect();
    // The reboot's Decrypt, refused for the disabled key, is on the key's trail too.
    assert_eq!(
        events,
        [
            "CreateKey",
            "GenerateDataKey",
            "Decrypt",
            "DisableKey",
            "Decrypt"
        ],
        "{events:?}"
    );
    assert_eq!(
        t.rows[4].error_code.as_deref(),
        Some("Forbidden.KeyStateConflict")
    );
    let gdk = &t.rows[1];
    // ECS uses a CMK as a session of the role the account authorized for it.
    assert_eq!(gdk.identity_type, "assumed-role");
    assert!(
        gdk.who.starts_with("role/AliyunECSDiskEncryptDefaultRole/"),
        "{}",
        gdk.who
    );
    assert!(
        gdk.context.starts_with("acs:ecs:disk-id="),
        "{}",
        gdk.context
    );
    assert_eq!(t.rows[0].who, "root");
}
