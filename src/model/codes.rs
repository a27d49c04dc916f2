//! Error codes: every code a simulated service returns, one closed set per service, each
//! spelled as AWS spells it in exactly one place (`as_str`).
//!
//! [`AwsError::new`](super::AwsError::new) takes any of them (`impl From<Code> for String`);
//! `AwsError.code` stays the string, as traces and the CLI print it.

/// Defines a closed set of error codes with their AWS spelling.
macro_rules! codes {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every code of the set.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The code as AWS spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)*
                }
            }

            /// The code AWS spells `s`, if it is one of the set.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.as_str() == s)
            }
        }

        impl From<$name> for String {
            fn from(c: $name) -> String {
                c.as_str().to_string()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, c: &$name) -> bool {
                self == c.as_str()
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, c: &$name) -> bool {
                *self == c.as_str()
            }
        }
    };
}

codes! {
    /// Codes the playground's front door returns before any service sees the request.
    CommonCode {
        /// The operation is not one the service models.
        InvalidAction = "InvalidAction",
        /// The region or account of the credentials is not one the playground models.
        InvalidClientTokenId = "InvalidClientTokenId",
        /// The service is not one the playground models.
        UnknownService = "UnknownService",
        /// The parameters are not a JSON object.
        ValidationException = "ValidationException",
    }
}

codes! {
    /// Amazon EC2 (and EBS) error codes.
    Ec2Code {
        /// The KMS key of an encrypted volume can no longer be used.
        CustomerKeyHasBeenRevoked = "CustomerKeyHasBeenRevoked",
        /// The request would have succeeded (DryRun).
        DryRunOperation = "DryRunOperation",
        /// The instance is not in a state that allows the request.
        IncorrectInstanceState = "IncorrectInstanceState",
        /// The resource is not in a state that allows the request.
        IncorrectState = "IncorrectState",
        /// An internal error (the playground's stand-in for AWS's).
        InternalError = "InternalError",
        /// No such AMI.
        InvalidAmiIdNotFound = "InvalidAMIID.NotFound",
        /// The AMI is not available.
        InvalidAmiIdUnavailable = "InvalidAMIID.Unavailable",
        /// An AMI of that name exists.
        InvalidAmiNameDuplicate = "InvalidAMIName.Duplicate",
        /// The AMI name is malformed.
        InvalidAmiNameMalformed = "InvalidAMIName.Malformed",
        /// No such attachment.
        InvalidAttachmentNotFound = "InvalidAttachment.NotFound",
        /// A block device mapping is invalid.
        InvalidBlockDeviceMapping = "InvalidBlockDeviceMapping",
        /// A resource id that is not of any known form (CreateTags, DeleteTags).
        InvalidId = "InvalidID",
        /// No such instance.
        InvalidInstanceIdNotFound = "InvalidInstanceID.NotFound",
        /// The KMS key does not exist.
        InvalidKmsKeyNotFound = "InvalidKMSKey.NotFound",
        /// A launch template of that name exists.
        InvalidLaunchTemplateNameAlreadyExists = "InvalidLaunchTemplateName.AlreadyExistsException",
        /// No launch template with that id.
        InvalidLaunchTemplateIdNotFound = "InvalidLaunchTemplateId.NotFound",
        /// No such launch template.
        InvalidLaunchTemplateNameNotFound = "InvalidLaunchTemplateName.NotFoundException",
        /// A parameter is invalid.
        InvalidParameter = "InvalidParameter",
        /// Parameters that cannot be used together.
        InvalidParameterCombination = "InvalidParameterCombination",
        /// A parameter needs another one.
        InvalidParameterDependency = "InvalidParameterDependency",
        /// A parameter's value is invalid.
        InvalidParameterValue = "InvalidParameterValue",
        /// The snapshot is in use.
        InvalidSnapshotInUse = "InvalidSnapshot.InUse",
        /// No such snapshot.
        InvalidSnapshotNotFound = "InvalidSnapshot.NotFound",
        /// No such volume.
        InvalidVolumeNotFound = "InvalidVolume.NotFound",
        /// The volume and the instance are in different zones.
        InvalidVolumeZoneMismatch = "InvalidVolume.ZoneMismatch",
        /// No such availability zone.
        InvalidZoneNotFound = "InvalidZone.NotFound",
        /// A required parameter is missing.
        MissingParameter = "MissingParameter",
        /// The operation is not permitted.
        OperationNotPermitted = "OperationNotPermitted",
        /// A resource would have more than 50 tags.
        TagLimitExceeded = "TagLimitExceeded",
        /// A parameter the operation does not take.
        UnknownParameter = "UnknownParameter",
        /// The operation is not supported.
        UnsupportedOperation = "UnsupportedOperation",
        /// The volume is attached.
        VolumeInUse = "VolumeInUse",
    }
}

codes! {
    /// AWS KMS error codes.
    KmsCode {
        /// The caller is not authorized.
        AccessDeniedException = "AccessDeniedException",
        /// An alias of that name exists.
        AlreadyExistsException = "AlreadyExistsException",
        /// The key is disabled.
        DisabledException = "DisabledException",
        /// The ciphertext was encrypted under another key.
        IncorrectKeyException = "IncorrectKeyException",
        /// The ciphertext or its encryption context is invalid.
        InvalidCiphertextException = "InvalidCiphertextException",
        /// A grant token is invalid.
        InvalidGrantTokenException = "InvalidGrantTokenException",
        /// The key's usage does not allow the operation.
        InvalidKeyUsageException = "InvalidKeyUsageException",
        /// A Marker that ListKeys, ListAliases or ListGrants did not return.
        InvalidMarkerException = "InvalidMarkerException",
        /// The key's state does not allow the operation.
        KmsInvalidStateException = "KMSInvalidStateException",
        /// The key policy is malformed or fails the lockout check.
        MalformedPolicyDocumentException = "MalformedPolicyDocumentException",
        /// The caller may not do this (reserved alias names).
        NotAuthorizedException = "NotAuthorizedException",
        /// No such key, alias or grant.
        NotFoundException = "NotFoundException",
        /// A tag is invalid (a reserved `aws:` key, a key or value too long).
        TagException = "TagException",
        /// The operation is not supported for the key.
        UnsupportedOperationException = "UnsupportedOperationException",
        /// A parameter is invalid.
        ValidationException = "ValidationException",
    }
}

codes! {
    /// AWS IAM error codes.
    IamCode {
        /// A user or role of that name exists.
        EntityAlreadyExists = "EntityAlreadyExists",
        /// An input is invalid.
        InvalidInput = "InvalidInput",
        /// The policy document is malformed.
        MalformedPolicyDocument = "MalformedPolicyDocument",
        /// No such user, role or policy.
        NoSuchEntity = "NoSuchEntity",
        /// Service-linked roles cannot be changed.
        UnmodifiableEntity = "UnmodifiableEntity",
        /// A parameter is invalid.
        ValidationError = "ValidationError",
    }
}

codes! {
    /// AWS STS error codes.
    StsCode {
        /// The caller may not assume the role.
        AccessDenied = "AccessDenied",
        /// A parameter is invalid.
        ValidationError = "ValidationError",
    }
}

codes! {
    /// Amazon EC2 Auto Scaling error codes.
    AutoScalingCode {
        /// A group of that name exists.
        AlreadyExists = "AlreadyExists",
        /// A NextToken that the service did not return.
        InvalidNextToken = "InvalidNextToken",
        /// A parameter is invalid.
        ValidationError = "ValidationError",
    }
}

codes! {
    /// Codes of the playground's own `play` commands (besides the EC2 codes they share).
    PlayCode {
        /// The guest cannot read or write its disk.
        IoError = "IOError",
    }
}

// Alibaba Cloud's codes (seed 002). Where a code comes from Alibaba's API reference its page is
// named; the few the references consulted do not give are marked as the playground's choice.

codes! {
    /// Alibaba Cloud ECS error codes (ECS API reference, the CreateDisk, RunInstances,
    /// ModifyDiskDefaultKMSKeyId and StartInstance pages' "Error codes" tables).
    AliEcsCode {
        /// The caller may not do this (a RAM policy denies it or allows nothing).
        ForbiddenRam = "Forbidden.RAM",
        /// The disk category cannot be encrypted (CreateDisk: "The current disk category does not support encryption…").
        EncryptedNotSupported = "InvalidParameter.EncryptedNotSupported",
        /// A disk from an encrypted snapshot must be encrypted (CreateDisk).
        EncryptedNotMatchSnapshot = "InvalidEncrypted.NotMatchSnapshot",
        /// Default encryption is on: no unencrypted disk (CreateDisk).
        EncryptedNotMatchDefault = "InvalidEncrypted.NotMatchDiskDefaultEncryption",
        /// A KMSKeyId without Encrypted=true (CreateDisk).
        EncryptedNotMatchKmsKeyId = "InvalidEncrypted.NotMatchKmsKeyId",
        /// ECS lacks the role that lets it use the account's CMKs.
        KmsUnauthorized = "InvalidParameter.KMSKeyId.KMSUnauthorized",
        /// The CMK is not Enabled.
        CmkNotEnabled = "InvalidParameter.KMSKeyId.CMKNotEnabled",
        /// No such key (CreateDisk, RunInstances).
        KmsKeyIdNotFound = "InvalidParameter.KMSKeyId.NotFound",
        /// No such key (ModifyDiskDefaultKMSKeyId, CopySnapshot, StartInstance).
        KmsKeyIdNotFoundOperation = "InvalidOperation.KMSKeyIdNotFound",
        /// The key is not symmetric (CreateDisk).
        KmsKeyNotSymmetric = "InvalidKMSKeyId.NotSymmetric",
        /// The region does not support CMKs ("does not support byok", CreateDisk).
        RegionNotSupportByok = "InvalidRegion.NotSupport",
        /// The region cannot create encrypted disks (the playground's choice among CreateDisk's codes).
        RegionNotSupportEncrypted = "NotSupportSnapshotEncrypted.RegionId",
        /// The instance type cannot attach the encrypted disk (the playground's choice).
        InstanceTypeNotSupported = "InvalidInstanceType.NotSupported",
        /// An unknown disk category.
        DiskCategoryNotSupported = "InvalidDiskCategory.NotSupported",
        /// A size out of range.
        InvalidSize = "InvalidSize.ValueNotSupported",
        /// A parameter is invalid.
        InvalidParameter = "InvalidParameter",
        /// A parameter is missing.
        MissingParameter = "MissingParameter",
        /// ZoneId and InstanceId together.
        ZoneAndInstanceConflict = "InvalidParam.ZoneIdAndInstanceId.Conflict",
        /// No such zone.
        InvalidZoneId = "InvalidZoneId.NotFound",
        /// No such disk.
        InvalidDiskId = "InvalidDiskId.NotFound",
        /// No such instance.
        InvalidInstanceId = "InvalidInstanceId.NotFound",
        /// No such snapshot.
        InvalidSnapshotId = "InvalidSnapshotId.NotFound",
        /// No such image.
        InvalidImageId = "InvalidImageId.NotFound",
        /// The snapshot is not complete.
        SnapshotNotReady = "InvalidSnapshotId.NotReady",
        /// The image is not available.
        ImageNotReady = "InvalidImageId.NotReady",
        /// The disk is not in a state that allows the operation.
        IncorrectDiskStatus = "IncorrectDiskStatus",
        /// The instance is not in a state that allows the operation.
        IncorrectInstanceStatus = "IncorrectInstanceStatus",
        /// The disk and instance are in different zones.
        ZoneMismatch = "InvalidDiskId.ZoneMismatch",
        /// The disk is a system disk.
        OperationDenied = "OperationDenied",
        /// The region of a copy does not exist.
        InvalidRegionId = "InvalidRegionId.NotFound",
        /// The account UID is malformed.
        InvalidAccount = "InvalidAccount.Malformed",
        /// The snapshot is in use by disks.
        SnapshotInUse = "SnapshotInUse",
    }
}

codes! {
    /// Alibaba Cloud KMS error codes (KMS API reference, "Service error codes").
    AliKmsCode {
        /// No such key ("The specified Key is not found.").
        KeyNotFound = "Forbidden.KeyNotFound",
        /// No such alias.
        AliasNotFound = "Forbidden.AliasNotFound",
        /// A RAM policy does not allow the request ("This operation is forbidden by permission system.").
        NoPermission = "Forbidden.NoPermission",
        /// The operation is not supported (a service key cannot be disabled or deleted).
        UnsupportedOperation = "Rejected.UnsupportedOperation",
        /// The key's state does not allow the operation (the playground's spelling).
        KeyStateConflict = "Forbidden.KeyStateConflict",
        /// An alias of that name exists.
        AliasExists = "Forbidden.AliasExists",
        /// A reserved alias.
        ReservedAlias = "Forbidden.ReservedAlias",
        /// The ciphertext is invalid.
        InvalidCiphertext = "InvalidCiphertext",
        /// A parameter is invalid.
        InvalidParameter = "InvalidParameter",
    }
}

codes! {
    /// Alibaba Cloud RAM error codes (RAM API reference).
    AliRamCode {
        /// The caller may not do this.
        ForbiddenRam = "Forbidden.RAM",
        /// A user of that name exists.
        UserExists = "EntityAlreadyExists.User",
        /// A role of that name exists.
        RoleExists = "EntityAlreadyExists.Role",
        /// A policy of that name exists.
        PolicyExists = "EntityAlreadyExists.Policy",
        /// The policy is already attached.
        PolicyAttached = "EntityAlreadyExists.User.Policy",
        /// No such user.
        NoSuchUser = "EntityNotExist.User",
        /// No such role.
        NoSuchRole = "EntityNotExist.Role",
        /// No such policy.
        NoSuchPolicy = "EntityNotExist.Policy",
        /// The policy is not attached.
        NotAttached = "EntityNotExist.User.Policy",
        /// The policy document is malformed.
        MalformedPolicy = "MalformedPolicyDocument",
        /// A parameter is invalid.
        InvalidParameter = "InvalidParameter",
    }
}

codes! {
    /// Codes of the playground's own commands in an Alibaba Cloud world.
    AliPlayCode {
        /// The guest's disk I/O hangs: the host could not decrypt the disk's data key at startup.
        IoHang = "IOHang",
        /// The disk is not attached to a running instance.
        NotAttached = "IncorrectDiskStatus",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_and_compare_with_strings() {
        assert_eq!(
            Ec2Code::InvalidAmiIdNotFound.as_str(),
            "InvalidAMIID.NotFound"
        );
        assert_eq!(
            KmsCode::parse("KMSInvalidStateException"),
            Some(KmsCode::KmsInvalidStateException)
        );
        assert_eq!(KmsCode::parse("nope"), None);
        assert_eq!(String::from(PlayCode::IoError), "IOError");
        let code = String::from(StsCode::AccessDenied);
        assert!(code == StsCode::AccessDenied);
        for set in [Ec2Code::ALL.len(), KmsCode::ALL.len(), IamCode::ALL.len()] {
            assert!(set > 0);
        }
        let mut all: Vec<&str> = Ec2Code::ALL.iter().map(|c| c.as_str()).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), Ec2Code::ALL.len(), "EC2 codes are distinct");
    }
}
