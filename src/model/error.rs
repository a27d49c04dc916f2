//! AWS-shaped error values: an error code and a message, as the AWS APIs and the AWS CLI report them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An error as an AWS service returns it: a code (`InvalidParameterDependency`,
/// `DisabledException`, …) and a human-readable message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwsError {
    /// The error code, exactly as AWS spells it.
    pub code: String,
    /// The message AWS returns with the code.
    pub message: String,
}

impl AwsError {
    /// Builds an error from a code and a message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        AwsError {
            code: code.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for AwsError {}

/// Shorthand for results of model operations.
pub type AwsResult<T> = Result<T, AwsError>;
