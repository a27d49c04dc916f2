//! The Resources tab of an Alibaba Cloud world: account-level default encryption, KMS keys (a
//! warning listing what depends on a key before it is disabled), disks with where each data
//! key is, instances (reboot, stop, start; an I/O hang shows), snapshots and custom images.
//!
//! The rows come from [`crate::views::aliyun_rows`]; every button runs an `aliyun` line
//! through [`Ctx::run`].

use super::Ctx;
use crate::views::aliyun_rows::{self as rows, lines};
use leptos::prelude::*;

/// One part of the card, for the session's current account and region (each part reads only
/// what it shows).
fn part<T>(ctx: Ctx, f: impl Fn(&crate::model::aliyun::Aliyun, &crate::model::Caller) -> T) -> T {
    ctx.session.with(|s| f(s.sim().aliyun(), &s.caller()))
}

/// The Alibaba Cloud Resources tab.
#[component]
pub fn EcsResources() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let here = move || ctx.session.with(|s| s.caller());
    view! {
        <div class="resources" data-testid="ecs-resources">
            <p class="where">
                "Showing Alibaba Cloud account "
                <strong>{move || here().account}</strong>
                " in "
                <strong>{move || here().region}</strong>
                ". Switch with the buttons at the top."
            </p>
            <EcsDefaults/>
            <EcsKeys/>
            <EcsDisks/>
            <EcsInstances/>
            <EcsCopies/>
        </div>
    }
}

#[component]
fn EcsDefaults() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let d = move || part(ctx, rows::defaults);
    view! {
        <section class="card" aria-labelledby="h-ecs-defaults">
            <h2 id="h-ecs-defaults">"Account-level default encryption"</h2>
            <p>
                <span class="badge" class:ok=move || d().0 data-testid="ecs-default-state">
                    {move || if d().0 { "Enabled" } else { "Disabled" }}
                </span>
                " New disks use: "
                <code>{move || d().1}</code>
            </p>
            <div class="actions">
                <button on:click=move |_| {
                    ctx.run(&lines::default_encryption(!d().0));
                }>{move || if d().0 { "Disable" } else { "Enable" }}</button>
                <button on:click=move |_| {
                    ctx.run("aliyun ecs ResetDiskDefaultKMSKeyId");
                }>"Reset to the service key"</button>
            </div>
        </section>
    }
}

#[component]
fn EcsKeys() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let keys = move || part(ctx, rows::keys);
    view! {
        <section class="card" aria-labelledby="h-ecs-keys">
            <h2 id="h-ecs-keys">"KMS keys"</h2>
            <div class="actions">
                <button
                    class="primary"
                    data-testid="ecs-create-key"
                    on:click=move |_| {
                        ctx.run("aliyun kms CreateKey --Description 'disk key'");
                    }
                >
                    "Create CMK"
                </button>
            </div>
            <ul class="rows">
                <For
                    each=keys
                    key=|k| (k.id.clone(), k.state, k.dependents)
                    children=move |k| {
                        let rows::KeyRow { id, name, state, service_key, spec, dependents } = k;
                        let enabled = state == "Enabled";
                        let pending = state == "PendingDeletion";
                        let (id1, id2) = (id.clone(), id.clone());
                        view! {
                            <li class="row" data-key=id.clone()>
                                <div class="row-main">
                                    <strong>{name}</strong>
                                    <span class="badge" class:ok=enabled class:bad=!enabled>
                                        {state}
                                    </span>
                                    <span class="tag">
                                        {if service_key { "service key" } else { "CMK" }}
                                    </span>
                                    <span class="tag">{spec}</span>
                                </div>
                                <div class="row-sub">
                                    <code>{id.clone()}</code>
                                    {match dependents {
                                        0 => " · nothing encrypted under it".to_string(),
                                        1 => " · 1 disk, snapshot or image under it".to_string(),
                                        n => format!(" · {n} disks, snapshots or images under it"),
                                    }}
                                </div>
                                {(!service_key)
                                    .then(|| {
                                        view! {
                                            <div class="actions">
                                                {(!pending)
                                                    .then(|| {
                                                        view! {
                                                            <button
                                                                data-testid=format!("ecs-key-toggle-{id1}")
                                                                on:click=move |_| {
                                                                    if enabled {
                                                                        let warn = ctx
                                                                            .session
                                                                            .with_untracked(|s| rows::disable_warning(s.sim().aliyun(), &id1));
                                                                        if !super::browser::confirm(&warn) {
                                                                            return;
                                                                        }
                                                                    }
                                                                    ctx.run(&lines::set_key_enabled(&id1, !enabled));
                                                                }
                                                            >
                                                                {if enabled { "Disable" } else { "Enable" }}
                                                            </button>
                                                        }
                                                    })}
                                                {if pending {
                                                    view! {
                                                        <button on:click=move |_| {
                                                            ctx.run(&lines::cancel_deletion(&id2));
                                                        }>"Cancel deletion"</button>
                                                    }
                                                        .into_any()
                                                } else {
                                                    view! {
                                                        <button
                                                            class="danger"
                                                            on:click=move |_| {
                                                                let warn = ctx
                                                                    .session
                                                                    .with_untracked(|s| rows::disable_warning(s.sim().aliyun(), &id2))
                                                                    .replacen("Disable", "Schedule the deletion of", 1);
                                                                if super::browser::confirm(&warn) {
                                                                    ctx.run(&lines::schedule_deletion(&id2));
                                                                }
                                                            }
                                                        >
                                                            "Schedule deletion"
                                                        </button>
                                                    }
                                                        .into_any()
                                                }}
                                            </div>
                                        }
                                    })}
                            </li>
                        }
                    }
                />
            </ul>
            <p class="empty" class:hidden=move || !keys().is_empty()>
                "No keys yet here. The service key alias/acs/ecs appears when ECS first needs it."
            </p>
        </section>
    }
}

#[component]
fn EcsDisks() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let disks = move || part(ctx, rows::disks);
    view! {
        <section class="card" aria-labelledby="h-ecs-disks">
            <h2 id="h-ecs-disks">"Disks"</h2>
            <ul class="rows" data-testid="ecs-disks">
                <For
                    each=disks
                    key=|d| (d.id.clone(), d.status, d.key.clone(), d.instance.clone(), d.key_in_host, d.io_hang)
                    children=move |d| {
                        let location = d.key_location();
                        let rows::DiskRow { id, kind, what, status, key, instance, io_hang, .. } = d;
                        let (id1, id2, id3) = (id.clone(), id.clone(), id.clone());
                        let attached = instance.clone();
                        view! {
                            <li class="row" data-disk=id.clone()>
                                <div class="row-main">
                                    <strong>{id.clone()}</strong>
                                    <span class="tag">{kind}</span>
                                    <span class="tag">{what}</span>
                                    <span class="badge">{status}</span>
                                    {match key {
                                        Some(k) => view! { <span class="badge ok">{format!("encrypted: {k}")}</span> }.into_any(),
                                        None => view! { <span class="badge">"not encrypted"</span> }.into_any(),
                                    }}
                                </div>
                                <div class="row-sub" class:bad=io_hang>
                                    {instance.map(|i| format!("attached to {i} · ")).unwrap_or_default()}
                                    {location}
                                </div>
                                <div class="actions">
                                    <button on:click=move |_| {
                                        ctx.run(&lines::snapshot(&id1));
                                    }>"Snapshot"</button>
                                    {match attached {
                                        Some(i) => view! {
                                            <button on:click=move |_| {
                                                ctx.run(&lines::write(&i, &id2, "hello from the playground"));
                                            }>"Write text"</button>
                                        }.into_any(),
                                        None => view! {
                                            <button class="danger" on:click=move |_| {
                                                ctx.run(&lines::delete_disk(&id3));
                                            }>"Delete"</button>
                                        }.into_any(),
                                    }}
                                </div>
                            </li>
                        }
                    }
                />
            </ul>
            <p class="empty" class:hidden=move || !disks().is_empty()>
                "No disks yet: Act → Create encrypted disk, or aliyun ecs CreateDisk in the console."
            </p>
        </section>
    }
}

#[component]
fn EcsInstances() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let instances = move || part(ctx, rows::instances);
    view! {
        <section class="card" aria-labelledby="h-ecs-instances">
            <h2 id="h-ecs-instances">"Instances"</h2>
            <ul class="rows" data-testid="ecs-instances">
                <For
                    each=instances
                    key=|i| (i.id.clone(), i.status.clone(), i.io_hang)
                    children=move |i| {
                        let rows::InstanceRow { id, what, status, io_hang } = i;
                        let running = status == "Running";
                        let (a, b) = (id.clone(), id.clone());
                        view! {
                            <li class="row" data-instance=id.clone()>
                                <div class="row-main">
                                    <strong>{id.clone()}</strong>
                                    <span class="badge" class:ok=running>{status}</span>
                                    {io_hang.then(|| view! {
                                        <span class="badge bad" data-testid="io-hang">"disk I/O hangs"</span>
                                    })}
                                </div>
                                <div class="row-sub">{what}</div>
                                <div class="actions">
                                    <button
                                        data-testid=format!("reboot-{a}")
                                        on:click=move |_| {
                                            ctx.run(&lines::instance("RebootInstance", &a));
                                        }
                                    >"Reboot"</button>
                                    <button on:click=move |_| {
                                        let action = if running { "StopInstance" } else { "StartInstance" };
                                        ctx.run(&lines::instance(action, &b));
                                    }>{if running { "Stop" } else { "Start" }}</button>
                                </div>
                            </li>
                        }
                    }
                />
            </ul>
            <p class="empty" class:hidden=move || !instances().is_empty()>
                "No instances yet: aliyun ecs RunInstances in the console."
            </p>
        </section>
    }
}

#[component]
fn EcsCopies() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let list = move || {
        part(ctx, |a, here| {
            rows::snapshots(a, here)
                .into_iter()
                .map(|r| ("snapshot", r))
                .chain(rows::images(a, here).into_iter().map(|r| ("image", r)))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" aria-labelledby="h-ecs-copies">
            <h2 id="h-ecs-copies">"Snapshots and images"</h2>
            <ul class="rows">
                <For
                    each=list
                    key=|(k, r)| (*k, r.id.clone(), r.status.clone(), r.key.clone(), r.sharing.clone())
                    children=move |(kind, r)| {
                        let rows::CopyRow { id, what, status, key, sharing } = r;
                        view! {
                            <li class="row">
                                <div class="row-main">
                                    <strong>{id}</strong>
                                    <span class="tag">{kind}</span>
                                    <span class="badge">{status}</span>
                                    {match key {
                                        Some(k) => view! { <span class="badge ok">{format!("encrypted: {k}")}</span> }.into_any(),
                                        None => view! { <span class="badge">"not encrypted"</span> }.into_any(),
                                    }}
                                </div>
                                <div class="row-sub">{what}{sharing.map(|s| format!(" · {s}"))}</div>
                            </li>
                        }
                    }
                />
            </ul>
            <p class="empty" class:hidden=move || !list().is_empty()>
                "No snapshots or custom images yet."
            </p>
        </section>
    }
}

/// The Policies tab of an Alibaba Cloud world: RAM users, roles and custom policies, with the
/// policies attached to each (RAM policies are written with `aliyun ram CreatePolicy`).
#[component]
pub fn RamPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ram = move || ctx.session.with(rows::ram);
    view! {
        <div class="resources" data-testid="ram-panel">
            <section class="card" aria-labelledby="h-ram">
                <h2 id="h-ram">"RAM"</h2>
                <p class="hint">
                    "RAM policies are JSON documents (Version \"1\", Statement, Effect, Action, Resource, Condition) evaluated for every request a RAM user makes. Create one with aliyun ram CreatePolicy and attach it with AttachPolicyToUser; the Scenarios tab has seed 002's encrypted-disks-only policy and AliyunKMSReadOnlyAccess."
                </p>
                <ul class="rows">
                    <For
                        each=ram
                        key=|r| r.clone()
                        children=move |r| {
                            let rows::RamRow { kind, name, attached } = r;
                            view! {
                                <li class="row">
                                    <div class="row-main">
                                        <strong>{name}</strong>
                                        <span class="tag">{kind}</span>
                                    </div>
                                    <div class="row-sub">{attached}</div>
                                </li>
                            }
                        }
                    />
                </ul>
                <p class="empty" class:hidden=move || !ram().is_empty()>
                    "No RAM users, roles or custom policies yet."
                </p>
            </section>
        </div>
    }
}
