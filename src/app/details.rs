//! The details panel of the selected call (`ctx.selected`): summary, who and where, the console
//! command that caused it, request, response or error, encryption context, where the data key
//! is, KMS's authorization decision step by step ("Why was this denied?"), the AWS
//! documentation sentence, the approximation note and the CloudTrail record it would produce.
//!
//! Shows only what the trace recorded; it decides nothing.

use super::diagram::{key_location_class, key_location_text};
use super::Ctx;
use crate::model::error::AwsError;
use crate::model::trace::Call;
use leptos::prelude::*;
use serde_json::Value;

/// Pretty JSON for a `<pre>`.
fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

/// True when a JSON value carries nothing worth a block (null, {}, []).
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// An error: its code and message.
fn error_view(e: AwsError) -> impl IntoView {
    view! {
        <div class="details-section details-error" data-testid="details-error">
            <h3>"Error"</h3>
            <p class="details-error-code">
                <span aria-hidden="true">"✕ "</span>
                <code>{e.code}</code>
            </p>
            <p class="details-error-message">{e.message}</p>
        </div>
    }
}

/// The details of the selected call, or a hint when none is selected.
#[component]
pub fn DetailsPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let call = Memo::new(move |_| {
        let seq = ctx.selected.get()?;
        ctx.session.with(|s| s.calls().get(seq).cloned())
    });
    let cause = Memo::new(move |_| {
        let seq = ctx.selected.get()?;
        ctx.session.with(|s| {
            s.entry_of_call(seq)
                .map(|e| (e.result.command.clone(), e.result.profile.clone()))
        })
    });
    let count = Memo::new(move |_| ctx.session.with(|s| s.calls().len()));
    view! {
        <aside class="details" data-testid="details" aria-label="Call details">
            {move || match call.get() {
                None => {
                    view! {
                        <h2 class="details-title">"Call details"</h2>
                        <p class="details-empty">
                            "Select a message in the diagram to see its details."
                        </p>
                    }
                        .into_any()
                }
                Some(c) => call_view(ctx, c, cause, count).into_any(),
            }}
        </aside>
    }
}

/// Everything about one call.
fn call_view(
    ctx: Ctx,
    c: Call,
    cause: Memo<Option<(String, String)>>,
    count: Memo<usize>,
) -> impl IntoView {
    let seq = c.seq;
    let (status_class, status) = match (&c.error, c.is_event) {
        (Some(e), _) => ("failed", format!("✕ Failed: {}", e.code)),
        (None, true) => ("event", "↯ Event".to_string()),
        (None, false) => ("ok", "✓ Succeeded".to_string()),
    };
    let parent = c.parent;
    let nav = view! {
        <div class="details-nav" role="group" aria-label="Move between calls">
            <button
                aria-label="Previous call"
                title="Previous call"
                aria-disabled=(seq == 0).to_string()
                on:click=move |_| {
                    if seq > 0 {
                        ctx.selected.set(Some(seq - 1));
                    }
                }
            >
                "‹"
            </button>
            <button
                aria-label="Next call"
                title="Next call"
                aria-disabled=move || (seq + 1 >= count.get()).to_string()
                on:click=move |_| {
                    if seq + 1 < count.get_untracked() {
                        ctx.selected.set(Some(seq + 1));
                    }
                }
            >
                "›"
            </button>
            <button
                aria-label="Close details"
                title="Close details"
                on:click=move |_| ctx.selected.set(None)
            >
                "×"
            </button>
        </div>
    };

    let approximation = c.approximation.as_ref().map(|a| {
        view! {
            <p class="details-approx" data-testid="details-approximation">
                <strong>"≈ Approximation. "</strong>
                {a.note.clone()}
            </p>
        }
    });

    let caused_by = move || {
        cause.get().map(|(command, profile)| {
            view! {
                <section class="details-section">
                    <h3>"Caused by"</h3>
                    <pre class="details-command" data-testid="details-command">
                        {format!("$ {command}")}
                    </pre>
                    {(!profile.is_empty())
                        .then(|| view! { <p class="details-note">{format!("Profile: {profile}")}</p> })}
                </section>
            }
        })
    };

    let who = view! {
        <dl class="details-who">
            <dt>"Principal"</dt>
            <dd>
                <code>{c.principal.clone()}</code>
            </dd>
            <dt>"Invoked by"</dt>
            <dd>
                {match &c.invoked_by {
                    Some(by) => view! { <code>{by.clone()}</code> }.into_any(),
                    None => view! { <span class="details-none">"— (called directly)"</span> }.into_any(),
                }}
            </dd>
            <dt>"Account"</dt>
            <dd>
                <code>{c.account.clone()}</code>
            </dd>
            <dt>"Region"</dt>
            <dd>
                <code>{c.region.clone()}</code>
            </dd>
            <dt>"Time"</dt>
            <dd>{format!("T+{} s", c.time)}</dd>
            {parent
                .map(|p| {
                    view! {
                        <dt>"Made during"</dt>
                        <dd>
                            <button
                                class="details-link"
                                on:click=move |_| ctx.selected.set(Some(p))
                            >
                                {format!("call {}", p + 1)}
                            </button>
                        </dd>
                    }
                })}
        </dl>
    };

    let request = view! {
        <section class="details-section">
            <h3>"Request"</h3>
            <pre class="details-json" data-testid="details-request">{pretty(&c.request)}</pre>
        </section>
    };

    let denied = c.auth.as_ref().is_some_and(|a| !a.allowed);
    let outcome = match &c.error {
        // Shown in the authorization section instead.
        Some(_) if denied => None,
        Some(e) => Some(error_view(e.clone()).into_any()),
        None => Some(
            view! {
                <section class="details-section">
                    <h3>{if c.is_event { "Event detail" } else { "Response" }}</h3>
                    {if is_empty(&c.response) {
                        view! { <p class="details-none">"Nothing returned."</p> }.into_any()
                    } else {
                        view! {
                            <pre class="details-json" data-testid="details-response">
                                {pretty(&c.response)}
                            </pre>
                        }
                            .into_any()
                    }}
                </section>
            }
            .into_any(),
        ),
    };

    let context = view! {
        <section class="details-section">
            <h3>"Encryption context"</h3>
            {match &c.encryption_context {
                Some(v) if !is_empty(v) => {
                    view! {
                        <pre class="details-json" data-testid="details-context">{pretty(v)}</pre>
                    }
                        .into_any()
                }
                _ => view! { <p class="details-none">"None passed with this call."</p> }.into_any(),
            }}
        </section>
    };

    let key = view! {
        <section class="details-section" data-testid="details-key-location">
            <h3>"Key location"</h3>
            {match c.key_location {
                Some(k) => {
                    let (sym, short, long) = key_location_text(k);
                    view! {
                        <p>
                            <span class=format!("key-badge {}", key_location_class(k))>
                                <span class="key-sym" aria-hidden="true">{sym}</span>
                                {short}
                            </span>
                        </p>
                        <p class="details-note">{long}</p>
                    }
                        .into_any()
                }
                None => {
                    view! { <p class="details-none">"No data key changes place in this call."</p> }
                        .into_any()
                }
            }}
        </section>
    };

    let auth = c.auth.clone().map(|a| {
        let denied = !a.allowed;
        // A denied call's error is shown here, next to the evaluation that produced it.
        let error = c.error.clone().filter(|_| denied);
        let reason = (!a.reason.is_empty() && error.as_ref().is_none_or(|e| e.message != a.reason))
            .then(|| format!(": {}", a.reason));
        view! {
            <section class="details-section details-auth" data-testid="details-auth">
                <h3>"Authorization"</h3>
                <p class="decision" class:allowed=a.allowed class:denied=denied>
                    {if a.allowed { "✓ Allowed" } else { "✕ Denied" }}
                    {reason}
                </p>
                {error.map(error_view)}
                <details class="details-why" open=denied>
                    <summary>
                        {if denied { "Why was this denied?" } else { "How was this allowed?" }}
                    </summary>
                    <ol class="details-steps" data-testid="details-auth-steps">
                        {a.steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                    </ol>
                </details>
            </section>
        }
    });

    let doc = c.doc.clone().map(|d| {
        view! {
            <section class="details-section">
                <h3>"Documentation"</h3>
                <blockquote class="details-doc" data-testid="details-doc">{d}</blockquote>
            </section>
        }
    });

    let (trail_name, record) = ctx.session.with_untracked(|s| {
        let p = s.sim().provider();
        (p.trail, c.cloudtrail_in(p))
    });
    let trail = view! {
        <section class="details-section">
            <h3>{format!("{trail_name} record")}</h3>
            <pre class="details-json" data-testid="details-cloudtrail">{pretty(&record)}</pre>
        </section>
    };

    let failed = c.error.is_some();
    // A failure's error and authorization come first: they are what the reader is after.
    let (early_outcome, early_auth, late_outcome, late_auth) = if failed {
        (outcome, auth, None, None)
    } else {
        (None, None, outcome, auth)
    };
    view! {
        <div class="details-head">
            <h2 class="details-title">"Call details"</h2>
            {nav}
        </div>
        <div class="details-body" data-seq=seq.to_string()>
            <p class="details-summary" data-testid="details-summary">
                <span class=format!("status-badge {status_class}")>{status}</span>
                <span class="details-call">
                    {format!("Call {}: {} → {}: ", seq + 1, c.from.name(), c.to.name())}
                    <code>{c.operation.clone()}</code>
                </span>
            </p>
            {approximation}
            {early_outcome}
            {early_auth}
            {caused_by}
            {who}
            {request}
            {late_outcome}
            {context}
            {key}
            {late_auth}
            {doc}
            {trail}
        </div>
    }
}
