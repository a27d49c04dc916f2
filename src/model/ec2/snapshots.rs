//! EBS snapshots: create, describe, copy (re-encrypting), delete, share (createVolumePermission).

use super::*;

/// The StateMessage of a snapshot copy that KMS refused for lack of permission on the key.
const KEY_NOT_ACCESSIBLE: &str = "Given key ID is not accessible";

impl Sim {
    /// A snapshot the caller can see: owned, shared with the account, or public; in the given region.
    pub(crate) fn snapshot_visible(
        &self,
        caller: &Caller,
        id: &str,
        region: &str,
    ) -> AwsResult<&Snapshot> {
        match self.snapshots.get(id) {
            Some(s)
                if s.region == region
                    && (s.account == caller.account
                        || s.public
                        || s.shared_with.contains(&caller.account)
                        || self.shared_via_image(id, &caller.account)) =>
            {
                Ok(s)
            }
            _ => Err(AwsError::new(
                Ec2Code::InvalidSnapshotNotFound,
                format!("The snapshot '{id}' does not exist."),
            )),
        }
    }

    pub(crate) fn shared_via_image(&self, snap: &str, account: &str) -> bool {
        self.images.values().any(|i| {
            (i.public || i.launch_permissions.contains(account))
                && i.mappings.iter().any(|m| m.snapshot_id == snap)
        })
    }

    /// All sectors of a snapshot, following its chain of incremental parents.
    pub(crate) fn snapshot_sectors(&self, id: &str) -> BTreeMap<u64, Vec<u8>> {
        let mut chain = Vec::new();
        let mut cur = Some(id.to_string());
        while let Some(c) = cur {
            if chain.len() > 10_000 || chain.contains(&c) {
                break;
            }
            let Some(s) = self.snapshots.get(&c) else {
                break;
            };
            chain.push(c);
            cur = s.parent.clone();
        }
        let mut out = BTreeMap::new();
        for c in chain.iter().rev() {
            if let Some(s) = self.snapshots.get(c) {
                for (k, v) in &s.blocks.0 {
                    out.insert(*k, v.clone());
                }
            }
        }
        out
    }

    pub(crate) fn create_snapshot_inner(
        &mut self,
        caller: &Caller,
        vol_id: &str,
        description: String,
    ) -> AwsResult<String> {
        // Only what the snapshot needs is copied out of the volume: cloning the whole volume
        // would copy every stored sector once more.
        let (size_gib, encryption, parent, blocks) = {
            let v = self.volume_owned(caller, vol_id)?;
            if v.state == VolumeState::Creating {
                return Err(AwsError::new(
                    Ec2Code::IncorrectState,
                    format!("The volume '{vol_id}' is 'creating'"),
                ));
            }
            // Incremental: only sectors changed since the previous snapshot that still exists.
            let parent = v
                .last_snapshot
                .clone()
                .filter(|s| self.snapshots.contains_key(s));
            let blocks: BTreeMap<u64, Vec<u8>> = if parent.is_some() {
                let mut changed = BTreeMap::new();
                changed.extend(
                    v.changed
                        .iter()
                        .filter_map(|n| v.sectors.0.get(n).map(|b| (*n, b.clone()))),
                );
                changed
            } else {
                v.sectors.0.clone()
            };
            (v.size_gib, v.encryption.clone(), parent, blocks)
        };
        let id = self.rng.resource_id(self.provider.prefix(IdKind::Snapshot));
        self.record(
            CallSpec {
                from: Participant::Ec2,
                to: Participant::Ebs,
                operation: "CopyChangedBlocks".into(),
                request: json!({"VolumeId": vol_id, "SnapshotId": id, "Blocks": blocks.len(), "Incremental": parent.is_some(), "ParentSnapshotId": parent}),
                principal: self.provider.ec2_service(&caller.region),
                account: caller.account.clone(),
                region: caller.region.clone(),
                key_location: encryption.as_ref().map(|_| KeyLocation::EncryptedAtRest),
                approximation: Some(NOTE_INTERNAL.into()),
                doc: encryption.as_ref().map(|_| "All snapshots created from the volume are encrypted, with the volume's data key.".to_string()),
                ..CallSpec::default()
            },
            json!({"StoredBlocks": blocks.len()}),
            None,
        );
        self.snapshots.insert(
            id.clone(),
            Box::new(Snapshot {
                id: id.clone(),
                account: caller.account.clone(),
                region: caller.region.clone(),
                volume_id: vol_id.into(),
                volume_size: size_gib,
                state: SnapshotState::Pending,
                state_message: None,
                created: self.now,
                description,
                encryption,
                blocks: Sectors(blocks),
                parent,
                shared_with: BTreeSet::new(),
                public: false,
                copied_from: None,
                tags: Tags::new(),
            }),
        );
        if let Some(vv) = self.volumes.get_mut(vol_id) {
            vv.changed.clear();
            vv.last_snapshot = Some(id.clone());
        }
        self.schedule(SNAPSHOT_SECONDS, Pending::SnapshotCompleted(id.clone()));
        Ok(id)
    }

    /// Deletes a snapshot, moving blocks its incremental children still need into them.
    pub(crate) fn delete_snapshot_inner(&mut self, id: &str) {
        let Some(s) = self.snapshots.remove(id) else {
            return;
        };
        let children: Vec<String> = self
            .snapshots
            .values()
            .filter(|c| c.parent.as_deref() == Some(id))
            .map(|c| c.id.clone())
            .collect();
        for c in children {
            if let Some(child) = self.snapshots.get_mut(&c) {
                for (k, v) in &s.blocks.0 {
                    child.blocks.0.entry(*k).or_insert_with(|| v.clone());
                }
                child.parent = s.parent.clone();
            }
        }
    }

    pub(crate) fn copy_snapshot_inner(
        &mut self,
        caller: &Caller,
        src_id: &str,
        src_region: &str,
        encrypted: Option<bool>,
        kms_key_id: Option<&str>,
        description: Option<String>,
    ) -> AwsResult<String> {
        let src = self.snapshot_visible(caller, src_id, src_region)?.clone();
        if src.state != SnapshotState::Completed {
            return Err(AwsError::new(
                Ec2Code::IncorrectState,
                format!("Snapshot is in invalid state - {}", src.state.as_str()),
            ));
        }
        let source = self.source_of_snapshot(&src);
        let plan = self.decide_encryption(caller, Some(&source), encrypted, kms_key_id)?;
        let id = self.rng.resource_id(self.provider.prefix(IdKind::Snapshot));
        if src.account != caller.account {
            self.event(Participant::Ec2, Participant::EventBridge, "SharedSnapshotCopyInitiated", &src.account, src_region, json!({"snapshotId": src_id, "recipientAccount": caller.account, "newSnapshotId": id}), None);
        }
        let (encryption, blocks, outcome) =
            match self.encrypt_new_resource(caller, &id, &plan, Some(source)) {
                Ok((e, b)) => (e, b, Ok(())),
                // A copy KMS refuses for lack of permission on the key ends in `error` with
                // EC2's StateMessage (API_Snapshot, StateMessage); other failures keep KMS's words.
                Err(e) if e.code == KmsCode::AccessDeniedException => {
                    (None, BTreeMap::new(), Err(KEY_NOT_ACCESSIBLE.to_string()))
                }
                Err(e) => (None, BTreeMap::new(), Err(e.message)),
            };
        let full = matches!(plan, EncryptionPlan::Encrypt { reuse: false, .. });
        self.record(
            CallSpec {
                from: Participant::Ec2,
                to: Participant::Ebs,
                operation: "CopySnapshotData".into(),
                request: json!({"SourceSnapshotId": src_id, "SnapshotId": id, "Blocks": blocks.len(), "FullCopy": full}),
                principal: self.provider.ec2_service(&caller.region),
                account: caller.account.clone(),
                region: caller.region.clone(),
                approximation: Some(NOTE_INTERNAL.into()),
                doc: full.then(|| DOC_FULL_COPY.to_string()),
                ..CallSpec::default()
            },
            json!({"StoredBlocks": blocks.len()}),
            None,
        );
        self.snapshots.insert(
            id.clone(),
            Box::new(Snapshot {
                id: id.clone(),
                account: caller.account.clone(),
                region: caller.region.clone(),
                volume_id: src.volume_id.clone(),
                volume_size: src.volume_size,
                state: SnapshotState::Pending,
                state_message: None,
                created: self.now,
                // Only CopyImage's snapshot copies say "Copied for DestinationAmi …" (it passes
                // that description); a CopySnapshot without one has none.
                description: description.unwrap_or_default(),
                encryption: encryption.or_else(|| match &plan {
                    EncryptionPlan::Encrypt { key_arn, .. } => Some(Encryption {
                        kms_key_arn: key_arn.clone(),
                        wrapped_key: vec![],
                        context: Context::new(),
                        data_key_id: String::new(),
                    }),
                    EncryptionPlan::None => None,
                }),
                blocks: Sectors(blocks),
                parent: None,
                shared_with: BTreeSet::new(),
                public: false,
                copied_from: Some(src_id.into()),
                tags: Tags::new(),
            }),
        );
        match outcome {
            Ok(()) => self.schedule(SNAPSHOT_SECONDS, Pending::SnapshotCompleted(id.clone())),
            Err(cause) => self.schedule(
                SNAPSHOT_SECONDS,
                Pending::SnapshotFailed {
                    snapshot: id.clone(),
                    cause,
                },
            ),
        }
        Ok(id)
    }

    pub(crate) fn modify_snapshot_attribute(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let (snapshot_id, add, remove) = permission_request(q, &SNAPSHOT_PERMISSION)?;
        let s = match self.snapshots.get(&snapshot_id) {
            Some(s) if s.account == caller.account && s.region == caller.region => s.clone(),
            _ => {
                return Err(AwsError::new(
                    Ec2Code::InvalidSnapshotNotFound,
                    format!("The snapshot '{snapshot_id}' does not exist."),
                ))
            }
        };
        if add.is_empty() && remove.is_empty() {
            return Err(AwsError::new(
                Ec2Code::MissingParameter,
                "The request must contain the parameter createVolumePermission",
            ));
        }
        for (user, group) in &add {
            if let Some(g) = group {
                if g != "all" {
                    return Err(AwsError::new(
                        Ec2Code::InvalidParameterValue,
                        format!("Value ({g}) for parameter group is invalid."),
                    ));
                }
                if s.encryption.is_some() {
                    return Err(AwsError::new(
                        Ec2Code::UnsupportedOperation,
                        "Encrypted snapshots can't be shared publicly.",
                    ));
                }
            }
            if let Some(u) = user {
                if u.len() != 12 || !u.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(AwsError::new(Ec2Code::InvalidParameterValue, format!("Value ({u}) for parameter userId is invalid. Account IDs must be 12 digits.")));
                }
                if let Some(e) = &s.encryption {
                    let managed = self
                        .kms
                        .keys
                        .values()
                        .any(|k| k.arn == e.kms_key_arn && k.aws_managed);
                    if managed {
                        return Err(AwsError::new(
                            Ec2Code::OperationNotPermitted,
                            "Encrypted snapshots with EBS default key cannot be shared",
                        ));
                    }
                }
            }
        }
        if let Some(sm) = self.snapshots.get_mut(&snapshot_id) {
            apply_grantees(&mut sm.shared_with, &mut sm.public, add, remove);
        }
        Ok(json!({}))
    }

    /// `CreateSnapshot`.
    pub(crate) fn create_snapshot(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let volume_id = q.str("VolumeId")?;
        let description = q.opt_str("Description")?;
        let tags = TagSpecs::read(q, &["snapshot"])?.get("snapshot");
        let id = self.create_snapshot_inner(caller, &volume_id, description.unwrap_or_default())?;
        if let Some(s) = self.snapshots.get_mut(&id) {
            s.tags = tags;
        }
        Ok(self
            .snapshots
            .get(&id)
            .map(|s| s.to_json())
            .unwrap_or(Value::Null))
    }

    /// `DescribeSnapshots`.
    pub(crate) fn describe_snapshots(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let snapshot_ids = q.opt_strs("SnapshotIds")?;
        let owner_ids = q.opt_strs("OwnerIds")?;
        let restorable_by_user_ids = q.opt_strs("RestorableByUserIds")?;
        let filters = Filters::read(q, SNAPSHOT_FILTERS)?;
        if let Some(ids) = &snapshot_ids {
            for id in ids {
                self.snapshot_visible(caller, id, &caller.region)?;
            }
        }
        let owners = owner_accounts(caller, owner_ids);
        let list: Vec<Value> = self
            .snapshots
            .values()
            .filter(|s| s.region == caller.region)
            .filter(|s| match &snapshot_ids {
                Some(ids) => ids.contains(&s.id),
                None => {
                    s.account == caller.account
                        || s.shared_with.contains(&caller.account)
                        || (restorable_by_user_ids.is_some() && s.public)
                        || owners.as_ref().is_some_and(|o| {
                            o.contains(&s.account) && (s.public || s.account == caller.account)
                        })
                }
            })
            .filter(|s| owners.as_ref().is_none_or(|o| o.contains(&s.account)))
            .map(|s| s.to_json())
            .filter(|v| filters.pass(v))
            .collect();
        Ok(json!({"Snapshots": list}))
    }

    /// `CopySnapshot`.
    pub(crate) fn copy_snapshot(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let source_snapshot_id = q.str("SourceSnapshotId")?;
        let source_region = q.str("SourceRegion")?;
        let encrypted = q.opt_bool("Encrypted")?;
        let kms_key_id = q.opt_str("KmsKeyId")?;
        let description = q.opt_str("Description")?;
        let destination_region = q.opt_str("DestinationRegion")?;
        q.opt_str("PresignedUrl")?;
        let tags = TagSpecs::read(q, &["snapshot"])?.get("snapshot");
        if destination_region
            .as_ref()
            .is_some_and(|d| *d != caller.region)
        {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                "DestinationRegion must be the region the request is sent to.",
            ));
        }
        if !self.provider.has_region(&source_region) {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                format!("Invalid source region {}", source_region),
            ));
        }
        let id = self.copy_snapshot_inner(
            caller,
            &source_snapshot_id,
            &source_region,
            encrypted,
            kms_key_id.as_deref(),
            description,
        )?;
        if let Some(s) = self.snapshots.get_mut(&id) {
            s.tags = tags;
        }
        Ok(json!({"SnapshotId": id}))
    }

    /// `DeleteSnapshot`.
    pub(crate) fn delete_snapshot(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let snapshot_id = q.str("SnapshotId")?;
        match self.snapshots.get(&snapshot_id) {
            Some(s) if s.account == caller.account && s.region == caller.region => {}
            _ => {
                return Err(AwsError::new(
                    Ec2Code::InvalidSnapshotNotFound,
                    format!("The snapshot '{}' does not exist.", snapshot_id),
                ))
            }
        }
        if let Some(img) = self
            .images
            .values()
            .find(|i| i.mappings.iter().any(|m| m.snapshot_id == snapshot_id))
        {
            return Err(AwsError::new(
                Ec2Code::InvalidSnapshotInUse,
                format!(
                    "The snapshot {} is currently in use by {}",
                    snapshot_id, img.id
                ),
            ));
        }
        self.delete_snapshot_inner(&snapshot_id);
        Ok(json!({}))
    }

    /// `DescribeSnapshotAttribute`.
    pub(crate) fn describe_snapshot_attribute(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let snapshot_id = q.str("SnapshotId")?;
        let attribute = q.str("Attribute")?;
        let s = self.snapshot_visible(caller, &snapshot_id, &caller.region)?;
        if s.account != caller.account {
            return Err(AwsError::new(
                Ec2Code::InvalidSnapshotNotFound,
                format!("The snapshot '{}' does not exist.", snapshot_id),
            ));
        }
        if attribute != "createVolumePermission" {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                format!("Value ({}) for parameter attribute is invalid.", attribute),
            ));
        }
        let mut perms: Vec<Value> = s.shared_with.iter().map(|u| json!({"UserId": u})).collect();
        if s.public {
            perms.push(json!({"Group": "all"}));
        }
        Ok(json!({"CreateVolumePermissions": perms, "SnapshotId": s.id}))
    }
}
