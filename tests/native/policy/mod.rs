//! KMS authorization: policy evaluation, validation and lockout checks.

mod eval;
