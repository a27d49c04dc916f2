# ebs-kms-playground script v1
# seed: 1
#
# Encrypt existing data by restoring it: write to an unencrypted volume, snapshot it, and
# create an encrypted volume from the snapshot under a customer managed key. Watch EC2 ask
# KMS for a data key (GenerateDataKeyWithoutPlaintext) and the host decrypt it on attach.
#
# Run it:  cargo run --release --bin ebs-kms -- run examples/scripts/encrypted-volume-from-snapshot.sh

# A customer managed key with an alias.
KEY=$(aws kms create-key --description "EBS volumes" --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/ebs-volumes --target-key-id $KEY

# An instance from the public Amazon Linux image.
AMI=$(aws ec2 describe-images --owners amazon --query 'Images[0].ImageId' --output text)
INSTANCE=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro \
  --placement AvailabilityZone=us-east-1a --query 'Instances[0].InstanceId' --output text)
aws ec2 wait instance-running --instance-ids $INSTANCE

# An unencrypted volume with some data on it.
PLAIN=$(aws ec2 create-volume --availability-zone us-east-1a --size 8 --query VolumeId --output text)
aws ec2 wait volume-available --volume-ids $PLAIN
aws ec2 attach-volume --volume-id $PLAIN --instance-id $INSTANCE --device /dev/sdf
play write --instance-id $INSTANCE --device /dev/sdf --text "quarterly numbers"
play sector --volume-id $PLAIN --query "[Encrypted, Stored]" --output text

# Snapshot it; the snapshot is unencrypted too.
SNAP=$(aws ec2 create-snapshot --volume-id $PLAIN --description "before encryption" \
  --query SnapshotId --output text)
aws ec2 wait snapshot-completed --snapshot-ids $SNAP
aws ec2 describe-snapshots --snapshot-ids $SNAP --query 'Snapshots[0].Encrypted'

# Restore it encrypted under the customer managed key.
ENC=$(aws ec2 create-volume --availability-zone us-east-1a --snapshot-id $SNAP \
  --encrypted --kms-key-id alias/ebs-volumes --query VolumeId --output text)
aws ec2 wait volume-available --volume-ids $ENC
aws ec2 describe-volumes --volume-ids $ENC --query 'Volumes[0].[Encrypted,KmsKeyId]' --output text

# Without --encrypted, --kms-key-id is refused.
aws ec2 create-volume --availability-zone us-east-1a --snapshot-id $SNAP \
  --kms-key-id alias/ebs-volumes  # expect-error InvalidParameterDependency

# Swap the volumes: the data reads back the same, but EBS now stores ciphertext.
aws ec2 detach-volume --volume-id $PLAIN
aws ec2 wait volume-available --volume-ids $PLAIN
aws ec2 attach-volume --volume-id $ENC --instance-id $INSTANCE --device /dev/sdf
play read --instance-id $INSTANCE --device /dev/sdf
play sector --volume-id $ENC --query "[Encrypted, Stored]" --output text
