//! The Policies tab: an editor for key policies, IAM identity policies and role trust policies
//! with validation as you type (the model's own validators), the seeds' examples as templates,
//! an Apply button that runs `aws kms put-key-policy`, `aws iam put-role-policy` /
//! `put-user-policy` or `aws iam update-assume-role-policy`, and "assume a role" as a profile.

use super::Ctx;
use crate::model::iam::PrincipalKind;
use crate::model::policy::{validate_document, PolicyKind};
use crate::views::commands::{self, PolicyTarget as Target};
use crate::views::rows;
use crate::views::templates::{self, TemplateEnv, TEMPLATES};
use leptos::prelude::*;

/// The rules a target's document is checked against.
fn kind_of(t: &Target) -> PolicyKind {
    match t {
        Target::Key(_) => PolicyKind::Key,
        Target::Identity(..) => PolicyKind::Identity,
        Target::Trust(_) => PolicyKind::Trust,
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
        ctx.session.with(|s| rows::policy_keys(s.sim(), &c))
    };
    let principals = move || {
        let c = caller();
        ctx.session.with(|s| rows::policy_principals(s.sim(), &c))
    };
    let target = RwSignal::new(None::<Target>);
    let text = RwSignal::new(String::new());
    let policy_name = RwSignal::new("KmsAccess".to_string());

    // Loading a target shows its current policy.
    let load = move |t: Target| {
        text.set(
            ctx.session
                .with_untracked(|s| rows::current_policy(s.sim(), &t)),
        );
        target.set(Some(t));
    };
    // Which rules the document is checked against: the chosen target's kind, or the kind of
    // the template last picked when no target is chosen yet.
    let doc_kind = RwSignal::new(PolicyKind::Key);
    Effect::new(move |_| {
        if let Some(t) = target.get() {
            doc_kind.set(kind_of(&t));
        }
    });
    let verdict = move || {
        let t = text.get();
        if t.trim().is_empty() {
            return None;
        }
        Some(validate(&t, doc_kind.get()))
    };
    let template_env = move || {
        let c = caller();
        let key_arn = target.with(|t| {
            ctx.session
                .with(|s| rows::template_key_arn(s.sim(), &c, t.as_ref()))
        });
        TemplateEnv {
            account: c.account,
            region: c.region,
            key_arn,
        }
    };
    let apply = move |_| {
        let Some(t) = target.get_untracked() else {
            return;
        };
        let Some(line) =
            commands::put_policy(&t, &policy_name.get_untracked(), &text.get_untracked())
        else {
            return;
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
    let roles = move || ctx.session.with(|s| rows::assumable_roles(s.sim()));
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
        let name = commands::profile_for_role(&arn);
        let line = commands::assume_role_profile(&name, &arn, &source);
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
        let trust = templates::service_trust_policy(templates::EC2_SERVICE);
        ctx.run(&commands::create_role(name, &trust));
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
                            if let Some(t) = rows::parse_target(&event_target_value(&ev)) {
                                load(t);
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
                                                "iam:{}:{name}",
                                                kind.as_str(),
                                            )>{format!("{} {name}", kind.as_str())}</option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </optgroup>
                        <optgroup label="Trust policies (who may assume a role)">
                            {move || {
                                principals()
                                    .into_iter()
                                    .filter(|(kind, _)| *kind == PrincipalKind::Role)
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
                                .map(|(arn, label)| view! { <option value=arn>{label}</option> })
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
                                        let v = doc(&template_env());
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
