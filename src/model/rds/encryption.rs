//! The KMS calls RDS makes for encrypted storage: the grant RDS creates on the user's behalf,
//! the data key under the instance's key with RDS's encryption context, the plaintext data key
//! on the database host, and the calls of a copy or restore that re-encrypts data.
//!
//! AWS documents the permissions (`kms:CreateGrant`, `kms:DescribeKey`), the context
//! (`aws:rds:db-id`, with `aws:ebs:id` when EBS uses the key for RDS) and that RDS uses
//! envelope encryption; it does not publish the order of the calls, so each call carries an
//! approximation note.

use super::{DbStatus, RdsCode, RdsPending, SectorMap, CHANGE_SECONDS, RECOVERABLE_SECONDS};
use crate::json;
use crate::model::crypto::{xts_decrypt_sector, xts_encrypt_sector, DataKey};
use crate::model::ebs::Encryption;
use crate::model::error::{AwsError, AwsResult};
use crate::model::kms::{Context, KmsCtx};
use crate::model::provider::Provider;
use crate::model::rng::to_hex;
use crate::model::trace::{KeyLocation, Participant};
use crate::model::{CallSpec, Caller, Pending, Sim};
use serde_json::Value;

/// The encryption-context key RDS adds: the DB instance's resource id.
pub(crate) const RDS_CONTEXT_KEY: &str = "aws:rds:db-id";

const DOC_CONTEXT: &str = "When your KMS key is used for a specific DB instance and a specific Amazon EBS volume, both the DB instance ID and the Amazon EBS volume ID are used for the encryption context (RDS User Guide, Amazon RDS encryption context).";
const DOC_PERMISSIONS: &str = "To create an Amazon RDS resource using a customer managed key, a user must have permissions to call kms:CreateGrant and kms:DescribeKey on the key; RDS acts on behalf of the user (RDS User Guide, Authorizing use of a customer managed key).";
const DOC_ENVELOPE: &str = "Amazon RDS uses envelope encryption: a data key under your KMS key encrypts the DB instance's storage, its automated backups and its snapshots (RDS User Guide, AWS KMS key management).";
const DOC_HOST: &str = "Amazon RDS encrypts the data on the server that hosts the DB instance; the plaintext data key stays in that host's memory while the instance runs.";
const DOC_INACCESSIBLE: &str = "If the DB instance can't access its AWS KMS key, it enters the inaccessible-encryption-credentials-recoverable state; if it isn't recovered in seven days it becomes inaccessible-encryption-credentials (AWS re:Post knowledge center, rds-aurora-inaccessible-state; RDS User Guide, AWS KMS key management).";

const NOTE_ORDER: &str = "AWS does not publish the order of RDS's KMS calls (aws-behaviour.md §13, unsettled); the playground draws DescribeKey, CreateGrant, GenerateDataKeyWithoutPlaintext, then Decrypt, the EBS pattern the RDS storage sits on.";
const NOTE_GRANT: &str = "The operations and grantee of the grant RDS creates are not published; the playground grants RDS's regional service principal the data-key operations, constrained to the instance's aws:rds:db-id.";
const NOTE_SOURCE: &str = "The guide says the copy or restore re-encrypts the data; the calls for the source key are not published. The playground decrypts the source data key with the caller's credentials through RDS.";
const NOTE_INTERNAL: &str = "Internal step between RDS and its database host; AWS does not publish it as an API call. Drawn so you can see where the data key goes.";

/// The key policy of the AWS managed key `aws/rds` (as KMS shows it for `alias/aws/rds`).
pub(crate) fn aws_managed_rds_policy(p: &Provider, account: &str, region: &str) -> Value {
    json!({"Version": "2012-10-17", "Id": "auto-rds-2", "Statement": [
        {"Sid": "Allow access through RDS for all principals in the account that are authorized to use RDS",
         "Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
             "kms:CreateGrant", "kms:ListGrants", "kms:DescribeKey"],
         "Resource": "*",
         "Condition": {"StringEquals": {"kms:CallerAccount": account,
             "kms:ViaService": p.rds_service(region)}}},
        {"Sid": "Allow direct access to key metadata to the account", "Effect": "Allow",
         "Principal": {"AWS": format!("arn:{}:iam::{account}:root", p.partition)},
         "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"], "Resource": "*"}]})
}

/// What a new storage (an instance's, or a snapshot copy's) is made from.
pub(crate) struct StorageRequest {
    /// The `aws:rds:db-id` of the context (the instance's DbiResourceId).
    pub db_id: String,
    /// The `aws:ebs:id` of the context (the volume, or the copy's EBS snapshot).
    pub ebs_id: String,
    /// The key to encrypt under (an ARN as given or resolved).
    pub key_ref: String,
    /// The source's encryption and region, when the source data is encrypted.
    pub source: Option<(Encryption, String)>,
    /// The source data as on disk.
    pub sectors: SectorMap,
    /// Keep the plaintext data key on the database host (an instance) rather than dropping it.
    pub to_host: bool,
}

/// The result: the new encryption, the new data, the key for the host and RDS's grant.
pub(crate) struct Provisioned {
    pub encryption: Encryption,
    pub sectors: SectorMap,
    pub host_key: Option<DataKey>,
    pub grant_id: Option<String>,
}

/// RDS's answer when a KMS key cannot be used (botocore's `KMSKeyNotAccessibleFault`).
pub(crate) fn not_accessible(key: &str) -> AwsError {
    RdsCode::KMSKeyNotAccessibleFault.err(format!(
        "The specified KMS key [{key}] does not exist, is not enabled or you do not have permissions to access it."
    ))
}

impl Sim {
    /// RDS calling KMS with the user's credentials (`invokedBy rds.amazonaws.com`, `kms:ViaService`).
    pub(crate) fn rds_user_ctx(&self, caller: &Caller, region: &str) -> KmsCtx {
        KmsCtx {
            from: Participant::Rds,
            principal: caller.principal.clone(),
            account: caller.account.clone(),
            region: region.to_string(),
            invoked_by: Some(self.provider.rds_principal()),
            via_service: Some(self.provider.rds_service(region)),
            approximation: Some(NOTE_ORDER.into()),
            ..KmsCtx::default()
        }
    }

    /// RDS calling KMS as itself, through the grant it holds.
    pub(crate) fn rds_service_ctx(&self, account: &str, region: &str) -> KmsCtx {
        KmsCtx {
            from: Participant::Rds,
            principal: self.provider.rds_service(region),
            account: account.to_string(),
            region: region.to_string(),
            invoked_by: Some(self.provider.rds_principal()),
            via_service: Some(self.provider.rds_service(region)),
            approximation: Some(NOTE_ORDER.into()),
            ..KmsCtx::default()
        }
    }

    /// RDS's encryption context for a DB instance and the volume (or snapshot) under it.
    pub(crate) fn rds_context(&self, db_id: &str, ebs_id: &str) -> Context {
        let mut c = Context::new();
        c.insert(RDS_CONTEXT_KEY.to_string(), db_id.to_string());
        c.insert(self.provider.context_key.to_string(), ebs_id.to_string());
        c
    }

    /// Makes new encrypted storage under `req.key_ref`: DescribeKey and CreateGrant with the
    /// user's credentials, a new data key bound to RDS's context, the source data decrypted
    /// (if encrypted) and encrypted under the new data key. Any KMS refusal becomes
    /// `KMSKeyNotAccessibleFault`, and a grant made on the way is retired.
    pub(crate) fn provision_rds_storage(
        &mut self,
        caller: &Caller,
        req: StorageRequest,
    ) -> AwsResult<Provisioned> {
        let region = caller.region.clone();
        let user = self.rds_user_ctx(caller, &region);
        let key_ref = req.key_ref.clone();
        let describe = KmsCtx {
            doc: Some(DOC_PERMISSIONS.into()),
            ..user.clone()
        };
        let key_arn = self
            .kms_traced(
                &describe,
                "DescribeKey",
                json!({"keyId": key_ref}),
                None,
                |s| {
                    let id = s.authorized_key(&describe, &key_ref, "kms:DescribeKey")?;
                    let meta = s.key(&id).map(|k| k.metadata()).unwrap_or(Value::Null);
                    let arn = meta["Arn"].as_str().unwrap_or_default().to_string();
                    Ok((arn, json!({"keyMetadata": meta})))
                },
            )
            .map_err(|_| not_accessible(&key_ref))?;
        let mut subset = Context::new();
        subset.insert(RDS_CONTEXT_KEY.to_string(), req.db_id.clone());
        let service = self.provider.rds_service(&region);
        let ops: Vec<String> = [
            "Decrypt",
            "GenerateDataKeyWithoutPlaintext",
            "ReEncryptFrom",
            "ReEncryptTo",
            "DescribeKey",
            "RetireGrant",
        ]
        .map(String::from)
        .to_vec();
        let g = KmsCtx {
            doc: Some(DOC_PERMISSIONS.into()),
            approximation: Some(NOTE_GRANT.into()),
            for_aws_resource: true,
            ..user.clone()
        };
        let grant_req = json!({"keyId": key_arn, "granteePrincipal": service, "retiringPrincipal": service, "operations": ops, "constraints": {"encryptionContextSubset": subset}});
        let grant_id = self
            .kms_traced(&g, "CreateGrant", grant_req, Some(&subset), |s| {
                let (gid, _) = s.kms_create_grant(
                    &g,
                    &key_arn,
                    &service,
                    &ops,
                    Some(&service),
                    Some(subset.clone()),
                    None,
                    None,
                )?;
                Ok((gid.clone(), json!({"grantId": gid, "keyId": key_arn})))
            })
            .map_err(|_| not_accessible(&key_arn))?;
        match self.rds_data_key(caller, &key_arn, req) {
            Ok(mut p) => {
                if p.host_key.is_some() {
                    p.grant_id = Some(grant_id);
                } else {
                    self.rds_retire(&caller.account, &region, &grant_id);
                }
                Ok(p)
            }
            Err(e) => {
                self.rds_retire(&caller.account, &region, &grant_id);
                Err(e)
            }
        }
    }

    /// The data-key half of [`Sim::provision_rds_storage`], after the grant exists.
    fn rds_data_key(
        &mut self,
        caller: &Caller,
        key_arn: &str,
        req: StorageRequest,
    ) -> AwsResult<Provisioned> {
        let region = caller.region.clone();
        let ec = self.rds_context(&req.db_id, &req.ebs_id);
        let svc = self.rds_service_ctx(&caller.account, &region);
        let gdk = KmsCtx {
            doc: Some(DOC_CONTEXT.into()),
            key_location: Some(KeyLocation::EncryptedAtRest),
            ..svc.clone()
        };
        let bytes = self.provider.data_key_bytes;
        let blob = self
            .kms_traced(
                &gdk,
                "GenerateDataKeyWithoutPlaintext",
                json!({"keyId": key_arn, "numberOfBytes": bytes, "encryptionContext": ec}),
                Some(&ec),
                |s| {
                    let (blob, _, arn) = s.kms_generate(
                        &gdk,
                        key_arn,
                        bytes,
                        &ec,
                        "kms:GenerateDataKeyWithoutPlaintext",
                    )?;
                    Ok((
                        blob.clone(),
                        json!({"keyId": arn, "ciphertextBlob": format!("<{} bytes>", blob.len())}),
                    ))
                },
            )
            .map_err(|_| not_accessible(key_arn))?;
        let encryption = Encryption {
            kms_key_arn: key_arn.to_string(),
            wrapped_key: blob,
            context: ec,
            data_key_id: self.new_data_key_id(),
        };
        let mut sectors = req.sectors;
        if let Some((src, src_region)) = &req.source {
            let d = KmsCtx {
                approximation: Some(NOTE_SOURCE.into()),
                key_location: Some(KeyLocation::EbsTransient),
                ..self.rds_user_ctx(caller, src_region)
            };
            let dk = self
                .rds_decrypt(&d, src)
                .map_err(|_| not_accessible(&src.kms_key_arn))?;
            for (n, b) in sectors.iter_mut() {
                xts_decrypt_sector(&dk, *n, b)
                    .map_err(|_| AwsError::new("InternalError", "sector size"))?;
            }
        }
        let d = KmsCtx {
            doc: Some(DOC_ENVELOPE.into()),
            key_location: Some(if req.to_host {
                KeyLocation::InTransitToHost
            } else {
                KeyLocation::EbsTransient
            }),
            ..svc
        };
        let dk = self
            .rds_decrypt(&d, &encryption)
            .map_err(|_| not_accessible(key_arn))?;
        for (n, b) in sectors.iter_mut() {
            xts_encrypt_sector(&dk, *n, b)
                .map_err(|_| AwsError::new("InternalError", "sector size"))?;
        }
        let host_key = if req.to_host {
            self.record_db_host(caller, &req.ebs_id, &encryption, true);
            Some(dk)
        } else {
            None
        };
        Ok(Provisioned {
            encryption,
            sectors,
            host_key,
            grant_id: None,
        })
    }

    /// Decrypt of a stored data key, recorded as one call.
    pub(crate) fn rds_decrypt(&mut self, ctx: &KmsCtx, enc: &Encryption) -> AwsResult<DataKey> {
        let req =
            json!({"encryptionContext": enc.context, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"});
        let (ec, wrapped) = (enc.context.clone(), enc.wrapped_key.clone());
        self.kms_traced(ctx, "Decrypt", req, Some(&ec), |s| {
            let (pt, arn) = s.kms_decrypt(ctx, &wrapped, None, &ec)?;
            let dk = DataKey::from_slice(&pt)
                .ok_or_else(|| AwsError::new("InternalError", "data key length"))?;
            Ok((dk, json!({"keyId": arn, "encryptionAlgorithm": "SYMMETRIC_DEFAULT", "plaintext": "<512-bit data key, delivered over TLS>"})))
        })
    }

    /// RDS → Host: the plaintext data key enters (or leaves) the database host's memory.
    fn record_db_host(&mut self, caller: &Caller, volume: &str, enc: &Encryption, load: bool) {
        let (op, loc, resp) = if load {
            (
                "LoadDataKey",
                KeyLocation::HostMemory,
                json!({"Loaded": true}),
            )
        } else {
            (
                "DiscardDataKey",
                KeyLocation::Discarded,
                json!({"Discarded": true}),
            )
        };
        let wrapped = &enc.wrapped_key[..enc.wrapped_key.len().min(12)];
        self.record(
            CallSpec {
                from: Participant::Rds,
                to: Participant::Host,
                operation: op.into(),
                request: json!({"VolumeId": volume, "KmsKeyId": enc.kms_key_arn, "EncryptedDataKey": format!("{}…", to_hex(wrapped)), "DataKey": enc.data_key_id}),
                principal: self.provider.rds_service(&caller.region),
                account: caller.account.clone(),
                region: caller.region.clone(),
                key_location: Some(loc),
                approximation: Some(NOTE_INTERNAL.into()),
                doc: Some(DOC_HOST.into()),
                ..CallSpec::default()
            },
            resp,
            None,
        );
    }

    /// RetireGrant by RDS (the grant's retiring principal); failures are only recorded.
    pub(crate) fn rds_retire(&mut self, account: &str, region: &str, grant_id: &str) {
        let ctx = self.rds_service_ctx(account, region);
        let gid = grant_id.to_string();
        let _ = self.kms_traced(&ctx, "RetireGrant", json!({"grantId": gid}), None, |s| {
            s.kms_retire_grant(&ctx, &gid)?;
            Ok(((), Value::Null))
        });
    }

    /// Drops an instance's data key from its host (stop, delete).
    pub(crate) fn unload_db_key(&mut self, arn: &str, _why: &str) {
        let Some(i) = self.rds.instances.get_mut(arn) else {
            return;
        };
        if i.host_key.take().is_none() {
            return;
        }
        let (caller, volume, enc) = (
            Caller::root(&i.account, &i.region),
            i.volume_id.clone(),
            i.encryption.clone(),
        );
        if let Some(enc) = enc {
            self.record_db_host(&caller, &volume, &enc, false);
        }
    }

    /// Retires the grant RDS holds for an instance (delete).
    pub(crate) fn retire_db_grant(&mut self, arn: &str) {
        let Some(i) = self.rds.instances.get_mut(arn) else {
            return;
        };
        let (account, region) = (i.account.clone(), i.region.clone());
        if let Some(gid) = i.grant_id.take() {
            self.rds_retire(&account, &region, &gid);
        }
    }

    /// A start reaches the host: an encrypted instance needs its data key again (Decrypt
    /// through RDS's grant). When KMS refuses, the instance becomes
    /// `inaccessible-encryption-credentials-recoverable` for seven days.
    pub(crate) fn finish_db_start(&mut self, arn: &str) {
        let Some(i) = self.rds.instances.get(arn) else {
            return;
        };
        if i.status != DbStatus::Starting {
            return;
        }
        let (caller, volume, enc) = (
            Caller::root(&i.account, &i.region),
            i.volume_id.clone(),
            i.encryption.clone(),
        );
        let Some(enc) = enc else {
            self.set_db_status(arn, DbStatus::Starting, DbStatus::Available);
            return;
        };
        let d = KmsCtx {
            doc: Some(DOC_ENVELOPE.into()),
            key_location: Some(KeyLocation::InTransitToHost),
            ..self.rds_service_ctx(&caller.account, &caller.region)
        };
        match self.rds_decrypt(&d, &enc) {
            Ok(dk) => {
                self.record_db_host(&caller, &volume, &enc, true);
                if let Some(i) = self.rds.instances.get_mut(arn) {
                    i.host_key = Some(dk);
                    i.status = DbStatus::Available;
                    i.inaccessible_since = None;
                }
            }
            Err(e) => {
                let now = self.now;
                let id = match self.rds.instances.get_mut(arn) {
                    Some(i) => {
                        i.status = DbStatus::InaccessibleRecoverable;
                        i.inaccessible_since = Some(now);
                        i.id.clone()
                    }
                    None => return,
                };
                self.event(Participant::Rds, Participant::EventBridge, "RDS DB Instance Event", &caller.account, &caller.region, json!({"SourceIdentifier": id, "SourceArn": arn, "Message": format!("The DB instance can't access its KMS key: {}", e.message), "Status": DbStatus::InaccessibleRecoverable.as_str(), "Doc": DOC_INACCESSIBLE}), Some("The state is documented; the event's exact id and wording are not."));
                self.schedule(
                    RECOVERABLE_SECONDS,
                    Pending::Rds(RdsPending::InaccessibleExpired(arn.to_string())),
                );
            }
        }
    }

    /// Schedules the end of a start.
    pub(crate) fn schedule_db_start(&mut self, arn: &str) {
        self.schedule(
            CHANGE_SECONDS,
            Pending::Rds(RdsPending::InstanceStarting(arn.to_string())),
        );
    }
}
