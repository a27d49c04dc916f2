//! The Resources tab: the current account and region's encryption-by-default settings, KMS
//! keys, volumes, snapshots, images and instances with their state, key and lineage (which
//! snapshot a volume came from, which resources share one data key, where each data key is in
//! plaintext), and the sector view (what is on disk beside what the instance reads).
//!
//! Every button here runs an AWS CLI line through [`Ctx::run`]; nothing is decided here.

use super::Ctx;
use crate::model::iam::PrincipalKind;
use crate::model::Caller;
use crate::views::commands::{self, InstanceAction};
use crate::views::rows::{self, hex, printable};
use leptos::prelude::*;

/// The account and region the views show: the shell's current profile and region.
fn here(ctx: Ctx) -> Caller {
    ctx.session.with(|s| s.caller())
}

/// The Resources tab.
#[component]
pub fn ResourcesPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let selected_volume = RwSignal::new(None::<String>);
    view! {
        <div class="resources" data-testid="resources">
            <p class="where">
                "Showing account "
                <strong>{move || here(ctx).account}</strong>
                " in "
                <strong>{move || here(ctx).region}</strong>
                ". Switch with the buttons at the top."
            </p>
            <DefaultsCard/>
            <KeysCard/>
            <VolumesCard selected_volume/>
            <SectorView selected_volume/>
            <SnapshotsCard/>
            <ImagesCard/>
            <InstancesCard/>
            <super::rds_card::RdsCard/>
            <IamCard/>
            <super::s3_card::S3Card/>
        </div>
    }
}

#[component]
fn DefaultsCard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let settings = move || {
        let c = here(ctx);
        ctx.session.with(|s| rows::defaults(s.sim(), &c))
    };
    view! {
        <section class="card" aria-labelledby="h-defaults">
            <h2 id="h-defaults">"Encryption by default"</h2>
            <p>
                <span
                    class="badge"
                    class:ok=move || settings().0
                    data-testid="ebd-state"
                >
                    {move || if settings().0 { "Enabled" } else { "Disabled" }}
                </span>
                " Default KMS key: "
                <code>{move || settings().1}</code>
            </p>
            <div class="actions">
                <button on:click=move |_| {
                    ctx.run(&commands::set_encryption_by_default(!settings().0));
                }>{move || if settings().0 { "Disable" } else { "Enable" }}</button>
                <button on:click=move |_| {
                    ctx.run(&commands::reset_default_key());
                }>"Reset default key"</button>
            </div>
        </section>
    }
}

#[component]
fn KeysCard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let keys = move || {
        let c = here(ctx);
        ctx.session.with(|s| rows::keys(s.sim(), &c))
    };
    let new_alias = RwSignal::new(String::new());
    view! {
        <section class="card" aria-labelledby="h-keys">
            <h2 id="h-keys">"KMS keys"</h2>
            <div class="actions">
                <input
                    type="text"
                    placeholder="alias/name (optional)"
                    aria-label="Alias for a new key"
                    prop:value=move || new_alias.get()
                    on:input=move |ev| new_alias.set(event_target_value(&ev))
                />
                <button
                    class="primary"
                    on:click=move |_| {
                        let (line, alias) = commands::new_key(&new_alias.get_untracked());
                        let created = ctx.run(&line);
                        if let (Some(alias), Some(e)) = (alias, created) {
                            if let Some(next) = commands::alias_for_new_key(&alias, &e) {
                                ctx.run(&next);
                            }
                        }
                        new_alias.set(String::new());
                    }
                >
                    "Create key"
                </button>
            </div>
            <ul class="rows">
                <For
                    each=keys
                    key=|k| k.render_key()
                    children=move |k| {
                        let name = k.name();
                        let sub = k.sub();
                        let rows::KeyRow { id, state, spec, managed, .. } = k;
                        let id2 = id.clone();
                        let id3 = id.clone();
                        let id4 = id.clone();
                        let enabled = state == "Enabled";
                        let pending = state == "PendingDeletion";
                        view! {
                            <li class="row" data-key=id.clone()>
                                <div class="row-main">
                                    <strong>{name}</strong>
                                    <span class="badge" class:ok=enabled class:bad=!enabled>
                                        {state}
                                    </span>
                                    <span class="tag">
                                        {if managed { "AWS managed" } else { "customer managed" }}
                                    </span>
                                    <span class="tag">{spec}</span>
                                </div>
                                <div class="row-sub">
                                    <code>{id.clone()}</code>
                                    {sub}
                                </div>
                                {(!managed)
                                    .then(|| {
                                        view! {
                                            <div class="actions">
                                                {(!pending)
                                                    .then(|| {
                                                        view! {
                                                            <button on:click=move |_| {
                                                                ctx.run(&commands::set_key_enabled(&id2, !enabled));
                                                            }>{if enabled { "Disable" } else { "Enable" }}</button>
                                                        }
                                                    })}
                                                {if pending {
                                                    view! {
                                                        <button on:click=move |_| {
                                                            ctx.run(&commands::cancel_key_deletion(&id3));
                                                        }>"Cancel deletion"</button>
                                                    }
                                                        .into_any()
                                                } else {
                                                    view! {
                                                        <button
                                                            class="danger"
                                                            on:click=move |_| {
                                                                ctx.run(&commands::schedule_key_deletion(&id3, 7));
                                                            }
                                                        >
                                                            "Schedule deletion"
                                                        </button>
                                                    }
                                                        .into_any()
                                                }}
                                                <button on:click=move |_| {
                                                    ctx.run(&commands::make_default_key(&id4));
                                                }>"Make default"</button>
                                            </div>
                                        }
                                    })}
                            </li>
                        }
                    }
                />
            </ul>
            <p class="empty" class:hidden=move || !keys().is_empty()>
                "No keys yet here. The AWS managed key alias/aws/ebs appears when EBS first needs it."
            </p>
        </section>
    }
}

#[component]
fn VolumesCard(selected_volume: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let rows = move || {
        let c = here(ctx);
        ctx.session.with(|s| rows::volumes(s.sim(), &c))
    };
    view! {
        <section class="card" aria-labelledby="h-volumes">
            <h2 id="h-volumes">"Volumes"</h2>
            <ul class="rows" data-testid="volumes">
                <For
                    each=rows
                    key=|r| r.render_key()
                    children=move |r| {
                        let id = r.id.clone();
                        let id_snap = r.id.clone();
                        let id_del = r.id.clone();
                        let id_det = r.id.clone();
                        let id_sel = r.id.clone();
                        let attached = r.attached.is_some();
                        view! {
                            <li class="row" data-volume=id.clone()>
                                <div class="row-main">
                                    <strong>{id.clone()}</strong>
                                    <span class="badge">{r.state}</span>
                                    <span class="tag">{format!("{} GiB", r.size)}</span>
                                    {match &r.key {
                                        Some(k) => {
                                            view! {
                                                <span class="tag enc" title="Encrypted">"encrypted · " {k.clone()}</span>
                                            }
                                                .into_any()
                                        }
                                        None => view! { <span class="tag">"unencrypted"</span> }.into_any(),
                                    }}
                                </div>
                                <div class="row-sub">{r.sub()}</div>
                                {r
                                    .key_location()
                                    .map(|text| {
                                        view! {
                                            <div class="keyloc" class:hot=r.key_in_host>
                                                {text}
                                            </div>
                                        }
                                    })}
                                <div class="actions">
                                    <button on:click=move |_| {
                                        selected_volume.set(Some(id_sel.clone()))
                                    }>"Sectors"</button>
                                    <button on:click=move |_| {
                                        ctx.run(&commands::create_snapshot(&id_snap));
                                    }>"Snapshot"</button>
                                    {attached
                                        .then(|| {
                                            view! {
                                                <button on:click=move |_| {
                                                    ctx.run(&commands::detach_volume(&id_det));
                                                }>"Detach"</button>
                                            }
                                        })}
                                    <button
                                        class="danger"
                                        on:click=move |_| {
                                            ctx.run(&commands::delete_volume(&id_del));
                                        }
                                    >
                                        "Delete"
                                    </button>
                                </div>
                            </li>
                        }
                    }
                />
            </ul>
            <p class="empty" class:hidden=move || !rows().is_empty()>
                "No volumes here yet: create one from the Act tab or the console."
            </p>
        </section>
    }
}

#[component]
fn SectorView(selected_volume: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let text = RwSignal::new("Hello, encrypted world!".to_string());
    let sector = RwSignal::new(0u64);
    let info = move || {
        let id = selected_volume.get()?;
        ctx.session.with(|s| {
            let v = s.sim().volumes().find(|v| v.id == id)?;
            Some((
                v.id.clone(),
                v.encryption.is_some(),
                v.attachment
                    .as_ref()
                    .map(|a| (a.instance_id.clone(), a.device.clone())),
                s.sim().sector_view(&v.id, 64),
            ))
        })
    };
    move || {
        info().map(|(id, encrypted, attached, sectors)| {
            let write = {
                let attached = attached.clone();
                move |_| {
                    if let Some((inst, dev)) = &attached {
                        ctx.run(&commands::write_sector(
                            inst,
                            dev,
                            sector.get_untracked(),
                            &text.get_untracked(),
                        ));
                    }
                }
            };
            view! {
                <section class="card sectors" aria-labelledby="h-sectors" data-testid="sector-view">
                    <h2 id="h-sectors">"Sectors of " <code>{id.clone()}</code></h2>
                    <p class="hint">
                        {if encrypted {
                            "On disk: AES-256-XTS ciphertext (512-byte sectors, tweak = sector number). The instance sees plaintext only while the host holds the data key."
                        } else {
                            "Unencrypted: what is on disk is what the instance reads."
                        }}
                    </p>
                    {match attached.clone() {
                        Some((inst, dev)) => {
                            view! {
                                <div class="actions">
                                    <label>
                                        "Text"
                                        <input
                                            type="text"
                                            aria-label="Text to write"
                                            prop:value=move || text.get()
                                            on:input=move |ev| text.set(event_target_value(&ev))
                                        />
                                    </label>
                                    <label>
                                        "Sector"
                                        <input
                                            type="number"
                                            min="0"
                                            aria-label="Sector"
                                            prop:value=move || sector.get().to_string()
                                            on:input=move |ev| {
                                                sector.set(event_target_value(&ev).parse().unwrap_or(0))
                                            }
                                        />
                                    </label>
                                    <button class="primary" on:click=write>
                                        {format!("Write through {inst} ({dev})")}
                                    </button>
                                </div>
                            }
                                .into_any()
                        }
                        None => {
                            view! {
                                <p class="hint">
                                    "Attach the volume to a running instance to write through it."
                                </p>
                            }
                                .into_any()
                        }
                    }}
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">"Sector"</th>
                                <th scope="col">"On disk"</th>
                                <th scope="col">"Instance reads"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {sectors
                                .iter()
                                .map(|sv| {
                                    view! {
                                        <tr>
                                            <td>{sv.sector}</td>
                                            <td>
                                                <code class="cipher">{hex(&sv.on_disk, 24)}</code>
                                            </td>
                                            <td>
                                                {match &sv.instance_sees {
                                                    Some(p) => view! { <code class="plain">{printable(p)}</code> }.into_any(),
                                                    None => {
                                                        view! {
                                                            <span class="locked">
                                                                "unreadable: no data key in host memory"
                                                            </span>
                                                        }
                                                            .into_any()
                                                    }
                                                }}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    {sectors.is_empty().then(|| view! { <p class="empty">"Nothing written yet."</p> })}
                </section>
            }
        })
    }
}

#[component]
fn SnapshotsCard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let rows = move || {
        let c = here(ctx);
        ctx.session.with(|s| rows::snapshots(s.sim(), &c))
    };
    view! {
        <section class="card" aria-labelledby="h-snapshots">
            <h2 id="h-snapshots">"Snapshots"</h2>
            <ul class="rows" data-testid="snapshots">
                <For
                    each=rows
                    key=|r| format!("{}|{}|{}", r.id, r.sub, r.state)
                    children=move |r| {
                        let rows::SnapshotRow { id, shared, encrypted, key, sub, state } = r;
                        let idc = id.clone();
                        view! {
                            <li class="row">
                                <div class="row-main">
                                    <strong>{id.clone()}</strong>
                                    <span class="badge">{state}</span>
                                    <span class="tag" class:enc=encrypted>{key}</span>
                                    {shared.then(|| view! { <span class="tag">"shared with you"</span> })}
                                </div>
                                <div class="row-sub">{sub}</div>
                                <div class="actions">
                                    <button on:click=move |_| {
                                        let zone = ctx.session.with_untracked(|s| s.default_zone());
                                        ctx.console_draft.set(Some(commands::volume_from_snapshot(&idc, &zone)));
                                    }>"Volume from it…"</button>
                                </div>
                            </li>
                        }
                    }
                />
            </ul>
            <p class="empty" class:hidden=move || !rows().is_empty()>"No snapshots here."</p>
        </section>
    }
}

#[component]
fn ImagesCard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let rows = move || {
        let c = here(ctx);
        ctx.session.with(|s| rows::images(s.sim(), &c))
    };
    view! {
        <section class="card" aria-labelledby="h-images">
            <h2 id="h-images">"Images (AMIs)"</h2>
            <ul class="rows">
                <For
                    each=rows
                    key=|r| format!("{}|{}", r.id, r.state)
                    children=move |r| {
                        let rows::ImageRow { id, name, state, mappings: maps, public } = r;
                        view! {
                            <li class="row">
                                <div class="row-main">
                                    <strong>{id}</strong>
                                    <span class="badge">{state}</span>
                                    {public.then(|| view! { <span class="tag">"public"</span> })}
                                </div>
                                <div class="row-sub">
                                    {format!("{name} · {maps}")}
                                </div>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}

#[component]
fn InstancesCard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let rows = move || {
        let c = here(ctx);
        ctx.session.with(|s| rows::instances(s.sim(), &c))
    };
    view! {
        <section class="card" aria-labelledby="h-instances">
            <h2 id="h-instances">"Instances"</h2>
            <ul class="rows" data-testid="instances">
                <For
                    each=rows
                    key=|r| r.render_key()
                    children=move |r| {
                        let rows::InstanceRow { id, instance_type: ty, state, volumes: vols, reason } = r;
                        let running = state == "running";
                        let stopped = state == "stopped";
                        let (a, b, c) = (id.clone(), id.clone(), id.clone());
                        view! {
                            <li class="row">
                                <div class="row-main">
                                    <strong>{id.clone()}</strong>
                                    <span class="badge" class:ok=running>{state}</span>
                                    <span class="tag">{ty}</span>
                                </div>
                                <div class="row-sub">
                                    {if vols.is_empty() { "no volumes".to_string() } else { vols }}
                                </div>
                                {reason.map(|r| view! { <div class="row-sub bad">{r}</div> })}
                                <div class="actions">
                                    {running
                                        .then(|| {
                                            view! {
                                                <button on:click=move |_| {
                                                    ctx.run(&commands::instance_action(InstanceAction::Stop, &a));
                                                }>"Stop"</button>
                                            }
                                        })}
                                    {stopped
                                        .then(|| {
                                            view! {
                                                <button on:click=move |_| {
                                                    ctx.run(&commands::instance_action(InstanceAction::Start, &b));
                                                }>"Start"</button>
                                            }
                                        })}
                                    <button
                                        class="danger"
                                        on:click=move |_| {
                                            ctx.run(&commands::instance_action(InstanceAction::Terminate, &c));
                                        }
                                    >
                                        "Terminate"
                                    </button>
                                </div>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}

/// Users and roles of the account: their policies, who each role trusts, and the console
/// profiles that act as them.
#[component]
fn IamCard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let rows = move || {
        let c = here(ctx);
        ctx.session.with(|s| rows::iam(s, &c))
    };
    view! {
        <section class="card" aria-labelledby="h-iam" data-testid="iam-card">
            <h2 id="h-iam">"IAM users and roles"</h2>
            <ul class="rows">
                <For
                    each=rows
                    key=|r| format!("{}|{}|{}|{}", r.arn, r.policies, r.trusted, r.profiles)
                    children=move |r| {
                        let rows::IamRow { arn, kind, name, policies, trusted, profiles, service_linked: service } = r;
                        view! {
                            <li class="row" title=arn>
                                <div class="row-main">
                                    <strong>{name}</strong>
                                    <span class="badge">{kind.as_str()}</span>
                                    {service.then(|| view! { <span class="tag">"service-linked"</span> })}
                                    {(!profiles.is_empty()).then(|| view! { <span class="tag">{format!("profile {profiles}")}</span> })}
                                </div>
                                <div class="row-sub">
                                    {if policies.is_empty() { "no policies".to_string() } else { format!("policies: {policies}") }}
                                </div>
                                {(kind == PrincipalKind::Role).then(|| view! {
                                    <div class="row-sub">
                                        {if trusted.is_empty() { "trusts no one".to_string() } else { format!("may be assumed by: {trusted}") }}
                                    </div>
                                })}
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}
