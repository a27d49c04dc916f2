# ebs-kms-playground script v1
# seed: 2024
#
# Sharing an encrypted snapshot with another account (the `partner` profile, 444455556666).
# Sharing the snapshot is not enough: the partner must also be allowed to use the KMS key.
# The partner then copies the snapshot, re-encrypting it under a key of its own, so it no
# longer depends on the owner's key.
#
# Run it:  cargo run --release --bin ebs-kms -- run examples/scripts/share-snapshot-cross-account.sh

# Owner (default profile, 111122223333): a customer managed key, a volume and a snapshot.
KEY=$(aws kms create-key --description "shared snapshots" --query KeyMetadata.Arn --output text)
VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 8 \
  --encrypted --kms-key-id $KEY --query VolumeId --output text)
aws ec2 wait volume-available --volume-ids $VOL
SNAP=$(aws ec2 create-snapshot --volume-id $VOL --description "for partner" \
  --query SnapshotId --output text)
aws ec2 wait snapshot-completed --snapshot-ids $SNAP

# Share the snapshot with the partner account.
aws ec2 modify-snapshot-attribute --snapshot-id $SNAP --attribute createVolumePermission \
  --operation-type add --user-ids 444455556666
aws ec2 describe-snapshot-attribute --snapshot-id $SNAP --attribute createVolumePermission

# The partner sees it, but cannot use the key yet: a copy is accepted, then fails when EC2,
# acting for the partner, asks KMS for a grant on the owner's key.
aws ec2 describe-snapshots --profile partner --snapshot-ids $SNAP \
  --query 'Snapshots[0].[OwnerId,Encrypted,KmsKeyId]' --output text
PKEY=$(aws kms create-key --profile partner --description "partner copies" \
  --query KeyMetadata.KeyId --output text)
FAILED=$(aws ec2 copy-snapshot --profile partner --source-snapshot-id $SNAP \
  --source-region us-east-1 --encrypted --kms-key-id $PKEY --query SnapshotId --output text)
aws ec2 wait snapshot-completed --profile partner --snapshot-ids $FAILED  # expect-error WaiterError
aws ec2 describe-snapshots --profile partner --snapshot-ids $FAILED \
  --query 'Snapshots[0].[State,StateMessage]' --output text
aws kms describe-key --profile partner --key-id $KEY  # expect-error AccessDeniedException

# The owner lets the partner account use the key (the partner's IAM policies may then allow it).
aws kms put-key-policy --key-id $KEY --policy-name default --policy '{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "Allow the partner account to use the key",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant", "kms:ReEncrypt*",
                 "kms:GenerateDataKeyWithoutPlaintext"],
      "Resource": "*"
    }
  ]
}'
aws kms describe-key --profile partner --key-id $KEY --query KeyMetadata.KeyState --output text

# Now the partner copies the snapshot under its own key.
COPY=$(aws ec2 copy-snapshot --profile partner --source-snapshot-id $SNAP \
  --source-region us-east-1 --encrypted --kms-key-id $PKEY --query SnapshotId --output text)
aws ec2 wait snapshot-completed --profile partner --snapshot-ids $COPY
aws ec2 describe-snapshots --profile partner --snapshot-ids $COPY \
  --query 'Snapshots[0].[OwnerId,Encrypted,KmsKeyId]' --output text

# The copy no longer needs the owner's key: even with it disabled, the partner restores a volume.
aws kms disable-key --key-id $KEY
PVOL=$(aws ec2 create-volume --profile partner --availability-zone us-east-1a \
  --snapshot-id $COPY --query VolumeId --output text)
aws ec2 wait volume-available --profile partner --volume-ids $PVOL
aws ec2 describe-volumes --profile partner --volume-ids $PVOL \
  --query 'Volumes[0].[State,Encrypted,KmsKeyId]' --output text
