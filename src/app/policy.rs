//! The Policies tab: an editor for key policies, IAM identity policies and role trust policies
//! with validation as you type (the model's own validators), the seeds' examples as templates,
//! an Apply button that runs `aws kms put-key-policy`, `aws iam put-role-policy` /
//! `put-user-policy` or `aws iam update-assume-role-policy`, and "assume a role" as a profile.

use super::Ctx;
use crate::cli::shell::shell_quote;
use crate::model::policy::{validate_document, PolicyKind};
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
    /// The trust policy of a role (by name).
    Trust(String),
}

impl Target {
    /// The rules the document is checked against.
    fn kind(&self) -> PolicyKind {
        match self {
            Target::Key(_) => PolicyKind::Key,
            Target::Identity(..) => PolicyKind::Identity,
            Target::Trust(_) => PolicyKind::Trust,
        }
    }
}

/// How a kind of document is named in the UI.
fn kind_label(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Key => "key policy",
        PolicyKind::Identity => "identity policy",
        PolicyKind::Trust => "trust policy",
    }
}

/// A template: name, what it teaches, and the document for an account.
struct Template {
    name: &'static str,
    about: &'static str,
    kind: PolicyKind,
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
        kind: PolicyKind::Key,
        doc: |c, _| crate::model::policy::default_key_policy(&c.account),
    },
    Template {
        name: "Console default: administrators and users",
        about: "Root delegation, key administrators who manage but cannot use the key, and key users who use it and create grants for AWS resources.",
        kind: PolicyKind::Key,
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
        kind: PolicyKind::Key,
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
        kind: PolicyKind::Key,
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
        kind: PolicyKind::Key,
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
        kind: PolicyKind::Identity,
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
        kind: PolicyKind::Identity,
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
        kind: PolicyKind::Identity,
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
    Template {
        name: "Trust a user of this account",
        about: "Only the named user may assume the role; in the role's own account the trust policy alone is enough.",
        kind: PolicyKind::Trust,
        doc: |c, _| {
            json!({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow",
                    "Principal": {"AWS": format!("arn:aws:iam::{}:user/alice", c.account)},
                    "Action": "sts:AssumeRole"}]
            })
        },
    },
    Template {
        name: "Trust another account",
        about: "The other account may assume the role, but only its principals whose identity policies allow sts:AssumeRole on it: across accounts both sides must allow.",
        kind: PolicyKind::Trust,
        doc: |c, _| {
            json!({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow",
                    "Principal": {"AWS": root(other_account(&c.account))},
                    "Action": "sts:AssumeRole"}]
            })
        },
    },
    Template {
        name: "Allow assuming a role (identity policy)",
        about: "The caller's side of AssumeRole: needed when the trust policy names an account rather than the caller, and always across accounts.",
        kind: PolicyKind::Identity,
        doc: |c, _| {
            json!({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                    "Resource": format!("arn:aws:iam::{}:role/*", other_account(&c.account))}]
            })
        },
    },
];

/// Validates a document the way the apply command will.
fn validate(text: &str, kind: PolicyKind) -> Result<(), String> {
    validate_document(text, kind).map(|_| ())
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
                        && !p.is_service_linked()
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
            Target::Trust(name) => s
                .sim()
                .iam_principals()
                .find(|p| p.kind == "role" && &p.name == name)
                .and_then(|p| p.trust.clone()),
        });
        text.set(
            doc.map(|d| serde_json::to_string_pretty(&d).unwrap_or_default())
                .unwrap_or_default(),
        );
        target.set(Some(t));
    };
    // Which rules the document is checked against: the chosen target's kind, or the kind of
    // the template last picked when no target is chosen yet.
    let doc_kind = RwSignal::new(PolicyKind::Key);
    Effect::new(move |_| {
        if let Some(t) = target.get() {
            doc_kind.set(t.kind());
        }
    });
    let verdict = move || {
        let t = text.get();
        if t.trim().is_empty() {
            return None;
        }
        Some(validate(&t, doc_kind.get()))
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
            Target::Trust(name) => format!(
                "aws iam update-assume-role-policy --role-name {name} --policy-document {}",
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
    // Assuming a role: which role, as which profile, and the new profile's name.
    let roles = move || {
        ctx.session.with(|s| {
            s.sim()
                .iam_principals()
                .filter(|p| p.kind == "role" && !p.is_service_linked())
                .map(|p| (p.arn.clone(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let profiles = move || {
        ctx.session.with(|s| {
            s.shell()
                .profiles()
                .iter()
                .map(|p| (p.name.clone(), p.principal.clone()))
                .collect::<Vec<_>>()
        })
    };
    let assume_role = RwSignal::new(String::new());
    let assume_source = RwSignal::new(String::new());
    let assume = move |_| {
        let arn = assume_role.get_untracked();
        if arn.is_empty() {
            ctx.tell(super::NoticeKind::Error, "Choose a role to assume.");
            return;
        }
        let source = match assume_source.get_untracked() {
            s if s.is_empty() => ctx
                .session
                .with_untracked(|s| s.shell().current_profile_name()),
            s => s,
        };
        let name = arn.rsplit('/').next().unwrap_or("role").to_string();
        let line = format!(
            "play profile add {name} --role-arn {} --source-profile {}",
            shell_quote(&arn),
            shell_quote(&source)
        );
        if let Some(e) = ctx.run(&line) {
            match e.result.error {
                Some(err) => ctx.tell(
                    super::NoticeKind::Error,
                    format!(
                        "{}: {} (select the AssumeRole call to see why)",
                        err.code, err.message
                    ),
                ),
                None => ctx.tell(
                    super::NoticeKind::Info,
                    format!(
                        "Profile {name} now acts as the role session; choose it in the header."
                    ),
                ),
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
                            } else if let Some(name) = v.strip_prefix("trust:") {
                                load(Target::Trust(name.to_string()));
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
                        <optgroup label="Trust policies (who may assume a role)">
                            {move || {
                                principals()
                                    .into_iter()
                                    .filter(|(kind, _)| kind == "role")
                                    .map(|(_, name)| {
                                        view! {
                                            <option value=format!(
                                                "trust:{name}",
                                            )>{format!("role {name}")}</option>
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
                    (doc_kind.get() == PolicyKind::Identity && target.get().is_some())
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
                            Some(Target::Trust(_)) => "Apply (update-assume-role-policy)".to_string(),
                            _ => "Apply (put-key-policy)".to_string(),
                        }}
                    </button>
                </div>
            </section>
            <section class="card" aria-labelledby="h-pol-assume">
                <h2 id="h-pol-assume">"Assume a role"</h2>
                <p class="hint">
                    "STS checks the role's trust policy and, unless the trust policy names the caller in the role's own account, the caller's identity policies. Root users cannot assume roles."
                </p>
                <div class="actions">
                    <select
                        aria-label="Role to assume"
                        data-testid="assume-role"
                        on:change=move |ev| assume_role.set(event_target_value(&ev))
                    >
                        <option value="">"Role…"</option>
                        {move || {
                            roles()
                                .into_iter()
                                .map(|(arn, name)| {
                                    let account = arn.split(':').nth(4).unwrap_or("").to_string();
                                    view! { <option value=arn>{format!("{name} ({account})")}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                    <select
                        aria-label="Assume it as profile"
                        data-testid="assume-source"
                        on:change=move |ev| assume_source.set(event_target_value(&ev))
                    >
                        <option value="">"as the current profile"</option>
                        {move || {
                            profiles()
                                .into_iter()
                                .map(|(name, principal)| {
                                    view! { <option value=name.clone()>{format!("as {name} ({principal})")}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                    <button data-testid="assume-apply" on:click=assume>"Assume role"</button>
                </div>
            </section>
            <section class="card" aria-labelledby="h-pol-templates">
                <h2 id="h-pol-templates">"Templates"</h2>
                <ul class="templates">
                    {TEMPLATES
                        .iter()
                        .map(|t| {
                            let doc = t.doc;
                            let template_kind = t.kind;
                            let kind = kind_label(t.kind);
                            view! {
                                <li>
                                    <button on:click=move |_| {
                                        let v = doc(&caller(), &key_arn_for_templates());
                                        if target.get_untracked().is_none() {
                                            doc_kind.set(template_kind);
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
