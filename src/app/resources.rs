//! The Resources tab: the current account and region's encryption-by-default settings, KMS
//! keys, volumes, snapshots, images and instances with their state, key and lineage (which
//! snapshot a volume came from, which resources share one data key, where each data key is in
//! plaintext), and the sector view (what is on disk beside what the instance reads).
//!
//! Every button here runs an AWS CLI line through [`Ctx::run`]; nothing is decided here.

use super::Ctx;
use crate::cli::shell::shell_quote;
use crate::model::ebs::{Snapshot, Volume};
use crate::model::{Caller, Sim};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The account and region the views show: the shell's current profile and region.
fn here(ctx: Ctx) -> Caller {
    ctx.session.with(|s| s.caller())
}

/// A short, readable name for a key ARN: its first alias, else its id.
pub fn key_name(sim: &Sim, arn: &str) -> String {
    let id = arn.rsplit('/').next().unwrap_or(arn);
    sim.aliases_of(id)
        .into_iter()
        .next()
        .unwrap_or_else(|| id.chars().take(8).collect::<String>() + "…")
}

/// Resource ids per data-key label (`dk-3`), to show which resources share a data key.
fn data_key_users(sim: &Sim) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for v in sim.volumes() {
        if let Some(e) = &v.encryption {
            m.entry(e.data_key_id.clone())
                .or_default()
                .push(v.id.clone());
        }
    }
    for s in sim.snapshots() {
        if let Some(e) = &s.encryption {
            m.entry(e.data_key_id.clone())
                .or_default()
                .push(s.id.clone());
        }
    }
    m
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
            <IamCard/>
        </div>
    }
}

#[component]
fn DefaultsCard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let settings = move || {
        let c = here(ctx);
        ctx.session.with(|s| {
            let st = s.sim().ebs_settings(&c.account, &c.region);
            let key = st
                .default_kms_key
                .as_deref()
                .map(|k| key_name(s.sim(), k))
                .unwrap_or_else(|| "alias/aws/ebs (AWS managed)".into());
            (st.encryption_by_default, key)
        })
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
                    ctx.run(
                        if settings().0 {
                            "aws ec2 disable-ebs-encryption-by-default"
                        } else {
                            "aws ec2 enable-ebs-encryption-by-default"
                        },
                    );
                }>{move || if settings().0 { "Disable" } else { "Enable" }}</button>
                <button on:click=move |_| {
                    ctx.run("aws ec2 reset-ebs-default-kms-key-id");
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
        ctx.session.with(|s| {
            s.sim()
                .keys()
                .filter(|k| k.account == c.account && k.region == c.region)
                .map(|k| {
                    let aliases = s.sim().aliases_of(&k.key_id);
                    let grants = s.sim().grants_on(&k.arn).len();
                    (
                        k.key_id.clone(),
                        aliases,
                        k.state.as_str(),
                        k.key_spec.clone(),
                        k.aws_managed,
                        k.rotation_enabled,
                        k.material_versions,
                        grants,
                    )
                })
                .collect::<Vec<_>>()
        })
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
                        let alias = new_alias.get_untracked();
                        let alias = alias.trim();
                        if alias.is_empty() {
                            ctx.run("aws kms create-key --description 'Customer managed key'");
                        } else {
                            let alias = if alias.starts_with("alias/") {
                                alias.to_string()
                            } else {
                                format!("alias/{alias}")
                            };
                            let var = "KEY";
                            ctx.run_all(
                                &[
                                    format!(
                                        "{var}=$(aws kms create-key --description {} --query KeyMetadata.KeyId --output text)",
                                        shell_quote(&alias),
                                    ),
                                    format!(
                                        "aws kms create-alias --alias-name {} --target-key-id ${var}",
                                        shell_quote(&alias),
                                    ),
                                ],
                            );
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
                    key=|k| format!("{}{}{}{}{}", k.0, k.1.join(","), k.2, k.5, k.7)
                    children=move |(id, aliases, state, spec, managed, rotation, versions, grants)| {
                        let name = aliases.first().cloned().unwrap_or_else(|| id.clone());
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
                                    {format!(
                                        " · {} material version{} · rotation {} · {} grant{}",
                                        versions,
                                        if versions == 1 { "" } else { "s" },
                                        if rotation { "on" } else { "off" },
                                        grants,
                                        if grants == 1 { "" } else { "s" },
                                    )}
                                </div>
                                {(!managed)
                                    .then(|| {
                                        view! {
                                            <div class="actions">
                                                {(!pending)
                                                    .then(|| {
                                                        view! {
                                                            <button on:click=move |_| {
                                                                ctx.run(
                                                                    &format!(
                                                                        "aws kms {} --key-id {id2}",
                                                                        if enabled { "disable-key" } else { "enable-key" },
                                                                    ),
                                                                );
                                                            }>{if enabled { "Disable" } else { "Enable" }}</button>
                                                        }
                                                    })}
                                                {if pending {
                                                    view! {
                                                        <button on:click=move |_| {
                                                            ctx.run(&format!("aws kms cancel-key-deletion --key-id {id3}"));
                                                        }>"Cancel deletion"</button>
                                                    }
                                                        .into_any()
                                                } else {
                                                    view! {
                                                        <button
                                                            class="danger"
                                                            on:click=move |_| {
                                                                ctx.run(
                                                                    &format!(
                                                                        "aws kms schedule-key-deletion --key-id {id3} --pending-window-in-days 7",
                                                                    ),
                                                                );
                                                            }
                                                        >
                                                            "Schedule deletion"
                                                        </button>
                                                    }
                                                        .into_any()
                                                }}
                                                <button on:click=move |_| {
                                                    ctx.run(&format!("aws ec2 modify-ebs-default-kms-key-id --kms-key-id {id4}"));
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

/// What a volume row shows.
#[derive(Clone, PartialEq)]
struct VolumeRow {
    id: String,
    size: u64,
    state: &'static str,
    key: Option<String>,
    data_key: Option<String>,
    shares_with: Vec<String>,
    from_snapshot: Option<String>,
    attached: Option<(String, String)>,
    key_in_host: bool,
    stored: usize,
}

fn volume_row(sim: &Sim, v: &Volume, users: &BTreeMap<String, Vec<String>>) -> VolumeRow {
    let data_key = v.encryption.as_ref().map(|e| e.data_key_id.clone());
    VolumeRow {
        id: v.id.clone(),
        size: v.size_gib,
        state: v.state.as_str(),
        key: v.encryption.as_ref().map(|e| key_name(sim, &e.kms_key_arn)),
        shares_with: data_key
            .as_ref()
            .and_then(|d| users.get(d))
            .map(|u| u.iter().filter(|x| **x != v.id).cloned().collect())
            .unwrap_or_default(),
        data_key,
        from_snapshot: v.snapshot_id.clone(),
        attached: v
            .attachment
            .as_ref()
            .map(|a| (a.instance_id.clone(), a.device.clone())),
        key_in_host: v.key_in_host(),
        stored: v.sectors.0.len(),
    }
}

#[component]
fn VolumesCard(selected_volume: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let rows = move || {
        let c = here(ctx);
        ctx.session.with(|s| {
            let users = data_key_users(s.sim());
            s.sim()
                .volumes()
                .filter(|v| v.account == c.account && v.region == c.region)
                .map(|v| volume_row(s.sim(), v, &users))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" aria-labelledby="h-volumes">
            <h2 id="h-volumes">"Volumes"</h2>
            <ul class="rows" data-testid="volumes">
                <For
                    each=rows
                    key=|r| {
                        let (instance, device) = r.attached.clone().unwrap_or_default();
                        format!(
                            "{}|{}|{}|{instance}|{device}|{}|{}",
                            r.id,
                            r.state,
                            r.key_in_host,
                            r.stored,
                            r.shares_with.join(","),
                        )
                    }
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
                                <div class="row-sub">
                                    {r
                                        .from_snapshot
                                        .clone()
                                        .map(|s| format!("from {s} · "))
                                        .unwrap_or_default()}
                                    {r
                                        .attached
                                        .clone()
                                        .map(|(i, d)| format!("attached to {i} as {d} · "))
                                        .unwrap_or_default()}
                                    {format!("{} sector(s) written", r.stored)}
                                </div>
                                {r
                                    .data_key
                                    .clone()
                                    .map(|dk| {
                                        view! {
                                            <div class="keyloc" class:hot=r.key_in_host>
                                                {if r.key_in_host {
                                                    format!(
                                                        "Data key {dk}: plaintext in host memory (attached); encrypted copy in volume metadata",
                                                    )
                                                } else {
                                                    format!(
                                                        "Data key {dk}: only encrypted, in volume metadata — nowhere in plaintext",
                                                    )
                                                }}
                                                {(!r.shares_with.is_empty())
                                                    .then(|| {
                                                        format!(" · same data key as {}", r.shares_with.join(", "))
                                                    })}
                                            </div>
                                        }
                                    })}
                                <div class="actions">
                                    <button on:click=move |_| {
                                        selected_volume.set(Some(id_sel.clone()))
                                    }>"Sectors"</button>
                                    <button on:click=move |_| {
                                        ctx.run(&format!("aws ec2 create-snapshot --volume-id {id_snap}"));
                                    }>"Snapshot"</button>
                                    {attached
                                        .then(|| {
                                            view! {
                                                <button on:click=move |_| {
                                                    ctx.run(&format!("aws ec2 detach-volume --volume-id {id_det}"));
                                                }>"Detach"</button>
                                            }
                                        })}
                                    <button
                                        class="danger"
                                        on:click=move |_| {
                                            ctx.run(&format!("aws ec2 delete-volume --volume-id {id_del}"));
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

/// Printable form of sector bytes: text up to the first NUL, with non-printables as "·".
fn printable(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    b[..end]
        .iter()
        .map(|&c| {
            if (0x20..0x7f).contains(&c) {
                c as char
            } else {
                '·'
            }
        })
        .collect()
}

fn hex(b: &[u8], max: usize) -> String {
    let mut s: String = b.iter().take(max).map(|x| format!("{x:02x}")).collect();
    if b.len() > max {
        s.push('…');
    }
    s
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
                        ctx.run(&format!(
                            "play write --instance-id {inst} --device {dev} --sector {} --text {}",
                            sector.get_untracked(),
                            shell_quote(&text.get_untracked())
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

fn snapshot_line(sim: &Sim, s: &Snapshot) -> (String, String, String) {
    let key = s
        .encryption
        .as_ref()
        .map(|e| {
            format!(
                "encrypted · {} · data key {}",
                key_name(sim, &e.kms_key_arn),
                e.data_key_id
            )
        })
        .unwrap_or_else(|| "unencrypted".into());
    let mut sub = format!("of {} · {} block(s) stored", s.volume_id, s.blocks.0.len());
    if let Some(p) = &s.parent {
        sub.push_str(&format!(" · incremental after {p}"));
    }
    if let Some(c) = &s.copied_from {
        sub.push_str(&format!(" · copy of {c}"));
    }
    if !s.shared_with.is_empty() {
        sub.push_str(&format!(
            " · shared with {}",
            s.shared_with.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if s.public {
        sub.push_str(" · public");
    }
    (key, sub, s.state.as_str().to_string())
}

#[component]
fn SnapshotsCard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let rows = move || {
        let c = here(ctx);
        ctx.session.with(|s| {
            s.sim()
                .snapshots()
                .filter(|x| {
                    x.region == c.region
                        && (x.account == c.account || x.shared_with.contains(&c.account))
                })
                .map(|x| {
                    let (key, sub, state) = snapshot_line(s.sim(), x);
                    (x.id.clone(), x.account != c.account, key, sub, state)
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" aria-labelledby="h-snapshots">
            <h2 id="h-snapshots">"Snapshots"</h2>
            <ul class="rows" data-testid="snapshots">
                <For
                    each=rows
                    key=|r| format!("{}{}{}", r.0, r.3, r.4)
                    children=move |(id, shared, key, sub, state)| {
                        let idc = id.clone();
                        let encrypted = key.starts_with("encrypted");
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
                                        ctx.console_draft.set(Some(format!("aws ec2 create-volume --snapshot-id {idc} --availability-zone us-east-1a --encrypted")));
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
        ctx.session.with(|s| {
            s.sim()
                .images()
                .filter(|i| i.region == c.region && (i.account == c.account || i.public))
                .map(|i| {
                    let maps = i
                        .mappings
                        .iter()
                        .map(|m| format!("{} ← {}", m.device, m.snapshot_id))
                        .collect::<Vec<_>>()
                        .join(", ");
                    (
                        i.id.clone(),
                        i.name.clone(),
                        i.state.clone(),
                        maps,
                        i.public,
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" aria-labelledby="h-images">
            <h2 id="h-images">"Images (AMIs)"</h2>
            <ul class="rows">
                <For
                    each=rows
                    key=|r| format!("{}{}", r.0, r.2)
                    children=move |(id, name, state, maps, public)| {
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
        ctx.session.with(|s| {
            s.sim()
                .instances()
                .filter(|i| i.account == c.account && i.region == c.region)
                .map(|i| {
                    let vols = i
                        .volumes
                        .iter()
                        .map(|(d, v)| format!("{d}→{v}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let reason = i.state_reason.as_ref().map(|(c, m)| format!("{c}: {m}"));
                    (
                        i.id.clone(),
                        i.instance_type.clone(),
                        i.state.as_str(),
                        vols,
                        reason,
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" aria-labelledby="h-instances">
            <h2 id="h-instances">"Instances"</h2>
            <ul class="rows" data-testid="instances">
                <For
                    each=rows
                    key=|r| format!("{}|{}|{}|{}", r.0, r.2, r.3, r.4.as_deref().unwrap_or(""))
                    children=move |(id, ty, state, vols, reason)| {
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
                                                    ctx.run(&format!("aws ec2 stop-instances --instance-ids {a}"));
                                                }>"Stop"</button>
                                            }
                                        })}
                                    {stopped
                                        .then(|| {
                                            view! {
                                                <button on:click=move |_| {
                                                    ctx.run(&format!("aws ec2 start-instances --instance-ids {b}"));
                                                }>"Start"</button>
                                            }
                                        })}
                                    <button
                                        class="danger"
                                        on:click=move |_| {
                                            ctx.run(&format!("aws ec2 terminate-instances --instance-ids {c}"));
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
        ctx.session.with(|s| {
            let in_account = format!("::{}:", c.account);
            s.sim()
                .iam_principals()
                .filter(|p| p.arn.contains(&in_account))
                .map(|p| {
                    let policies = p
                        .inline
                        .keys()
                        .cloned()
                        .chain(
                            p.attached
                                .iter()
                                .map(|a| a.rsplit('/').next().unwrap_or(a).to_string()),
                        )
                        .collect::<Vec<_>>()
                        .join(", ");
                    let profiles = s.profiles_acting_as(&p.arn).join(", ");
                    let service = p.is_service_linked();
                    (
                        p.arn.clone(),
                        p.kind.clone(),
                        p.name.clone(),
                        policies,
                        p.trusted().join(", "),
                        profiles,
                        service,
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" aria-labelledby="h-iam" data-testid="iam-card">
            <h2 id="h-iam">"IAM users and roles"</h2>
            <ul class="rows">
                <For
                    each=rows
                    key=|r| format!("{}|{}|{}|{}", r.0, r.3, r.4, r.5)
                    children=move |(arn, kind, name, policies, trusted, profiles, service)| {
                        view! {
                            <li class="row" title=arn>
                                <div class="row-main">
                                    <strong>{name}</strong>
                                    <span class="badge">{kind.clone()}</span>
                                    {service.then(|| view! { <span class="tag">"service-linked"</span> })}
                                    {(!profiles.is_empty()).then(|| view! { <span class="tag">{format!("profile {profiles}")}</span> })}
                                </div>
                                <div class="row-sub">
                                    {if policies.is_empty() { "no policies".to_string() } else { format!("policies: {policies}") }}
                                </div>
                                {(kind == "role").then(|| view! {
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
