//! Delayed work in simulated time: volumes and snapshots completing or failing, instances
//! starting, stopping and terminating, images becoming available, keys being deleted.

use super::*;

impl Sim {
    /// Runs delayed work that fell due.
    pub(crate) fn run_pending(&mut self, what: Pending) {
        match what {
            Pending::VolumeReady(id) => {
                if let Some(v) = self.volumes.get_mut(&id) {
                    if v.state == VolumeState::Creating {
                        v.state = VolumeState::Available;
                    }
                }
            }
            Pending::VolumeFailed { volume, cause } => {
                if let Some(v) = self.volumes.remove(&volume) {
                    self.event(Participant::Ec2, Participant::EventBridge, "createVolume", &v.account, &v.region, json!({"event": "createVolume", "result": "failed", "cause": cause, "volumeId": volume}), None);
                }
            }
            Pending::SnapshotCompleted(id) => {
                if let Some(s) = self.snapshots.get_mut(&id) {
                    if s.state == SnapshotState::Pending {
                        s.state = SnapshotState::Completed;
                    }
                }
            }
            Pending::SnapshotFailed { snapshot, cause } => {
                if let Some(s) = self.snapshots.get_mut(&snapshot) {
                    s.state = SnapshotState::Error;
                    s.state_message = Some(cause.clone());
                    let (a, r) = (s.account.clone(), s.region.clone());
                    self.event(Participant::Ec2, Participant::EventBridge, "copySnapshot", &a, &r, json!({"event": "copySnapshot", "result": "failed", "cause": cause, "snapshot_id": snapshot}), None);
                }
            }
            Pending::InstanceRunning(id) => {
                if let Some(i) = self.instances.get_mut(&id) {
                    if i.state == InstanceState::Pending {
                        i.state = InstanceState::Running;
                    }
                }
            }
            Pending::InstanceFailed {
                instance,
                code,
                message,
            } => {
                let caller = match self.instances.get(&instance) {
                    Some(i) => Caller::root_in(&self.provider, &i.account, &i.region),
                    None => return,
                };
                self.terminate_now(&caller, &instance);
                if let Some(i) = self.instances.get_mut(&instance) {
                    i.state = InstanceState::Terminated;
                    i.state_reason = Some((code.clone(), message.clone()));
                }
                self.event(Participant::Ec2, Participant::EventBridge, "EC2 Instance State-change Notification", &caller.account, &caller.region, json!({"instance-id": instance, "state": "terminated", "reason": {"Code": code, "Message": message}}), None);
            }
            Pending::InstanceStopped(id) => {
                if let Some(i) = self.instances.get_mut(&id) {
                    if i.state == InstanceState::Stopping {
                        i.state = InstanceState::Stopped;
                    }
                }
            }
            Pending::InstanceStartFailed {
                instance,
                code,
                message,
            } => {
                let caller = match self.instances.get(&instance) {
                    Some(i) => Caller::root_in(&self.provider, &i.account, &i.region),
                    None => return,
                };
                let vols: Vec<String> = self
                    .instances
                    .get(&instance)
                    .map(|i| i.volumes.iter().map(|(_, v)| v.clone()).collect())
                    .unwrap_or_default();
                for v in vols {
                    self.unload_key(&caller, &v, "start failed");
                }
                if let Some(i) = self.instances.get_mut(&instance) {
                    i.state = InstanceState::Stopped;
                    i.state_reason = Some((code.clone(), message.clone()));
                }
                self.event(Participant::Ec2, Participant::EventBridge, "EC2 Instance State-change Notification", &caller.account, &caller.region, json!({"instance-id": instance, "state": "stopped", "reason": {"Code": code, "Message": message}}), Some("AWS documents that a stop/start attaches the volumes again and fails when the key is unusable; the exact state reason of a failed start is not published."));
            }
            Pending::InstanceTerminated(id) => {
                if let Some(i) = self.instances.get_mut(&id) {
                    i.state = InstanceState::Terminated;
                }
            }
            Pending::ImageAvailable(id) => {
                let snaps: Vec<String> = self
                    .images
                    .get(&id)
                    .map(|i| i.mappings.iter().map(|m| m.snapshot_id.clone()).collect())
                    .unwrap_or_default();
                let failed = snaps.iter().any(|s| {
                    self.snapshots
                        .get(s)
                        .is_none_or(|s| s.state == SnapshotState::Error)
                });
                if let Some(i) = self.images.get_mut(&id) {
                    i.state = if failed {
                        ImageState::Failed
                    } else {
                        ImageState::Available
                    };
                }
            }
            Pending::KeyDeleted(id) => self.kms_delete_now(&id),
            Pending::Rds(p) => self.run_rds_pending(p),
            Pending::Aliyun(p) => self.aliyun_run_pending(p),
        }
    }
}
