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
        /// No such instance.
        InvalidInstanceIdNotFound = "InvalidInstanceID.NotFound",
        /// The KMS key does not exist.
        InvalidKmsKeyNotFound = "InvalidKMSKey.NotFound",
        /// A launch template of that name exists.
        InvalidLaunchTemplateNameAlreadyExists = "InvalidLaunchTemplateName.AlreadyExistsException",
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
        /// The key's state does not allow the operation.
        KmsInvalidStateException = "KMSInvalidStateException",
        /// The key policy is malformed or fails the lockout check.
        MalformedPolicyDocumentException = "MalformedPolicyDocumentException",
        /// The caller may not do this (reserved alias names).
        NotAuthorizedException = "NotAuthorizedException",
        /// No such key, alias or grant.
        NotFoundException = "NotFoundException",
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
