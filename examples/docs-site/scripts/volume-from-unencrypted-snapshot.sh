# title: Encrypted volume from an unencrypted snapshot
# Seed 000, "How EBS encryption works when the snapshot is unencrypted": CreateGrant,
# GenerateDataKeyWithoutPlaintext and Decrypt while the volume is restored, then CreateGrant
# and Decrypt again on attach (the same commands as the guided scenario
# volume-from-unencrypted-snapshot).

SRC=$(aws ec2 create-volume --availability-zone us-east-1a --size 1 \
  --query VolumeId --output text)
aws ec2 wait volume-available --volume-ids $SRC
SNAP=$(aws ec2 create-snapshot --volume-id $SRC --query SnapshotId --output text)
aws ec2 wait snapshot-completed --snapshot-ids $SNAP
KEY=$(aws kms create-key --description 'restored data' \
  --query KeyMetadata.Arn --output text)

# Restore it encrypted: steps 1-4.
VOL=$(aws ec2 create-volume --availability-zone us-east-1a --snapshot-id $SNAP \
  --encrypted --kms-key-id $KEY --query VolumeId --output text)

# Attach: steps 5-8.
AMI=$(aws ec2 describe-images --owners amazon --query 'Images[0].ImageId' --output text)
INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro \
  --query 'Instances[0].InstanceId' --output text)
aws ec2 wait instance-running --instance-ids $INST
aws ec2 attach-volume --volume-id $VOL --instance-id $INST --device /dev/sdf
