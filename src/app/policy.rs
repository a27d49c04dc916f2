//! The Policies tab: an editor for key policies and IAM identity policies with validation as
//! you type (the model's own validators), the seeds' examples as templates, and an Apply
//! button that runs `aws kms put-key-policy` or `aws iam put-role-policy` / `put-user-policy`.

use super::Ctx;
use crate::cli::shell::shell_quote;
use crate::model::policy::{validate_identity_policy, validate_key_policy_syntax};
use crate::model::Caller;
use leptos::prelude::*;
use serde_json::{json, Value};

/// What the editor edits.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    /// The key policy of a key (by key id).
    Key(String),
    /// An inline policy of an IAM role or user (kind, name).
    Identity(String, String),
}

/// A template: name, what it teaches, and the document for an account.
struct Template {
    name: &'static str,
    about: &'static str,
    key_policy: bool,
    doc: fn(&Caller, &str) -> Value,
}

fn root(account: &str) -> String {
    format!("arn:aws:iam::{account}:root")
}

fn other_account(account: &str) -> &'static str {
    if account == "444455556666" {
        "111122223333"
    } else {
        "444455556666"
    }
}

const TEMPLATES: &[Template] = &[
    Template {
        name: "Default key policy",
        about: "Gives the account (root) full access, so IAM policies in the account decide.",
        key_policy: true,
        doc: |c, _| crate::model::policy::default_key_policy(&c.account),
    },
    Template {
        name: "Console default: administrators and users",
        about: "Root delegation, key administrators who manage but cannot use the key, and key users who use it and create grants for AWS resources.",
        key_policy: true,
        doc: |c, _| {
            crate::model::policy::console_default_policy(
                &c.account,
                &[format!("arn:aws:iam::{}:role/KeyAdmin", c.account)],
                &[format!("arn:aws:iam::{}:role/AppRole", c.account)],
            )
        },
    },
    Template {
        name: "Auto Scaling service-linked role (seed 004)",
        about: "The two statements that let Auto Scaling launch instances with volumes under this key: use the key, and create grants for AWS resources.",
        key_policy: true,
        doc: |c, _| {
            let slr = format!(
                "arn:aws:iam::{}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
                c.account
            );
            json!({
                "Version": "2012-10-17",
                "Id": "key-policy-with-autoscaling",
                "Statement": [
                    {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
                     "Principal": {"AWS": root(&c.account)}, "Action": "kms:*", "Resource": "*"},
                    {"Sid": "Allow service-linked role use of the customer managed key", "Effect": "Allow",
                     "Principal": {"AWS": [slr.clone()]},
                     "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                     "Resource": "*"},
                    {"Sid": "Allow attachment of persistent resources", "Effect": "Allow",
                     "Principal": {"AWS": [slr]},
                     "Action": ["kms:CreateGrant"], "Resource": "*",
                     "Condition": {"Bool": {"kms:GrantIsForAWSResource": true}}}
                ]
            })
        },
    },
    Template {
        name: "Cross-account use (seed 004), key side",
        about: "Lets the other account use the key and create grants for AWS resources; that account's IAM policies must also allow it.",
        key_policy: true,
        doc: |c, _| {
            let other = root(other_account(&c.account));
            json!({
                "Version": "2012-10-17",
                "Id": "key-policy-cross-account",
                "Statement": [
                    {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
                     "Principal": {"AWS": root(&c.account)}, "Action": "kms:*", "Resource": "*"},
                    {"Sid": "Allow external account use of the key", "Effect": "Allow",
                     "Principal": {"AWS": [other.clone()]},
                     "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                     "Resource": "*"},
                    {"Sid": "Allow attachment of persistent resources in external account", "Effect": "Allow",
                     "Principal": {"AWS": [other]},
                     "Action": ["kms:CreateGrant"], "Resource": "*"}
                ]
            })
        },
    },
    Template {
        name: "Key policy without root delegation (a trap)",
        about: "Only the named role may use the key; IAM policies in the account no longer help anyone else, including administrators.",
        key_policy: true,
        doc: |c, _| {
            json!({
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "Only the application role", "Effect": "Allow",
                     "Principal": {"AWS": format!("arn:aws:iam::{}:role/AppRole", c.account)},
                     "Action": ["kms:*"], "Resource": "*"}
                ]
            })
        },
    },
    Template {
        name: "Least-privilege CreateGrant (identity policy)",
        about: "Lets a principal create grants only for AWS resources (EBS attaching a volume), through EC2.",
        key_policy: false,
        doc: |c, key| {
            json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["kms:CreateGrant"],
                    "Resource": key,
                    "Condition": {
                        "Bool": {"kms:GrantIsForAWSResource": true},
                        "StringLike": {"kms:ViaService": format!("ec2.{}.amazonaws.com", c.region)}
                    }
                }]
            })
        },
    },
    Template {
        name: "Use the key for EBS (identity policy)",
        about: "What an application role needs to create and attach encrypted volumes, and nothing to manage the key.",
        key_policy: false,
        doc: |_, key| {
            json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"],
                    "Resource": key
                }]
            })
        },
    },
    Template {
        name: "Manage but not use (identity policy)",
        about: "A security administrator: manages the key's lifecycle and policy, cannot encrypt or decrypt (seed 003's separation of duties).",
        key_policy: false,
        doc: |_, key| {
            json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                               "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"],
                    "Resource": key
                }]
            })
        },
    },
];

/// Validates a document the way the apply command will: key policy or identity policy rules.
fn validate(text: &str, key_policy: bool) -> Result<(), String> {
    let r = if key_policy {
        validate_key_policy_syntax(text)
    } else {
        validate_identity_policy(text)
    };
    r.map(|_| ())
}

/// The Policies tab.
#[component]
pub fn PolicyEditor() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let caller = move || ctx.session.with(|s| s.caller());
    let keys = move || {
        let c = caller();
        ctx.session.with(|s| {
            s.sim()
                .keys()
                .filter(|k| k.account == c.account && k.region == c.region && !k.aws_managed)
                .map(|k| {
                    let name = s
                        .sim()
                        .aliases_of(&k.key_id)
                        .into_iter()
                        .next()
                        .unwrap_or_else(|| k.key_id.clone());
                    (k.key_id.clone(), name)
                })
                .collect::<Vec<_>>()
        })
    };
    let principals = move || {
        let c = caller();
        ctx.session.with(|s| {
            s.sim()
                .iam_principals()
                .filter(|p| {
                    p.arn.contains(&format!("::{}:", c.account))
                        && (p.kind == "user" || p.kind == "role")
                        && !p.path.starts_with("/aws-service-role/")
                })
                .map(|p| (p.kind.clone(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let target = RwSignal::new(None::<Target>);
    let text = RwSignal::new(String::new());
    let policy_name = RwSignal::new("KmsAccess".to_string());

    // Loading a target shows its current policy.
    let load = move |t: Target| {
        let doc = ctx.session.with_untracked(|s| match &t {
            Target::Key(id) => s
                .sim()
                .keys()
                .find(|k| &k.key_id == id)
                .map(|k| k.policy.clone()),
            Target::Identity(kind, name) => s
                .sim()
                .iam_principals()
                .find(|p| &p.kind == kind && &p.name == name)
                .and_then(|p| p.inline.values().next().cloned()),
        });
        text.set(
            doc.map(|d| serde_json::to_string_pretty(&d).unwrap_or_default())
                .unwrap_or_default(),
        );
        target.set(Some(t));
    };
    // Which rules the document is checked against: the chosen target's kind, or the kind of
    // the template last picked when no target is chosen yet.
    let key_doc = RwSignal::new(true);
    Effect::new(move |_| {
        if let Some(t) = target.get() {
            key_doc.set(matches!(t, Target::Key(_)));
        }
    });
    let is_key = move || key_doc.get();
    let verdict = move || {
        let t = text.get();
        if t.trim().is_empty() {
            return None;
        }
        Some(validate(&t, is_key()))
    };
    let key_arn_for_templates = move || {
        let c = caller();
        match target.get() {
            Some(Target::Key(id)) => format!("arn:aws:kms:{}:{}:key/{id}", c.region, c.account),
            _ => keys()
                .first()
                .map(|(id, _)| format!("arn:aws:kms:{}:{}:key/{id}", c.region, c.account))
                .unwrap_or_else(|| "*".into()),
        }
    };
    let apply = move |_| {
        let Some(t) = target.get_untracked() else {
            return;
        };
        let doc = text.get_untracked();
        // Compact JSON keeps the console line short and the script readable.
        let compact = serde_json::from_str::<Value>(&doc)
            .ok()
            .and_then(|v| serde_json::to_string(&v).ok())
            .unwrap_or(doc);
        let line = match t {
            Target::Key(id) => format!(
                "aws kms put-key-policy --key-id {id} --policy-name default --policy {}",
                shell_quote(&compact)
            ),
            Target::Identity(kind, name) => format!(
                "aws iam put-{kind}-policy --{kind}-name {name} --policy-name {} --policy-document {}",
                shell_quote(&policy_name.get_untracked()),
                shell_quote(&compact)
            ),
        };
        if let Some(e) = ctx.run(&line) {
            match e.result.error {
                Some(err) => ctx.tell(
                    super::NoticeKind::Error,
                    format!("{}: {}", err.code, err.message),
                ),
                None => ctx.tell(super::NoticeKind::Info, "Policy applied."),
            }
        }
    };
    let new_role = RwSignal::new(String::new());
    let create_role = move |_| {
        let name = new_role.get_untracked();
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
        ctx.run(&format!(
            "aws iam create-role --role-name {} --assume-role-policy-document {}",
            shell_quote(name),
            shell_quote(&trust.to_string())
        ));
        new_role.set(String::new());
    };

    view! {
        <div class="policy-editor" data-testid="policy-editor">
            <section class="card" aria-labelledby="h-pol-target">
                <h2 id="h-pol-target">"Edit a policy"</h2>
                <label class="field">
                    "Policy of"
                    <select
                        aria-label="Policy of"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(id) = v.strip_prefix("key:") {
                                load(Target::Key(id.to_string()));
                            } else if let Some(rest) = v.strip_prefix("iam:") {
                                if let Some((kind, name)) = rest.split_once(':') {
                                    load(Target::Identity(kind.to_string(), name.to_string()));
                                }
                            }
                        }
                    >
                        <option value="">"Choose a key or an IAM principal…"</option>
                        <optgroup label="Key policies">
                            {move || {
                                keys()
                                    .into_iter()
                                    .map(|(id, name)| {
                                        view! { <option value=format!("key:{id}")>{name}</option> }
                                    })
                                    .collect_view()
                            }}
                        </optgroup>
                        <optgroup label="Identity policies">
                            {move || {
                                principals()
                                    .into_iter()
                                    .map(|(kind, name)| {
                                        view! {
                                            <option value=format!(
                                                "iam:{kind}:{name}",
                                            )>{format!("{kind} {name}")}</option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </optgroup>
                    </select>
                </label>
                <div class="actions">
                    <input
                        type="text"
                        placeholder="RoleName"
                        aria-label="New role name"
                        prop:value=move || new_role.get()
                        on:input=move |ev| new_role.set(event_target_value(&ev))
                    />
                    <button on:click=create_role>"Create role"</button>
                </div>
                {move || {
                    (!is_key() && target.get().is_some())
                        .then(|| {
                            view! {
                                <label class="field">
                                    "PolicyName"
                                    <input
                                        type="text"
                                        prop:value=move || policy_name.get()
                                        on:input=move |ev| policy_name.set(event_target_value(&ev))
                                    />
                                </label>
                            }
                        })
                }}
            </section>
            <section class="card" aria-labelledby="h-pol-doc">
                <h2 id="h-pol-doc">"Document"</h2>
                <textarea
                    class="policy-text"
                    aria-label="Policy document"
                    data-testid="policy-text"
                    spellcheck="false"
                    rows="18"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                <p class="validation" aria-live="polite" data-testid="policy-validation">
                    {move || match verdict() {
                        None => view! { <span class="muted">"Paste a policy or pick a template."</span> }.into_any(),
                        Some(Ok(())) => view! { <span class="ok">"✓ Valid policy document."</span> }.into_any(),
                        Some(Err(e)) => view! { <span class="bad">"✕ " {e}</span> }.into_any(),
                    }}
                </p>
                <div class="actions">
                    <button
                        class="primary"
                        data-testid="policy-apply"
                        disabled=move || target.get().is_none() || !matches!(verdict(), Some(Ok(())))
                        on:click=apply
                    >
                        {move || match target.get() {
                            Some(Target::Identity(kind, _)) => format!("Apply (put-{kind}-policy)"),
                            _ => "Apply (put-key-policy)".to_string(),
                        }}
                    </button>
                </div>
            </section>
            <section class="card" aria-labelledby="h-pol-templates">
                <h2 id="h-pol-templates">"Templates"</h2>
                <ul class="templates">
                    {TEMPLATES
                        .iter()
                        .map(|t| {
                            let doc = t.doc;
                            let is_key_template = t.key_policy;
                            let kind = if t.key_policy { "key policy" } else { "identity policy" };
                            view! {
                                <li>
                                    <button on:click=move |_| {
                                        let v = doc(&caller(), &key_arn_for_templates());
                                        if target.get_untracked().is_none() {
                                            key_doc.set(is_key_template);
                                        }
                                        text.set(serde_json::to_string_pretty(&v).unwrap_or_default());
                                    }>{t.name}</button>
                                    <span class="tag">{kind}</span>
                                    <p class="hint">{t.about}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        </div>
    }
}
