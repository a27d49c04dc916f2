# title: Encrypted volume from an encrypted snapshot
# Seed 000, "How EBS encryption works when the snapshot is encrypted": EC2 asks KMS for a data
# key it never sees in plaintext, and on attach creates a grant and has KMS decrypt it.
# A plain AWS CLI script, as a tutorial writes it (the same commands as the guided scenario
# volume-from-encrypted-snapshot).
# seed: 1

KEY=$(aws kms create-key --description 'app data' \
  --query KeyMetadata.Arn --output text)
SRC=$(aws ec2 create-volume --availability-zone us-east-1a --size 1 \
  --encrypted --kms-key-id $KEY --query VolumeId --output text)
aws ec2 wait volume-available --volume-ids $SRC
SNAP=$(aws ec2 create-snapshot --volume-id $SRC --query SnapshotId --output text)
aws ec2 wait snapshot-completed --snapshot-ids $SNAP

# Restore a volume from the encrypted snapshot: steps 1-2.
VOL=$(aws ec2 create-volume --availability-zone us-east-1a --snapshot-id $SNAP \
  --query VolumeId --output text)

# Attach it to an instance: steps 3-5.
AMI=$(aws ec2 describe-images --owners amazon --query 'Images[0].ImageId' --output text)
INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro \
  --query 'Instances[0].InstanceId' --output text)
aws ec2 wait instance-running --instance-ids $INST
aws ec2 attach-volume --volume-id $VOL --instance-id $INST --device /dev/sdf
