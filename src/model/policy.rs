//! Placeholder for the KMS authorization engine (being replaced by the real evaluator).
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub struct GrantView { pub grant_id: String, pub name: Option<String>, pub key_arn: String, pub grantee_principal: String, pub retiring_principal: Option<String>, pub operations: Vec<String>, pub constraints: Option<GrantConstraints> }
#[derive(Clone, Debug, Default)]
pub struct GrantConstraints { pub encryption_context_subset: Option<BTreeMap<String,String>>, pub encryption_context_equals: Option<BTreeMap<String,String>> }
pub struct Request<'a> { pub principal_arn: &'a str, pub principal_account: &'a str, pub action: &'a str, pub key_arn: &'a str, pub key_account: &'a str, pub encryption_context: &'a BTreeMap<String,String>, pub grant_is_for_aws_resource: bool, pub via_service: Option<&'a str>, pub grant_operations: &'a [String] }
pub struct Policies<'a> { pub key_policy: &'a Value, pub identity_policies: &'a [(String, Value)], pub grants: &'a [GrantView], pub key_is_aws_managed: bool }
pub struct Decision { pub allowed: bool, pub reason: String, pub steps: Vec<String> }
pub fn evaluate(req:&Request, _p:&Policies) -> Decision { Decision { allowed: req.principal_account == req.key_account, reason: "placeholder".into(), steps: vec![] } }
pub fn validate_key_policy(doc:&str, _caller_arn:&str, _caller_account:&str) -> Result<Value,String> { serde_json::from_str(doc).map_err(|e| e.to_string()) }
pub fn validate_policy(doc:&str) -> Result<Value,String> { serde_json::from_str(doc).map_err(|e| e.to_string()) }
pub fn default_key_policy(account:&str) -> Value { json!({"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":format!("arn:aws:iam::{account}:root")},"Action":"kms:*","Resource":"*"}]}) }
pub fn aws_managed_ebs_policy(account:&str, _region:&str) -> Value { default_key_policy(account) }
pub fn grant_allows(_g:&GrantView, _req:&Request) -> bool { false }
