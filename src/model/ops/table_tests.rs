//! The operation table against the model: every operation the table lists is answered by a
//! handler, and a request carrying every member the table offers (nested ones included) is
//! never refused as unknown.

use super::{all, Member, Service, Ty};
use crate::json;
use crate::model::{Caller, Sim, ACCOUNT_A};
use serde_json::{Map, Value};

/// A plausible value of a type: enough to get past the member check.
fn sample(ty: Ty) -> Value {
    match ty {
        Ty::Str => json!("x"),
        Ty::Int => json!(1),
        Ty::Bool => json!(true),
        Ty::StrList => json!(["x"]),
        Ty::Map => json!({"k": "v"}),
        Ty::Struct(members) => structure(members),
        Ty::StructList(members) => json!([structure(members)]),
    }
}

fn structure(members: &[Member]) -> Value {
    let mut m = Map::new();
    for member in members {
        m.insert(member.name.to_string(), sample(member.ty));
    }
    Value::Object(m)
}

fn refused_as_unknown(e: &crate::model::AwsError) -> bool {
    e.code == "UnknownParameter" || e.message.contains("is not recognized")
}

#[test]
fn every_member_the_table_offers_is_accepted() {
    let caller = Caller::root(ACCOUNT_A, "us-east-1");
    let mut checked = 0;
    for op in all() {
        let mut request = Map::new();
        for p in op.params {
            request.insert(p.name.to_string(), sample(p.ty));
        }
        let mut sim = Sim::new(1);
        let r = sim.execute(
            &caller,
            op.service.as_str(),
            op.operation,
            Value::Object(request),
        );
        if let Err(e) = &r {
            assert!(
                !refused_as_unknown(e),
                "{} {}: {} {}",
                op.service,
                op.operation,
                e.code,
                e.message
            );
            assert_ne!(e.code, "InvalidAction", "{} has no handler", op.operation);
        }
        checked += 1;
    }
    assert!(checked >= 70, "only {checked} operations");
}

#[test]
fn a_member_the_table_does_not_list_is_refused_in_the_services_words() {
    let caller = Caller::root(ACCOUNT_A, "us-east-1");
    let cases = [
        (Service::Ec2, "DescribeVolumes", "UnknownParameter"),
        (Service::Kms, "ListKeys", "ValidationException"),
        (Service::Iam, "ListRoles", "UnknownParameter"),
        (Service::Play, "AdvanceTime", "UnknownParameter"),
    ];
    for (service, op, code) in cases {
        let mut sim = Sim::new(1);
        let e = sim
            .execute(&caller, service.as_str(), op, json!({"Bogus": 1}))
            .unwrap_err();
        assert_eq!(e.code, code, "{op}");
        assert!(e.message.contains("Bogus"), "{op}: {}", e.message);
    }
}

#[test]
fn dry_run_is_answered_once_by_the_model_for_every_ec2_operation() {
    let caller = Caller::root(ACCOUNT_A, "us-east-1");
    for op in Service::Ec2.ops() {
        let mut sim = Sim::new(1);
        let e = sim
            .execute(&caller, "ec2", op.operation, json!({"DryRun": true}))
            .unwrap_err();
        assert_eq!(e.code, "DryRunOperation", "{}", op.operation);
        assert_eq!(
            sim.trace().len(),
            1,
            "{}: the request is drawn",
            op.operation
        );
    }
    let mut sim = Sim::new(1);
    let e = sim
        .execute(&caller, "kms", "ListKeys", json!({"DryRun": true}))
        .unwrap_err();
    assert_eq!(e.code, "ValidationException");
}

#[test]
fn refused_requests_are_drawn_on_the_lifeline_they_were_sent_to() {
    use crate::model::trace::Participant;
    let bad = Caller::root("12", "us-east-1");
    for (service, want) in [
        ("autoscaling", Participant::AutoScaling),
        ("play", Participant::Host),
        ("kms", Participant::Kms),
        ("ec2", Participant::Ec2),
    ] {
        let mut sim = Sim::new(1);
        assert!(sim.execute(&bad, service, "Anything", json!({})).is_err());
        let call = sim.trace().calls().last().cloned().unwrap();
        assert_eq!(call.to, want, "{service}");
    }
}

#[test]
fn completion_offers_every_zone_and_region_the_provider_models() {
    let zones: Vec<&str> = super::ZONES.to_vec();
    for region in crate::model::provider::AWS.regions {
        for z in crate::model::provider::AWS.zones(region) {
            assert!(zones.contains(&z.as_str()), "{z}");
        }
    }
    assert!(zones.contains(&"eu-west-1c"));
}

#[test]
fn every_alibaba_operation_has_a_handler_and_accepts_its_members() {
    let caller = Caller::root_in(
        &crate::model::provider::ALIBABA,
        "1234567890123456",
        "cn-hangzhou",
    );
    let mut checked = 0;
    for op in super::aliyun::all() {
        let mut request = Map::new();
        for p in op.params {
            request.insert(p.name.to_string(), sample(p.ty));
        }
        let mut sim = Sim::new_in(crate::model::provider::Cloud::Alibaba, 1);
        let service = op.cli_service;
        let r = sim.execute(&caller, service, op.operation, Value::Object(request));
        if let Err(e) = &r {
            assert!(
                !refused_as_unknown(e),
                "{service} {}: {} {}",
                op.operation,
                e.code,
                e.message
            );
            assert_ne!(e.code, "InvalidAction", "{} has no handler", op.operation);
        }
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} operations");
}
