//! "Predict the next call": over every step of every scenario and several seeds, the right
//! answer is among the choices and is what the step really did, no choice repeats, and the
//! same seed gives the same question.

use ebs_kms_playground::model::trace::{Call, Participant};
use ebs_kms_playground::scenarios;
use ebs_kms_playground::session::Session;
use ebs_kms_playground::views::predict::{explanation, predict, preview};
use std::collections::HashSet;

/// The calls each step of a scenario makes, run the way the app runs it: in a scratch clone.
fn step_calls(id: &str) -> Vec<(String, Vec<Call>)> {
    let sc = scenarios::by_id(id).expect("scenario");
    let mut s = Session::new_in(sc.cloud(), 1);
    let mut out = Vec::new();
    for step in &sc.steps {
        let calls = preview(&s, &step.command);
        let len = s.calls().len();
        s.run(&step.command);
        // The preview is exactly what the real run then does.
        assert_eq!(&s.calls()[len..], &calls[..], "{id}: {}", step.command);
        out.push((step.narration.clone(), calls));
    }
    out
}

#[test]
fn choices_hold_the_right_answer_once_and_repeat_for_a_seed() {
    let mut asked = 0;
    for sc in scenarios::all() {
        for (narration, calls) in step_calls(sc.id) {
            for seed in 0..6u64 {
                let Some(p) = predict(&calls, seed) else {
                    assert!(calls.iter().all(|c| c.from != Participant::User));
                    continue;
                };
                asked += 1;
                assert!(p.answer < p.choices.len(), "{}: {p:?}", sc.id);
                assert!(p.choices.len() >= 2, "{}: {p:?}", sc.id);
                let unique: HashSet<&String> = p.choices.iter().collect();
                assert_eq!(unique.len(), p.choices.len(), "{}: {p:?}", sc.id);
                assert_eq!(predict(&calls, seed), Some(p.clone()));
                // No wrong choice has a participant calling itself.
                for (k, c) in p.choices.iter().enumerate() {
                    let arrow = c.trim_start_matches("Yes: ");
                    if let Some((ends, _)) = arrow.split_once(": ") {
                        if let Some((a, b)) = ends.split_once(" → ") {
                            assert!(a != b || k == p.answer, "{}: {c}", sc.id);
                        }
                    }
                }
                // The proving call is the step's and names the answer.
                let proof = &calls[p.proof];
                let right = &p.choices[p.answer];
                assert!(
                    right.contains(&proof.operation)
                        || proof
                            .error
                            .as_ref()
                            .is_some_and(|e| right.contains(&e.code))
                        || right.starts_with("No: "),
                    "{}: {right} vs {}",
                    sc.id,
                    proof.summary()
                );
                assert!(!explanation(&calls, &p, &narration).is_empty());
            }
        }
    }
    assert!(asked > 100, "only {asked} questions");
}

#[test]
fn the_answer_is_the_first_call_a_service_makes() {
    let calls = step_calls("volume-from-encrypted-snapshot");
    let (_, create) = calls
        .iter()
        .find(|(_, c)| {
            c.first().map(|c| c.operation.as_str()) == Some("CreateVolume")
                && c.iter().any(|c| c.from == Participant::Ec2)
        })
        .expect("a CreateVolume step with nested calls");
    let p = predict(create, 3).expect("a question");
    let first = create.iter().find(|c| c.from == Participant::Ec2).unwrap();
    assert!(
        p.prompt.contains("which call does EC2 make first"),
        "{}",
        p.prompt
    );
    assert_eq!(
        p.choices[p.answer],
        format!("EC2 → {}: {}", first.to.name(), first.operation)
    );
}

#[test]
fn a_step_without_nested_calls_asks_whether_the_service_calls_another() {
    let c = Call::sketch(0, 0, Participant::User, Participant::Kms, "ListKeys");
    let p = predict(&[c], 1).unwrap();
    assert_eq!(p.choices[p.answer], "No: KMS answers on its own");
    assert_eq!(predict(&[], 1), None);
}

#[test]
fn seeds_vary_the_order() {
    let calls = step_calls("volume-from-encrypted-snapshot");
    let (_, create) = calls
        .iter()
        .find(|(_, c)| c.iter().any(|c| c.from == Participant::Ec2))
        .unwrap();
    let orders: HashSet<Vec<String>> = (0..16)
        .filter_map(|s| predict(create, s))
        .map(|p| p.choices)
        .collect();
    assert!(orders.len() > 1);
}
