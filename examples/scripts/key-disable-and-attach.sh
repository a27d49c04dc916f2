# ebs-kms-playground script v1
# seed: 7
#
# What disabling a KMS key does to EBS. An attached encrypted volume keeps working (the host
# already holds the plaintext data key), but once detached it cannot be attached again: EC2's
# CreateGrant / Decrypt calls to KMS fail with DisabledException and the attach is refused.
# Enabling the key again fixes it.
#
# Run it:  cargo run --release --bin ebs-kms -- run examples/scripts/key-disable-and-attach.sh

KEY=$(aws kms create-key --description "payroll data" --query KeyMetadata.KeyId --output text)
aws kms create-alias --alias-name alias/payroll --target-key-id $KEY

AMI=$(aws ec2 describe-images --owners amazon --query 'Images[0].ImageId' --output text)
INSTANCE=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro \
  --placement AvailabilityZone=us-east-1a --query 'Instances[0].InstanceId' --output text)
aws ec2 wait instance-running --instance-ids $INSTANCE

VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 4 \
  --encrypted --kms-key-id alias/payroll --query VolumeId --output text)
aws ec2 wait volume-available --volume-ids $VOL
aws ec2 attach-volume --volume-id $VOL --instance-id $INSTANCE --device /dev/sdf
aws ec2 wait volume-in-use --volume-ids $VOL
play write --instance-id $INSTANCE --device /dev/sdf --text "payroll"

# Disable the key: KMS refuses to use it from now on.
aws kms disable-key --key-id $KEY
aws kms describe-key --key-id alias/payroll --query KeyMetadata.KeyState --output text
aws kms generate-data-key-without-plaintext --key-id alias/payroll \
  --key-spec AES_256  # expect-error DisabledException

# The attached volume still reads and writes: the data key is in the host's memory.
play read --instance-id $INSTANCE --device /dev/sdf --query Text --output text

# Detach it, and the host forgets the data key; attaching again needs KMS, and fails.
aws ec2 detach-volume --volume-id $VOL
aws ec2 wait volume-available --volume-ids $VOL
aws ec2 attach-volume --volume-id $VOL --instance-id $INSTANCE \
  --device /dev/sdf  # expect-error CustomerKeyHasBeenRevoked

# A new encrypted volume under the disabled key is accepted, then fails asynchronously:
# EC2 gets DisabledException from KMS, reports a failed createVolume event through
# EventBridge, and the volume goes away.
NEW=$(aws ec2 create-volume --availability-zone us-east-1a --size 4 --encrypted \
  --kms-key-id alias/payroll --query VolumeId --output text)
aws ec2 wait volume-available --volume-ids $NEW  # expect-error WaiterError
aws ec2 describe-volumes --volume-ids $NEW  # expect-error InvalidVolume.NotFound

# Enable the key and the same attach succeeds.
aws kms enable-key --key-id $KEY
aws ec2 attach-volume --volume-id $VOL --instance-id $INSTANCE --device /dev/sdf
aws ec2 wait volume-in-use --volume-ids $VOL
play read --instance-id $INSTANCE --device /dev/sdf --query Text --output text
