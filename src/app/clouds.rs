//! "The two clouds side by side" (the Outcomes tab): the same action on AWS and on Alibaba
//! Cloud, each run in a scratch session of its own, with the commands and the requests each
//! cloud's services made, in two columns. The current session is not touched; the pairs and
//! their runs come from [`crate::views::clouds`].

use crate::views::clouds::{pairs, run_pair, Side};
use leptos::prelude::*;

fn column(name: &'static str, side: Side) -> impl IntoView {
    view! {
        <div class="cloud-side">
            <h4>{name}</h4>
            <ol class="cloud-lines">
                {side
                    .lines
                    .into_iter()
                    .map(|(line, code)| {
                        let failed = code.is_some();
                        view! {
                            <li class:bad=failed>
                                <code>{line}</code>
                                {code.map(|c| view! { <span class="badge bad">{c}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <ul class="cloud-calls" data-testid=format!("cloud-calls-{}", name.to_ascii_lowercase().replace(' ', "-"))>
                {side.calls.into_iter().map(|c| view! { <li class="mono">{c}</li> }).collect_view()}
            </ul>
        </div>
    }
}

/// The pairs, each runnable on both clouds at once.
#[component]
pub fn CloudsCompare() -> impl IntoView {
    let shown = RwSignal::new(None::<&'static str>);
    view! {
        <section class="outcomes-panel clouds" data-testid="clouds-compare">
            <h2>"AWS and Alibaba Cloud side by side"</h2>
            <p class="hint">
                "The same action on both clouds, each in a fresh session of its own (your session is not changed): the commands, and the requests each cloud's services made to each other. Steps marked (inferred) are not published by the cloud."
            </p>
            <ul class="cloud-pairs">
                {pairs()
                    .into_iter()
                    .map(|p| {
                        let id = p.id;
                        let open = move || shown.get() == Some(id);
                        let difference = p.difference;
                        view! {
                            <li>
                                <button
                                    data-testid=format!("clouds-{id}")
                                    aria-expanded=move || open().to_string()
                                    on:click=move |_| shown.set(if open() { None } else { Some(id) })
                                >
                                    {p.title}
                                </button>
                                {move || {
                                    open()
                                        .then(|| {
                                            let (aws, ali) = run_pair(&p);
                                            view! {
                                                <p class="hint">{difference}</p>
                                                <div class="cloud-columns">
                                                    {column("AWS", aws)}
                                                    {column("Alibaba Cloud", ali)}
                                                </div>
                                            }
                                        })
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
