# ebs-kms-playground script v1
# seed: 3
#
# EBS encryption by default: once it is on, every new volume in the account and region is
# encrypted, with the AWS managed key alias/aws/ebs unless a default customer managed key is
# set. Volumes created before stay as they were.
#
# Run it:  cargo run --release --bin ebs-kms -- run examples/scripts/encryption-by-default.sh

OLD=$(aws ec2 create-volume --availability-zone us-east-1a --size 8 --query VolumeId --output text)
aws ec2 get-ebs-encryption-by-default
aws ec2 enable-ebs-encryption-by-default
aws ec2 get-ebs-default-kms-key-id --output text

# No --encrypted, yet encrypted under alias/aws/ebs (created by AWS on first use).
NEW=$(aws ec2 create-volume --availability-zone us-east-1a --size 8 --query VolumeId --output text)
aws kms describe-key --key-id alias/aws/ebs --query KeyMetadata.KeyManager --output text

# Make a customer managed key the default; new volumes use it.
KEY=$(aws kms create-key --description "EBS default" --query KeyMetadata.Arn --output text)
aws ec2 modify-ebs-default-kms-key-id --kms-key-id $KEY
CMK=$(aws ec2 create-volume --availability-zone us-east-1a --size 8 --query VolumeId --output text)
aws ec2 describe-volumes --volume-ids $OLD $NEW $CMK \
  --query 'Volumes[].[VolumeId,Encrypted,KmsKeyId]' --output table

# While it is on, even --no-encrypted gives an encrypted volume.
aws ec2 create-volume --availability-zone us-east-1a --size 8 --no-encrypted \
  --query Encrypted --output text

aws ec2 reset-ebs-default-kms-key-id --output text
aws ec2 disable-ebs-encryption-by-default
