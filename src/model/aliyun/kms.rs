//! Alibaba Cloud KMS: keys (the service key `alias/acs/ecs` and customer master keys), their
//! states, aliases, automatic rotation and scheduled deletion (Alibaba's KMS API reference).

use super::*;
use crate::model::clock::DAY;
use crate::model::codes::AliKmsCode;
use crate::model::context::Context;
use crate::model::crypto::KeyMaterial;
use crate::model::trace::Participant;
use crate::model::CallSpec;

/// The trace note of the service key's creation.
const NOTE_SERVICE_KEY: &str = "Alibaba Cloud creates the service key alias/acs/ecs for ECS the first time ECS encrypts a disk in the region; when, and through which call, is not published (drawn here as ECS asking KMS to create it).";

pub(crate) fn key_not_found(key: &str) -> AwsError {
    AwsError::new(
        AliKmsCode::KeyNotFound,
        format!("The specified Key is not found: {key}."),
    )
}

impl Sim {
    /// Resolves a key reference (key id, key ARN, or `alias/…`) in an account and region.
    pub(crate) fn ali_resolve_key(
        &self,
        key_ref: &str,
        account: &str,
        region: &str,
    ) -> AwsResult<String> {
        let id = if key_ref.starts_with("alias/") {
            self.aliyun
                .aliases
                .get(&format!("{account}:{region}:{key_ref}"))
                .cloned()
                .ok_or_else(|| {
                    AwsError::new(
                        AliKmsCode::AliasNotFound,
                        format!("The specified Alias is not found: {key_ref}."),
                    )
                })?
        } else if let Some(a) = self.provider.parse_arn(key_ref) {
            a.resource
                .strip_prefix("key/")
                .unwrap_or(a.resource)
                .to_string()
        } else {
            key_ref.to_string()
        };
        match self.aliyun.keys.get(&id) {
            Some(k) if k.account == account && k.region == region => Ok(id),
            _ => Err(key_not_found(key_ref)),
        }
    }

    /// A new key id, `key-<region code><18 letters and digits>` (`key-hzz6…`).
    fn ali_key_id(&mut self, region: &str) -> String {
        const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let b: [u8; 18] = self.rng.bytes();
        let tail: String = b
            .iter()
            .map(|x| ALPHABET[*x as usize % ALPHABET.len()] as char)
            .collect();
        format!("key-{}{tail}", self.provider.ali_region_code(region))
    }

    /// Makes a key with fresh material; returns its id.
    fn ali_new_key(&mut self, account: &str, region: &str, spec: KeySpecInput) -> String {
        let id = self.ali_key_id(region);
        let material = KeyMaterial::new(self.rng.bytes());
        let version = self.rng.uuid();
        let key = AliKey {
            arn: self.provider.ali_key_arn(region, account, &id),
            id: id.clone(),
            account: account.into(),
            region: region.into(),
            description: spec.description,
            key_spec: spec.key_spec,
            key_usage: spec.key_usage,
            origin: "Aliyun_KMS".into(),
            protection_level: spec.protection_level,
            creator: spec.creator,
            state: AliKeyState::Enabled,
            created: self.now,
            delete_at: None,
            rotation: spec.rotation,
            rotation_interval: spec.rotation_interval,
            last_rotation: self.now,
            service_key: spec.service_key,
            versions: vec![version],
            material: vec![material],
        };
        self.aliyun.keys.insert(id.clone(), Box::new(key));
        id
    }

    /// The service key of an account in a region (`alias/acs/ecs`), created on first use with
    /// Creator `Ecs`.
    pub(crate) fn ali_service_key(&mut self, account: &str, region: &str) -> String {
        let alias = self.provider.ali_service_key_alias();
        let name = format!("{account}:{region}:{alias}");
        if let Some(id) = self.aliyun.aliases.get(&name) {
            return id.clone();
        }
        let i = self.open_call(CallSpec {
            from: Participant::Ecs,
            to: Participant::Kms,
            operation: "CreateKey".into(),
            request: json!({"Description": "Default master key that protects my ECS disks when no other key is defined", "Alias": alias}),
            principal: self.provider.ecs_service_principal(),
            invoked_by: Some(self.provider.ecs_service_principal()),
            account: account.into(),
            region: region.into(),
            approximation: Some(NOTE_SERVICE_KEY.into()),
            ..CallSpec::default()
        });
        let id = self.ali_new_key(
            account,
            region,
            KeySpecInput {
                description:
                    "Default master key that protects my ECS disks when no other key is defined"
                        .into(),
                creator: "Ecs".into(),
                service_key: true,
                ..KeySpecInput::default()
            },
        );
        self.aliyun.aliases.insert(name, id.clone());
        let meta = self.aliyun.keys.get(&id).map(|k| k.metadata());
        self.close_call(i, json!({"KeyMetadata": meta}), None);
        id
    }

    /// Authorizes a user's KMS request on a key (or on `acs:kms:REGION:UID:key/*`).
    fn kms_user_authorize(&mut self, caller: &Caller, action: &str, arn: &str) -> AwsResult<()> {
        self.ali_authorize(
            &caller.principal,
            &caller.account,
            Participant::Kms,
            &format!("kms:{action}"),
            arn,
            &Context::new(),
        )
    }

    /// Resolves `KeyId` and authorizes `action` on it for the caller: the key id.
    pub(crate) fn kms_key_for(
        &mut self,
        caller: &Caller,
        q: &Params,
        action: &str,
    ) -> AwsResult<String> {
        let key_ref = q.str("KeyId")?;
        let id = self.ali_resolve_key(&key_ref, &caller.account, &caller.region)?;
        let arn = self
            .aliyun
            .keys
            .get(&id)
            .map(|k| k.arn.clone())
            .unwrap_or_default();
        self.kms_user_authorize(caller, action, &arn)?;
        Ok(id)
    }

    fn key_mut(&mut self, id: &str) -> AwsResult<&mut AliKey> {
        self.aliyun
            .keys
            .get_mut(id)
            .map(|b| &mut **b)
            .ok_or_else(|| key_not_found(id))
    }

    pub(crate) fn ali_create_key(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let region = self.ali_region(caller, q)?;
        let all = self.provider.arn("kms", &region, &caller.account, "key/*");
        self.kms_user_authorize(caller, "CreateKey", &all)?;
        let key_spec = q.opt_str("KeySpec")?.unwrap_or("Aliyun_AES_256".into());
        let symmetric = matches!(key_spec.as_str(), "Aliyun_AES_256" | "Aliyun_SM4");
        let default_usage = if symmetric {
            "ENCRYPT/DECRYPT"
        } else {
            "SIGN/VERIFY"
        };
        let key_usage = q.opt_str("KeyUsage")?.unwrap_or(default_usage.into());
        if symmetric && key_usage != "ENCRYPT/DECRYPT" {
            return Err(AwsError::new(
                AliKmsCode::InvalidParameter,
                format!("The specified parameter KeyUsage is not valid: a {key_spec} key can only ENCRYPT/DECRYPT."),
            ));
        }
        if q.opt_str("Origin")?.as_deref() == Some("EXTERNAL") {
            return Err(AwsError::new(
                AliKmsCode::InvalidParameter,
                "The specified parameter Origin is not valid: the playground models Aliyun_KMS keys only (EXTERNAL is not modelled).",
            ));
        }
        let rotation = q.opt_bool("EnableAutomaticRotation")?.unwrap_or(false);
        let interval = q.opt_str("RotationInterval")?;
        if let Some(p) = &interval {
            rotation_days(p)?;
        }
        let rotation_interval = match (rotation, interval) {
            (true, None) => Some("365d".into()),
            (_, i) => i,
        };
        let id = self.ali_new_key(
            &caller.account,
            &region,
            KeySpecInput {
                description: q.opt_str("Description")?.unwrap_or_default(),
                key_spec,
                key_usage,
                protection_level: q.opt_str("ProtectionLevel")?.unwrap_or("SOFTWARE".into()),
                creator: caller.account.clone(),
                rotation,
                rotation_interval,
                service_key: false,
            },
        );
        let meta = self.aliyun.keys.get(&id).map(|k| k.metadata());
        self.ali_ok(json!({"KeyMetadata": meta}))
    }

    pub(crate) fn ali_describe_key(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let id = self.kms_key_for(caller, q, "DescribeKey")?;
        let meta = self.aliyun.keys.get(&id).map(|k| k.metadata());
        self.ali_ok(json!({"KeyMetadata": meta}))
    }

    pub(crate) fn ali_list_keys(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let all = self
            .provider
            .arn("kms", &caller.region, &caller.account, "key/*");
        self.kms_user_authorize(caller, "ListKeys", &all)?;
        let keys: Vec<Value> = self
            .aliyun
            .keys
            .values()
            .filter(|k| k.account == caller.account && k.region == caller.region)
            .map(|k| json!({"KeyId": k.id, "KeyArn": k.arn}))
            .collect();
        let body = kms_page(q, keys, "Keys", "Key")?;
        self.ali_ok(body)
    }

    pub(crate) fn ali_create_alias(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let alias = q.str("AliasName")?;
        let id = self.kms_key_for(caller, q, "CreateAlias")?;
        let valid = alias.strip_prefix("alias/").is_some_and(|n| {
            !n.is_empty()
                && n.len() <= 255
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/_-".contains(&b))
        });
        if !valid {
            return Err(AwsError::new(
                AliKmsCode::InvalidParameter,
                format!("The specified parameter AliasName is not valid: {alias} (alias/ and 1 to 255 letters, digits, '/', '_', '-')."),
            ));
        }
        if alias.starts_with("alias/acs/") {
            return Err(AwsError::new(
                AliKmsCode::ReservedAlias,
                format!("The alias {alias} is reserved: alias/acs/ names the service keys of Alibaba Cloud services."),
            ));
        }
        let name = format!("{}:{}:{alias}", caller.account, caller.region);
        if self.aliyun.aliases.contains_key(&name) {
            return Err(AwsError::new(
                AliKmsCode::AliasExists,
                format!("The alias {alias} already exists."),
            ));
        }
        self.aliyun.aliases.insert(name, id);
        self.ali_ok(json!({}))
    }

    pub(crate) fn ali_delete_alias(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let alias = q.str("AliasName")?;
        let name = format!("{}:{}:{alias}", caller.account, caller.region);
        let id = self.aliyun.aliases.get(&name).cloned().ok_or_else(|| {
            AwsError::new(
                AliKmsCode::AliasNotFound,
                format!("The specified Alias is not found: {alias}."),
            )
        })?;
        let arn = self
            .aliyun
            .keys
            .get(&id)
            .map(|k| k.arn.clone())
            .unwrap_or_default();
        self.kms_user_authorize(caller, "DeleteAlias", &arn)?;
        if alias.starts_with("alias/acs/") {
            return Err(AwsError::new(
                AliKmsCode::ReservedAlias,
                format!("The alias {alias} belongs to a service key and cannot be deleted."),
            ));
        }
        self.aliyun.aliases.remove(&name);
        self.ali_ok(json!({}))
    }

    pub(crate) fn ali_list_aliases(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let all = self
            .provider
            .arn("kms", &caller.region, &caller.account, "alias/*");
        self.kms_user_authorize(caller, "ListAliases", &all)?;
        let head = format!("{}:{}:", caller.account, caller.region);
        let provider = self.provider.clone();
        let list: Vec<Value> = self
            .aliyun
            .aliases
            .iter()
            .filter_map(|(name, id)| {
                let alias = name.strip_prefix(&head)?;
                let arn = provider.arn("kms", &caller.region, &caller.account, alias);
                Some(json!({"AliasName": alias, "AliasArn": arn, "KeyId": id}))
            })
            .collect();
        let body = kms_page(q, list, "Aliases", "Alias")?;
        self.ali_ok(body)
    }

    /// Refuses lifecycle changes to a service key.
    fn refuse_service_key(&self, id: &str, what: &str) -> AwsResult<()> {
        match self.aliyun.keys.get(id) {
            Some(k) if k.service_key => Err(AwsError::new(
                AliKmsCode::UnsupportedOperation,
                format!("Unsupported operation. {id} is a service key (alias/acs/ecs), managed by Alibaba Cloud for ECS: it cannot be {what}."),
            )),
            _ => Ok(()),
        }
    }

    pub(crate) fn ali_enable_key(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let id = self.kms_key_for(caller, q, "EnableKey")?;
        let k = self.key_mut(&id)?;
        if k.state == AliKeyState::PendingDeletion {
            return Err(AwsError::new(
                AliKmsCode::KeyStateConflict,
                format!("The key {id} is pending deletion: cancel the deletion first (CancelKeyDeletion)."),
            ));
        }
        k.state = AliKeyState::Enabled;
        self.ali_ok(json!({}))
    }

    pub(crate) fn ali_disable_key(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let id = self.kms_key_for(caller, q, "DisableKey")?;
        self.refuse_service_key(&id, "disabled")?;
        let k = self.key_mut(&id)?;
        if k.state == AliKeyState::PendingDeletion {
            return Err(AwsError::new(
                AliKmsCode::KeyStateConflict,
                format!("The key {id} is pending deletion."),
            ));
        }
        k.state = AliKeyState::Disabled;
        self.ali_ok(json!({}))
    }

    pub(crate) fn ali_schedule_key_deletion(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let id = self.kms_key_for(caller, q, "ScheduleKeyDeletion")?;
        self.refuse_service_key(&id, "deleted")?;
        let days = q.required("PendingWindowInDays", q.opt_i64("PendingWindowInDays")?)?;
        if !(7..=366).contains(&days) {
            return Err(AwsError::new(
                AliKmsCode::InvalidParameter,
                format!("The specified parameter PendingWindowInDays is not valid: {days} (7 to 366 days)."),
            ));
        }
        let due = self.now + days as u64 * DAY;
        let k = self.key_mut(&id)?;
        if k.state == AliKeyState::PendingDeletion {
            return Err(AwsError::new(
                AliKmsCode::KeyStateConflict,
                format!("The key {id} is already pending deletion."),
            ));
        }
        k.state = AliKeyState::PendingDeletion;
        k.delete_at = Some(due);
        self.ali_schedule(days as u64 * DAY, AliPending::KeyDeleted(id));
        self.ali_ok(json!({}))
    }

    pub(crate) fn ali_cancel_key_deletion(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let id = self.kms_key_for(caller, q, "CancelKeyDeletion")?;
        let k = self.key_mut(&id)?;
        if k.state != AliKeyState::PendingDeletion {
            return Err(AwsError::new(
                AliKmsCode::KeyStateConflict,
                format!("The key {id} is not pending deletion."),
            ));
        }
        k.state = AliKeyState::Enabled;
        k.delete_at = None;
        self.ali_ok(json!({}))
    }

    /// A scheduled deletion falls due: the key and its aliases are gone (unless cancelled).
    pub(crate) fn ali_key_deleted(&mut self, id: &str) {
        let due = self.aliyun.keys.get(id).is_some_and(|k| {
            k.state == AliKeyState::PendingDeletion && k.delete_at.is_some_and(|t| t <= self.now)
        });
        if due {
            self.aliyun.keys.remove(id);
            self.aliyun.aliases.retain(|_, k| k != id);
        }
    }

    pub(crate) fn ali_update_rotation_policy(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let id = self.kms_key_for(caller, q, "UpdateRotationPolicy")?;
        self.refuse_service_key(&id, "given a rotation policy")?;
        let on = q.required(
            "EnableAutomaticRotation",
            q.opt_bool("EnableAutomaticRotation")?,
        )?;
        let interval = q.opt_str("RotationInterval")?;
        if let Some(p) = &interval {
            rotation_days(p)?;
        }
        let k = self.key_mut(&id)?;
        k.rotation = on;
        k.rotation_interval = match (on, interval) {
            (_, Some(p)) => Some(p),
            (true, None) => k.rotation_interval.clone().or(Some("365d".into())),
            (false, None) => k.rotation_interval.clone(),
        };
        self.ali_ok(json!({}))
    }

    /// Rotates every enabled key whose rotation period has passed: a new version becomes
    /// primary; old versions still decrypt what they encrypted.
    pub(crate) fn ali_rotate_due(&mut self) {
        let now = self.now;
        let due: Vec<String> = self
            .aliyun
            .keys
            .values()
            .filter(|k| k.rotation && k.state == AliKeyState::Enabled)
            .filter(|k| {
                let days = k
                    .rotation_interval
                    .as_deref()
                    .and_then(|p| rotation_days(p).ok())
                    .unwrap_or(365);
                k.last_rotation + days * DAY <= now
            })
            .map(|k| k.id.clone())
            .collect();
        for id in due {
            let material = KeyMaterial::new(self.rng.bytes());
            let version = self.rng.uuid();
            if let Some(k) = self.aliyun.keys.get_mut(&id) {
                k.material.push(material);
                k.versions.push(version);
                k.last_rotation = now;
            }
        }
    }
}

/// A rotation period such as `365d`: 7 to 730 days.
fn rotation_days(p: &str) -> AwsResult<u64> {
    let days = p
        .strip_suffix('d')
        .and_then(|n| n.parse::<u64>().ok())
        .filter(|d| (7..=730).contains(d));
    days.ok_or_else(|| {
        AwsError::new(
            AliKmsCode::InvalidParameter,
            format!("The specified parameter RotationInterval is not valid: {p} (7d to 730d)."),
        )
    })
}

/// What a new key is made of.
struct KeySpecInput {
    description: String,
    key_spec: String,
    key_usage: String,
    protection_level: String,
    creator: String,
    rotation: bool,
    rotation_interval: Option<String>,
    service_key: bool,
}

impl Default for KeySpecInput {
    fn default() -> Self {
        KeySpecInput {
            description: String::new(),
            key_spec: "Aliyun_AES_256".into(),
            key_usage: "ENCRYPT/DECRYPT".into(),
            protection_level: "SOFTWARE".into(),
            creator: String::new(),
            rotation: false,
            rotation_interval: None,
            service_key: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::json;
    use crate::model::provider::{Cloud, ALIBABA};
    use crate::model::{Caller, Sim};
    use base64::Engine;

    #[test]
    fn key_material_never_leaves_the_model() {
        let mut sim = Sim::new_in(Cloud::Alibaba, 3);
        let who = Caller::root_in(&ALIBABA, "1234567890123456", "cn-hangzhou");
        sim.execute(&who, "kms", "CreateKey", json!({})).unwrap();
        sim.execute(
            &who,
            "ecs",
            "CreateDisk",
            json!({"ZoneId": "cn-hangzhou-i", "Size": 20, "Encrypted": true}),
        )
        .unwrap();
        let state = sim.export_state().to_string();
        let trace = sim.export_trace().to_string();
        let debug = format!("{sim:?}");
        assert_eq!(sim.aliyun.keys.len(), 2);
        for k in sim.aliyun.keys.values() {
            let m = k.material[0].bytes();
            let hex: String = m.iter().map(|b| format!("{b:02x}")).collect();
            let b64 = base64::engine::general_purpose::STANDARD.encode(m);
            for text in [&state, &trace, &debug] {
                assert!(!text.contains(&hex) && !text.contains(&b64));
            }
        }
        assert!(state.contains("\"Aliyun\""));
        assert!(!state.contains("material"));
    }
}
