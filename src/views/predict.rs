//! "Predict the next call": the question asked before a scenario step runs, built from the
//! calls the step really makes (the app runs it in a scratch clone of the session — the model
//! is deterministic) and plausible wrong choices: other orders (a later call of the same
//! caller), other participants (another service making the call) and other operations.
//! Pure: the same calls and seed give the same question; the right answer is always among the
//! choices and no choice appears twice.

use crate::model::trace::{Call, Participant};

/// One question about a step.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// What is asked ("Which call does EC2 make first?").
    pub prompt: String,
    /// The choices, in the order shown.
    pub choices: Vec<String>,
    /// Index of the right choice in `choices`.
    pub answer: usize,
    /// Position, among the step's calls, of the call that proves the answer.
    pub proof: usize,
}

/// Operations a service plausibly calls on `to`, for wrong choices.
fn pool(to: Participant) -> &'static [&'static str] {
    match to {
        Participant::Kms => &[
            "GenerateDataKeyWithoutPlaintext",
            "Decrypt",
            "CreateGrant",
            "ReEncrypt",
            "DescribeKey",
            "GenerateDataKey",
            "Encrypt",
        ],
        Participant::Ebs => &[
            "CreateVolume",
            "WriteSectors",
            "ReadSectors",
            "CopySnapshot",
        ],
        Participant::Ec2 => &["DescribeVolumes", "CreateVolume", "CreateSnapshot"],
        Participant::Iam => &["GetRole", "CreateServiceLinkedRole"],
        _ => &["Decrypt", "CreateGrant"],
    }
}

/// Error codes a refused request plausibly ends with, for wrong choices.
const CODES: [&str; 5] = [
    "AccessDeniedException",
    "InvalidParameterCombination",
    "KMSInvalidStateException",
    "UnauthorizedOperation",
    "InvalidParameterValue",
];

/// "From → To: Operation", without the failure mark of [`Call::summary`].
fn arrow(from: Participant, to: Participant, op: &str) -> String {
    format!("{} → {}: {op}", from.name(), to.name())
}

/// splitmix64: a small deterministic generator for choice order.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The question for a step that makes `calls` (the step's calls only, in trace order), or
/// `None` when the step makes no call. `seed` varies the wrong choices and their order.
pub fn predict(calls: &[Call], seed: u64) -> Option<Prediction> {
    let first = calls.iter().position(|c| c.from == Participant::User)?;
    let top = &calls[first];
    let nested = calls
        .iter()
        .enumerate()
        .skip(first + 1)
        .find(|(_, c)| c.from != Participant::User && !c.is_event);
    let mut rng = seed ^ 0x5EED;
    let (prompt, answer, proof, groups): (String, String, usize, Vec<Vec<String>>) =
        if let Some(e) = &top.error {
            let prompt = format!("What does {} answer to {}?", top.to.name(), top.operation);
            let right = format!("It fails with {}", e.code);
            let mut wrong: Vec<String> =
                CODES.iter().map(|c| format!("It fails with {c}")).collect();
            wrong.insert(0, "It succeeds".to_string());
            (prompt, right, first, vec![wrong])
        } else if let Some((i, c)) = nested {
            let prompt = format!(
                "After {}, which call does {} make first?",
                arrow(top.from, top.to, &top.operation),
                c.from.name()
            );
            let right = arrow(c.from, c.to, &c.operation);
            // Other orders: later calls of the same caller.
            let orders: Vec<String> = calls[i + 1..]
                .iter()
                .filter(|d| d.from == c.from && !d.is_event)
                .map(|d| arrow(d.from, d.to, &d.operation))
                .collect();
            // Other participants: another service making the same call.
            let others: Vec<String> = [Participant::Ec2, Participant::Ebs, Participant::Host]
                .into_iter()
                .filter(|p| *p != c.from && *p != c.to)
                .map(|p| arrow(p, c.to, &c.operation))
                .collect();
            let ops: Vec<String> = pool(c.to)
                .iter()
                .map(|op| arrow(c.from, c.to, op))
                .collect();
            (prompt, right, i, vec![orders, others, ops])
        } else {
            let prompt = format!(
                "Does {} call another service for {}?",
                top.to.name(),
                top.operation
            );
            let right = format!("No: {} answers on its own", top.to.name());
            // KMS itself calls no one; the plausible mistake is that it asks IAM or STS.
            let wrong: Vec<String> = if top.to == Participant::Kms {
                [
                    (Participant::Iam, "GetPolicy"),
                    (Participant::Sts, "GetCallerIdentity"),
                    (Participant::Iam, "SimulatePrincipalPolicy"),
                ]
                .iter()
                .map(|(p, op)| format!("Yes: {}", arrow(top.to, *p, op)))
                .collect()
            } else {
                pool(Participant::Kms)
                    .iter()
                    .map(|op| format!("Yes: {}", arrow(top.to, Participant::Kms, op)))
                    .collect()
            };
            (prompt, right, first, vec![wrong])
        };
    let mut choices = vec![answer.clone()];
    // One from each group first (in seeded order), then fill to four.
    let mut rest: Vec<String> = Vec::new();
    for g in groups {
        let mut g: Vec<String> = g.into_iter().filter(|w| *w != answer).collect();
        if g.is_empty() {
            continue;
        }
        let k = (next(&mut rng) % g.len() as u64) as usize;
        let pick = g.remove(k);
        if !choices.contains(&pick) {
            choices.push(pick);
        }
        rest.extend(g);
    }
    while choices.len() < 4 && !rest.is_empty() {
        let k = (next(&mut rng) % rest.len() as u64) as usize;
        let pick = rest.remove(k);
        if !choices.contains(&pick) {
            choices.push(pick);
        }
    }
    choices.truncate(4);
    // Fisher–Yates with the seed.
    for i in (1..choices.len()).rev() {
        let j = (next(&mut rng) % (i as u64 + 1)) as usize;
        choices.swap(i, j);
    }
    let answer = choices.iter().position(|c| *c == answer)?;
    Some(Prediction {
        prompt,
        choices,
        answer,
        proof,
    })
}

/// The sentence that explains a revealed answer: the proving call's documentation sentence,
/// or else the step's narration.
pub fn explanation(calls: &[Call], p: &Prediction, narration: &str) -> String {
    calls
        .get(p.proof)
        .and_then(|c| c.doc.clone())
        .unwrap_or_else(|| narration.to_string())
}

/// The calls `command` would make now: run in a scratch copy of the session, which is left
/// as it was (the model is deterministic, so the real run makes the same calls). The copy is
/// the session's script replayed (a session is its script), which keeps the wasm free of a
/// deep clone of the whole model.
pub fn preview(session: &crate::session::Session, command: &str) -> Vec<Call> {
    let mut scratch = crate::session::Session::replay(session.script());
    let range = scratch.run(command).map(|e| e.calls.clone());
    range
        .and_then(|r| scratch.calls().get(r).map(<[Call]>::to_vec))
        .unwrap_or_default()
}
