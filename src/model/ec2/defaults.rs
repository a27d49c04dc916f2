//! EBS encryption by default and the default KMS key of an account in a region.

use super::*;

impl Sim {
    pub(crate) fn default_key_display(&self, caller: &Caller) -> String {
        match self
            .settings_of(&caller.account, &caller.region)
            .default_kms_key
        {
            Some(k) => k,
            None => self.provider.kms_arn(
                &caller.region,
                &caller.account,
                self.provider.managed_key_alias,
            ),
        }
    }

    /// `EnableEbsEncryptionByDefault` and `DisableEbsEncryptionByDefault`.
    pub(crate) fn set_ebs_encryption_by_default(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let op = q.operation();
        let on = op == "EnableEbsEncryptionByDefault";
        self.settings_mut(&caller.account, &caller.region)
            .encryption_by_default = on;
        Ok(json!({"EbsEncryptionByDefault": on}))
    }

    /// `GetEbsEncryptionByDefault`.
    pub(crate) fn get_ebs_encryption_by_default(
        &mut self,
        caller: &Caller,
        _q: &Params,
    ) -> AwsResult<Value> {
        Ok(
            json!({"EbsEncryptionByDefault": self.settings_of(&caller.account, &caller.region).encryption_by_default, "SseType": "sse-ebs"}),
        )
    }

    /// `GetEbsDefaultKmsKeyId`.
    pub(crate) fn get_ebs_default_kms_key_id(
        &mut self,
        caller: &Caller,
        _q: &Params,
    ) -> AwsResult<Value> {
        Ok(json!({"KmsKeyId": self.default_key_display(caller)}))
    }

    /// `ModifyEbsDefaultKmsKeyId`.
    pub(crate) fn modify_ebs_default_kms_key_id(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let kms_key_id = q.str("KmsKeyId")?;
        let id = self
            .resolve_key(&kms_key_id, &caller.account, &caller.region)
            .map_err(|_| {
                AwsError::new(
                    Ec2Code::InvalidParameterValue,
                    format!("Invalid KMS key ID {}", kms_key_id),
                )
            })?;
        let k = self
            .key(&id)
            .ok_or_else(|| AwsError::new(Ec2Code::InvalidParameterValue, "Invalid KMS key"))?;
        if !k.is_symmetric() {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                format!(
                    "Amazon EBS does not support asymmetric KMS keys: {} has KeySpec {}.",
                    k.arn, k.key_spec
                ),
            ));
        }
        let arn = k.arn.clone();
        let managed = k.aws_managed;
        self.settings_mut(&caller.account, &caller.region)
            .default_kms_key = if managed { None } else { Some(arn.clone()) };
        Ok(json!({"KmsKeyId": arn}))
    }

    /// `ResetEbsDefaultKmsKeyId`.
    pub(crate) fn reset_ebs_default_kms_key_id(
        &mut self,
        caller: &Caller,
        _q: &Params,
    ) -> AwsResult<Value> {
        self.settings_mut(&caller.account, &caller.region)
            .default_kms_key = None;
        Ok(json!({"KmsKeyId": self.default_key_display(caller)}))
    }
}
