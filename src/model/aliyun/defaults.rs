//! Account-level default encryption of ECS disks, per account and region (ECS API reference:
//! EnableDiskEncryptionByDefault and its siblings). Once enabled, every new disk is encrypted,
//! under the account-level key (ModifyDiskDefaultKMSKeyId) or else the service key.

use super::*;

impl Sim {
    fn ali_defaults_mut(&mut self, account: &str, region: &str) -> &mut DefaultEncryption {
        self.aliyun
            .defaults
            .entry(place(account, region))
            .or_default()
    }

    /// The region of a default-encryption request, after the caller's RAM authorization.
    fn ali_defaults_request(
        &mut self,
        caller: &Caller,
        q: &Params,
        action: &str,
    ) -> AwsResult<String> {
        let region = self.ali_region(caller, q)?;
        self.ecs_authorize(caller, action, "*", &[])?;
        Ok(region)
    }

    pub(crate) fn ali_enable_encryption_by_default(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let region = self.ali_defaults_request(caller, q, "EnableDiskEncryptionByDefault")?;
        if self.provider.ali_region_refuses_encryption(&region) {
            return Err(AwsError::new(
                AliEcsCode::RegionNotSupportEncrypted,
                format!("The specified region does not support creating encrypted disks: {region} (seed 002)."),
            ));
        }
        // "The first time you enable … the service key in the region is automatically used."
        let d = self.aliyun.default_encryption(&caller.account, &region);
        if d.key_id.is_none() {
            self.ali_service_key(&caller.account, &region);
        }
        self.ali_defaults_mut(&caller.account, &region).enabled = true;
        self.ali_ok(json!({}))
    }

    pub(crate) fn ali_disable_encryption_by_default(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let region = self.ali_defaults_request(caller, q, "DisableDiskEncryptionByDefault")?;
        self.ali_defaults_mut(&caller.account, &region).enabled = false;
        self.ali_ok(json!({}))
    }

    pub(crate) fn ali_describe_encryption_by_default(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let region =
            self.ali_defaults_request(caller, q, "DescribeDiskEncryptionByDefaultStatus")?;
        let on = self
            .aliyun
            .default_encryption(&caller.account, &region)
            .enabled;
        self.ali_ok(json!({"Encrypted": on}))
    }

    pub(crate) fn ali_describe_default_key(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let region = self.ali_defaults_request(caller, q, "DescribeDiskDefaultKMSKeyId")?;
        let key = match self
            .aliyun
            .default_encryption(&caller.account, &region)
            .key_id
        {
            Some(k) => k,
            None => self.ali_service_key(&caller.account, &region),
        };
        self.ali_ok(json!({"KMSKeyId": key}))
    }

    pub(crate) fn ali_modify_default_key(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let region = self.ali_defaults_request(caller, q, "ModifyDiskDefaultKMSKeyId")?;
        let key_ref = q.str("KMSKeyId")?;
        let checked = self
            .ali_check_cmk(&key_ref, &caller.account, &region)
            .map_err(|e| {
                if e.code == AliEcsCode::KmsKeyIdNotFound {
                    AwsError::new(
                        AliEcsCode::KmsKeyIdNotFoundOperation,
                        format!("The specified KMSKeyId not found, {key_ref}."),
                    )
                } else {
                    e
                }
            })?;
        if let Some(id) = &checked {
            // ECS must be allowed to use the CMK (the role); drawn as in CreateDisk.
            self.ecs_kms_ctx(&caller.account, &region, id)?;
        }
        self.ali_defaults_mut(&caller.account, &region).key_id = checked.clone();
        let key = match checked {
            Some(k) => k,
            None => self.ali_service_key(&caller.account, &region),
        };
        self.ali_ok(json!({"KMSKeyId": key}))
    }

    pub(crate) fn ali_reset_default_key(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let region = self.ali_defaults_request(caller, q, "ResetDiskDefaultKMSKeyId")?;
        self.ali_defaults_mut(&caller.account, &region).key_id = None;
        let key = self.ali_service_key(&caller.account, &region);
        self.ali_ok(json!({"KMSKeyId": key}))
    }
}
