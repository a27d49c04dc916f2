//! The Outcomes tab of an Alibaba Cloud world: seed 002's four create-disk cases, each cell
//! runnable. A run starts a fresh Alibaba Cloud session, sets up the case, creates the disk and
//! shows the key it got beside the key the seed names.

use super::Ctx;
use crate::cli::Script;
use crate::model::provider::Cloud;
use crate::outcomes_aliyun::{case_commands, cases};
use crate::session::DEFAULT_SEED;
use leptos::prelude::*;
use serde_json::Value;

/// The four-case table.
#[component]
pub fn EcsOutcomes() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // (row, selected, the disk's key, the key the seed names)
    let last = RwSignal::new(None::<(usize, bool, String, String)>);
    let run = move |index: usize, selected: bool| {
        let fresh = ctx.session.with_untracked(|s| s.entries().is_empty());
        if !fresh
            && !super::browser::confirm(
                "Each case runs in a fresh Alibaba Cloud session. Replace the current session? (Export it first to keep it.)",
            )
        {
            return;
        }
        ctx.load(&Script::new_in(Cloud::Alibaba, DEFAULT_SEED));
        let entries = ctx.run_all(&case_commands(index, selected));
        let got = match entries.last().and_then(|e| e.result.output.clone()) {
            Some(Value::String(k)) => k,
            _ => String::new(),
        };
        let want = ctx
            .session
            .with_untracked(|s| s.shell().var("WANT").unwrap_or_default().to_string());
        ctx.announce
            .set(format!("Case {index}: the new disk uses {got}."));
        last.set(Some((index, selected, got, want)));
    };
    let verdict = move |index: usize, selected: bool| {
        last.get()
            .filter(|(i, s, _, _)| *i == index && *s == selected)
            .map(|(_, _, got, want)| {
                let ok = !got.is_empty() && got == want;
                view! {
                    <span class="badge" class:ok=ok class:bad=!ok data-testid=format!("case-{index}-{selected}")>
                        {if ok { format!("✓ {got}") } else { format!("got {got}, expected {want}") }}
                    </span>
                }
            })
    };
    view! {
        <div class="outcomes-panel" data-testid="ecs-outcomes">
            <h2>"Which key does a new encrypted disk use?"</h2>
            <p class="hint">
                "Seed 002's four cases. Run a cell: a fresh Alibaba Cloud session sets up the case, creates the disk, and the badge shows the key the disk got (the diagram shows every call)."
            </p>
            <table class="outcomes">
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">"Case"</th>
                        <th scope="col">"No key selected"</th>
                        <th scope="col">"A key selected"</th>
                    </tr>
                </thead>
                <tbody>
                    {cases()
                        .into_iter()
                        .map(|c| {
                            let i = c.index;
                            view! {
                                <tr data-row=i>
                                    <th scope="row">{i}</th>
                                    <td>{c.case}</td>
                                    <td>
                                        {c.default_key}
                                        " "
                                        <button
                                            aria-label=format!("Run case {i} with no key selected")
                                            data-testid=format!("run-case-{i}-default")
                                            on:click=move |_| run(i, false)
                                        >
                                            "Run"
                                        </button>
                                        " "
                                        {move || verdict(i, false)}
                                    </td>
                                    <td>
                                        {c.selected_key}
                                        " "
                                        <button
                                            aria-label=format!("Run case {i} with a key selected")
                                            data-testid=format!("run-case-{i}-selected")
                                            on:click=move |_| run(i, true)
                                        >
                                            "Run"
                                        </button>
                                        " "
                                        {move || verdict(i, true)}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
