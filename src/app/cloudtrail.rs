//! The CloudTrail tab (the KMS records of one key, chosen in a key selector) and the same view
//! inside a scenario step that asks for it. Which records count and their columns come from
//! [`crate::views::cloudtrail`]; this file only draws them. Clicking a record selects its call
//! in the diagram and the details panel (its full CloudTrail record, "Why was this denied?").

use super::{Ctx, Tab};
use crate::views::cloudtrail::{key_choices, key_trail, KeyTrail};
use leptos::prelude::*;

/// The records of the key `key` names (ARN, id or alias), as a table, with who used it.
fn trail_view(ctx: Ctx, trail: Option<KeyTrail>, key: String) -> AnyView {
    let trail_name = ctx.session.with_untracked(|s| s.sim().provider().trail);
    let Some(t) = trail else {
        return view! {
            <p class="hint" data-testid="trail-empty">
                {if key.is_empty() {
                    format!("Choose a key to see the {trail_name} records that used it.")
                } else {
                    format!("No KMS key {key} in this session.")
                }}
            </p>
        }
        .into_any();
    };
    let who = t
        .by_principal
        .iter()
        .map(|p| {
            let via = if p.via.is_empty() {
                String::new()
            } else {
                format!(" via {}", p.via.join(", "))
            };
            view! {
                <li>
                    <span class="mono">{p.who.clone()}</span>
                    {format!(": {} allowed, {} refused{via} ({})", p.allowed, p.denied, p.events.join(", "))}
                </li>
            }
        })
        .collect_view();
    let count = t.rows.len();
    let rows = t
        .rows
        .into_iter()
        .map(|r| {
            let seq = r.seq;
            let refused = r.error_code.is_some();
            view! {
                <tr
                    class:refused=refused
                    class:selected=move || ctx.selected.get() == Some(seq)
                    data-testid="trail-row"
                    data-seq=seq
                >
                    <td title=r.time.clone()>{r.clock}</td>
                    <td>
                        <button class="link" on:click=move |_| ctx.selected.set(Some(seq))>
                            {r.event_name}
                        </button>
                    </td>
                    <td class="principal" title=r.principal.clone()>
                        // A line may break after each "/" of the principal's name.
                        <span class="mono">{r.who.replace('/', "/\u{200B}")}</span>
                        <small>{r.identity_type}</small>
                    </td>
                    <td>{r.invoked_by.unwrap_or_default()}</td>
                    <td class="ctx">{r.context}</td>
                    <td>{r.error_code.unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="trail" data-testid="trail" data-key=t.arn.clone()>
            <p class="hint">
                {format!("{count} {trail_name} record(s) of KMS calls that used {} ", t.label)}
                <span class="mono">{t.arn.clone()}</span>
            </p>
            <h4>"Who used the key"</h4>
            <ul class="trail-who" data-testid="trail-who">{who}</ul>
            <table class="outcomes trail-table">
                <thead>
                    <tr>
                        <th scope="col">"eventTime"</th>
                        <th scope="col">"eventName"</th>
                        <th scope="col">"userIdentity"</th>
                        <th scope="col">"invokedBy"</th>
                        <th scope="col">"Encryption context"</th>
                        <th scope="col">"errorCode"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The CloudTrail tab: a key selector and the records of the chosen key.
#[component]
pub fn CloudTrailPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let choices = Memo::new(move |_| ctx.session.with(|s| key_choices(s.sim())));
    // Without a choice yet, the first key of the session.
    let key = move || {
        ctx.trail_key
            .get()
            .or_else(|| choices.with(|c| c.first().map(|c| c.arn.clone())))
            .unwrap_or_default()
    };
    view! {
        <div class="cloudtrail-panel" data-testid="cloudtrail">
            <h2>{move || format!("{}, filtered by key", ctx.session.with(|s| s.sim().provider().trail))}</h2>
            <p class="hint">
                {move || if ctx.session.with(|s| s.cloud()) == crate::model::provider::Cloud::Alibaba {
                    "Which principal used which key: the ActionTrail events of the KMS calls that used one key, made directly or by ECS as the role AliyunECSDiskEncryptDefaultRole (service events). Select a record to see it whole."
                } else {
                    "Which principal used which key: the records of the KMS calls that used one key, made directly or by S3, EC2 and RDS on a principal's behalf (invokedBy). Select a record to see it whole."
                }}
            </p>
            <label>
                "KMS key "
                <select
                    data-testid="trail-key"
                    prop:value=key
                    on:change=move |ev| ctx.trail_key.set(Some(event_target_value(&ev)))
                >
                    {move || {
                        choices
                            .get()
                            .into_iter()
                            .map(|c| view! { <option value=c.arn.clone()>{c.label}</option> })
                            .collect_view()
                    }}
                </select>
            </label>
            {move || {
                let k = key();
                let t = ctx.session.with(|s| key_trail(s.sim(), &k));
                trail_view(ctx, t, k)
            }}
        </div>
    }
}

/// The CloudTrail view inside a scenario step: one button per key the step names, the first
/// shown, and a way to the CloudTrail tab.
#[component]
pub fn StepTrail(keys: &'static [&'static str]) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let shown = RwSignal::new(keys.first().copied().unwrap_or_default());
    let buttons = keys
        .iter()
        .map(|&k| {
            view! {
                <button
                    class:on=move || shown.get() == k
                    aria-pressed=move || (shown.get() == k).to_string()
                    data-trail-key=k
                    on:click=move |_| shown.set(k)
                >
                    {k}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="step-trail">
            <div class="seg" role="group" aria-label="CloudTrail of key">{buttons}</div>
            {move || {
                let k = shown.get().to_string();
                let t = ctx.session.with(|s| key_trail(s.sim(), &k));
                trail_view(ctx, t, k)
            }}
            <button on:click=move |_| {
                let arn = ctx
                    .session
                    .with_untracked(|s| crate::views::cloudtrail::resolve(s.sim(), shown.get_untracked()));
                ctx.trail_key.set(arn);
                ctx.tab.set(Tab::CloudTrail);
            }>"Open in the CloudTrail tab"</button>
        </div>
    }
}
