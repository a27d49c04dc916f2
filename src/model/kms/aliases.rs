//! KMS aliases: create, delete, list.

use super::*;

impl Sim {
    /// `CreateAlias`.
    pub(crate) fn create_alias(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
        let alias_name = q.str("AliasName")?;
        let target_key_id = q.str("TargetKeyId")?;
        if !alias_name.starts_with("alias/")
            || alias_name.len() < 7
            || alias_name.len() > 256
            || !alias_name[6..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_-".contains(c))
        {
            return Err(AwsError::new(KmsCode::ValidationException, format!("Alias must start with the prefix \"alias/\" and contain only alphanumeric characters, '/', '_' or '-': {}", alias_name)));
        }
        let reserved = self.provider.reserved_alias_prefix();
        if alias_name.starts_with(&reserved) {
            return Err(AwsError::new(
                KmsCode::NotAuthorizedException,
                format!("Cannot create alias with prefix '{reserved}'"),
            ));
        }
        let k = (
            caller.account.clone(),
            caller.region.clone(),
            alias_name.clone(),
        );
        if self.kms.aliases.contains_key(&k) {
            return Err(AwsError::new(
                KmsCode::AlreadyExistsException,
                format!(
                    "An alias with the name {} already exists",
                    self.provider
                        .arn("kms", &caller.region, &caller.account, &alias_name)
                ),
            ));
        }
        let id = self.resolve_key(&target_key_id, &caller.account, &caller.region)?;
        if self.key(&id).is_some_and(|k| k.aws_managed) {
            return Err(AwsError::new(
                KmsCode::NotAuthorizedException,
                "Cannot point an alias at an AWS managed key.",
            ));
        }
        self.kms_authorize(&ctx, "kms:CreateAlias", &id, &Context::new(), &[])?;
        self.kms.aliases.insert(k, id);
        Ok(json!({}))
    }

    /// `DeleteAlias`.
    pub(crate) fn delete_alias(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let alias_name = q.str("AliasName")?;
        let k = (
            caller.account.clone(),
            caller.region.clone(),
            alias_name.clone(),
        );
        match self.kms.aliases.remove(&k) {
            Some(_) => Ok(json!({})),
            None => Err(AwsError::new(
                KmsCode::NotFoundException,
                format!(
                    "Alias {} is not found.",
                    self.provider
                        .arn("kms", &caller.region, &caller.account, &alias_name)
                ),
            )),
        }
    }

    /// `ListAliases`.
    pub(crate) fn list_aliases(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let key_id = q.opt_str("KeyId")?;
        let filter = match key_id {
            Some(r) => Some(self.resolve_key(&r, &caller.account, &caller.region)?),
            None => None,
        };
        let list: Vec<Value> = self
            .kms
            .aliases
            .iter()
            .filter(|((acct, reg, _), id)| *acct == caller.account && *reg == caller.region && filter.as_ref().is_none_or(|f| f == *id))
            .map(|((acct, reg, name), id)| json!({"AliasName": name, "AliasArn": self.provider.arn("kms", reg, acct, name), "TargetKeyId": id}))
            .collect();
        Ok(json!({ "Aliases": list }))
    }
}
