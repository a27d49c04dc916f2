//! Seed 003's comparison of S3, EBS and RDS (in the Outcomes tab), every cell runnable: a click
//! starts a fresh session, runs the cell's lines and selects the call that proves its claim in
//! the diagram. The table's text, lines and proofs are [`crate::views::compare`]'s; this file
//! only draws them and runs the lines through the session.

use super::Ctx;
use crate::session::Session;
use crate::views::compare::{rows, verdict, Verdict, SERVICES};
use leptos::prelude::*;

/// The comparison table.
#[component]
pub fn CompareTable() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // The cell run last (row id, column) and what it showed.
    let ran = RwSignal::new(None::<(&'static str, usize, Verdict)>);
    let run = move |row: &'static str, col: usize| {
        let Some(cell) = crate::views::compare::cell(row, col) else {
            return;
        };
        let fresh = ctx.session.with_untracked(|s| s.entries().is_empty());
        if !fresh
            && !super::browser::confirm(
                "Each cell runs from a fresh session. Replace the current session? (Export it first to keep it.)",
            )
        {
            return;
        }
        ctx.session.set(Session::default());
        ctx.playhead.set(None);
        ctx.playing.set(false);
        ctx.run_all(&cell.commands);
        let v = ctx.session.with_untracked(|s| verdict(s, 0, &cell));
        ctx.selected.set(v.proof);
        ctx.announce.set(match &v.problem {
            None => format!("{}: shown; the proof call is selected.", cell.claim),
            Some(p) => format!("Not shown: {p}"),
        });
        ran.set(Some((row, col, v)));
    };
    let table = rows()
        .into_iter()
        .map(|r| {
            let id = r.id;
            let cells = r
                .cells
                .into_iter()
                .enumerate()
                .map(|(col, c)| {
                    let is_ran = move || {
                        ran.with(|x| x.as_ref().is_some_and(|(i, k, _)| *i == id && *k == col))
                    };
                    let label = format!("Run: {}, {}", r.question, SERVICES[col]);
                    view! {
                        <td class:cell-matched=is_ran>
                            {c.claim}
                            " "
                            <button
                                aria-label=label
                                data-cell=format!("{id}/{col}")
                                title=c.commands.join("\n")
                                on:click=move |_| run(id, col)
                            >
                                "Run"
                            </button>
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr data-row=id>
                    <th scope="row">{r.question}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="outcomes-panel compare-panel" data-testid="compare">
            <h2>"S3, EBS and RDS with KMS"</h2>
            <p class="hint">
                "How the three services use AWS KMS, from seed 003. Run a cell: it starts a fresh session, runs a few commands and selects the call that shows the claim in the diagram."
            </p>
            <p aria-live="polite" data-testid="compare-result">
                {move || {
                    ran.with(|r| match r {
                        None => "No cell run yet.".to_string(),
                        Some((_, _, Verdict { problem: None, .. })) => {
                            "✓ Shown in the diagram: the proof call is selected.".to_string()
                        }
                        Some((_, _, Verdict { problem: Some(p), .. })) => format!("✕ Not shown: {p}"),
                    })
                }}
            </p>
            <table class="outcomes compare">
                <thead>
                    <tr>
                        <th scope="col"></th>
                        {SERVICES.iter().map(|s| view! { <th scope="col">{*s}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>{table}</tbody>
            </table>
            <p class="hint">
                "S3 Bucket Keys: with BucketKeyEnabled, S3 asks KMS for one bucket-level key (encryption context: the bucket's ARN) and derives each object's data key from it, so far fewer KMS requests and CloudTrail events."
            </p>
        </div>
    }
}
