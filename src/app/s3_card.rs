//! The S3 card of the Resources tab: the account's buckets with their default encryption, and
//! their objects with their encryption, key and Bucket Key flag. It draws the rows of
//! [`crate::views::s3_rows`] only.

use super::Ctx;
use crate::views::s3_rows::{self, BucketRow, ObjectRow};
use leptos::prelude::*;

/// The S3 card.
#[component]
pub fn S3Card() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let rows = move || ctx.session.with(|s| s3_rows::buckets(s.sim(), &s.caller()));
    view! {
        <section class="card" aria-labelledby="h-s3" data-testid="s3-card">
            <h2 id="h-s3">"S3 buckets"</h2>
            <ul class="rows" data-testid="buckets">
                <For
                    each=rows
                    key=BucketRow::row_key
                    children=move |b| {
                        let BucketRow { name, region, default, sub, objects } = b;
                        view! {
                            <li class="row">
                                <div class="row-main">
                                    <strong>{name}</strong>
                                    <span class="badge">{region}</span>
                                    <span class="tag enc">{default}</span>
                                </div>
                                <div class="row-sub">{sub}</div>
                                <ul class="rows objects">
                                    {objects.into_iter().map(|o| {
                                        let ObjectRow { key, encryption, kms, bucket_key, sub } = o;
                                        view! {
                                            <li class="row" data-testid="s3-object">
                                                <div class="row-main">
                                                    <span>{key}</span>
                                                    <span class="tag enc" class:kms=kms>{encryption}</span>
                                                    {bucket_key.then(|| view! { <span class="tag">"Bucket Key"</span> })}
                                                </div>
                                                <div class="row-sub">{sub}</div>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </li>
                        }
                    }
                />
            </ul>
            <p class="empty" class:hidden=move || !rows().is_empty()>"No buckets in this account."</p>
        </section>
    }
}
