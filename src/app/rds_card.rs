//! The RDS card of the Resources tab: DB instances and DB snapshots with status, encryption,
//! key, where the data key is and sharing (rows from `views::rds_rows`).

use super::Ctx;
use crate::views::rds_rows;
use leptos::prelude::*;

/// The RDS card.
#[component]
pub fn RdsCard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let rows = move || {
        let c = ctx.session.with(|s| s.caller());
        ctx.session.with(|s| rds_rows::db_rows(s.sim(), &c))
    };
    view! {
        <section class="card" aria-labelledby="h-rds" data-testid="rds-card">
            <h2 id="h-rds">"RDS databases and snapshots"</h2>
            <ul class="rows" data-testid="rds-rows">
                <For
                    each=rows
                    key=|r| format!("{}|{}|{}|{}", r.kind, r.id, r.status, r.sub)
                    children=move |r| {
                        let rds_rows::DbRow { kind, id, status, encrypted, key, sub } = r;
                        view! {
                            <li class="row">
                                <div class="row-main">
                                    <span class="tag">{kind}</span>
                                    <strong>{id}</strong>
                                    <span class="badge">{status}</span>
                                    <span class="tag" class:enc=encrypted>{key}</span>
                                </div>
                                <div class="row-sub">{sub}</div>
                            </li>
                        }
                    }
                />
            </ul>
            <p class="empty" class:hidden=move || !rows().is_empty()>"No RDS databases here."</p>
        </section>
    }
}
