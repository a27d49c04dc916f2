//! The host (Nitro) side: loading a volume's plaintext data key at attach, forgetting it at detach.

use super::*;

impl Sim {
    /// Loads the data key of an attached encrypted volume into host memory: CreateGrant, Decrypt, load.
    pub(crate) fn load_key_into_host(
        &mut self,
        caller: &Caller,
        vol_id: &str,
        instance_id: &str,
    ) -> AwsResult<()> {
        let Some(enc) = self.volumes.get(vol_id).and_then(|v| v.encryption.clone()) else {
            return Ok(());
        };
        let (account, region) = match self.volumes.get(vol_id) {
            Some(v) => (v.account.clone(), v.region.clone()),
            None => return Ok(()),
        };
        let infra = self.provider.infrastructure_role(&account, instance_id);
        let g = KmsCtx {
            doc: Some(DOC_GRANT_ATTACH.into()),
            for_aws_resource: true,
            ..self.ec2_kms_ctx(caller)
        };
        let gid = self.ec2_grant(&g, &enc.kms_key_arn, &infra, &enc.context, caller)?;
        let d = KmsCtx {
            doc: Some(DOC_DECRYPT_ATTACH.into()),
            key_location: Some(KeyLocation::InTransitToHost),
            ..self.infra_ctx(&account, &region, infra)
        };
        let dk = self.ec2_decrypt(&d, &enc)?;
        self.record(
            CallSpec {
                from: Participant::Ec2,
                to: Participant::Host,
                operation: "LoadDataKey".into(),
                request: json!({"VolumeId": vol_id, "InstanceId": instance_id, "DataKey": enc.data_key_id}),
                principal: self.provider.ec2_service(&region),
                account: account.clone(),
                region: region.clone(),
                key_location: Some(KeyLocation::HostMemory),
                approximation: Some(NOTE_INTERNAL.into()),
                doc: Some(DOC_HOST.into()),
                ..CallSpec::default()
            },
            json!({"Loaded": true}),
            None,
        );
        if let Some(v) = self.volumes.get_mut(vol_id) {
            v.host_key = Some(dk);
            if let Some(a) = v.attachment.as_mut() {
                a.grant_id = Some(gid);
            }
        }
        Ok(())
    }

    /// Drops a volume's data key from host memory and retires its attach grant.
    pub(crate) fn unload_key(&mut self, caller: &Caller, vol_id: &str, why: &str) {
        let Some(v) = self.volumes.get_mut(vol_id) else {
            return;
        };
        let had = v.host_key.take().is_some();
        let grant = v.attachment.as_mut().and_then(|a| a.grant_id.take());
        let (account, region, dk) = (
            v.account.clone(),
            v.region.clone(),
            v.encryption.as_ref().map(|e| e.data_key_id.clone()),
        );
        if had {
            self.record(
                CallSpec {
                    from: Participant::Ec2,
                    to: Participant::Host,
                    operation: "DiscardDataKey".into(),
                    request: json!({"VolumeId": vol_id, "Reason": why, "DataKey": dk}),
                    principal: self.provider.ec2_service(&region),
                    account: account.clone(),
                    region: region.clone(),
                    key_location: Some(KeyLocation::Discarded),
                    approximation: Some(NOTE_INTERNAL.into()),
                    ..CallSpec::default()
                },
                json!({"Discarded": true}),
                None,
            );
        }
        if let Some(gid) = grant {
            let c = Caller {
                account,
                region: region.clone(),
                principal: caller.principal.clone(),
            };
            self.retire_quietly(&c, &gid, &region);
        }
    }
}
