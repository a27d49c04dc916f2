//! Request parameters of one operation: typed reads from the request's JSON members, with the
//! errors AWS returns for a missing, unknown or mistyped member.
//!
//! Every operation's members come from the operation table ([`super::ops`]): [`Params::request`]
//! refuses any other. Reads are
//! plain functions over `serde_json::Value` rather than a derived `Deserialize` per operation,
//! which keeps the error wording in one place and the wasm small (one reader for all 70
//! operations instead of a generated visitor each).

use super::codes::{CommonCode, Ec2Code, KmsCode};
use super::context::Context;
use super::ops::{Op, Service};
use super::provider::Cloud;

/// Alibaba Cloud's code for a parameter it cannot read.
const ALI_INVALID_PARAMETER: &str = "InvalidParameter";
use super::{AwsError, AwsResult};
use serde_json::{Map, Value};

/// How a service words parameter errors: KMS answers `ValidationException` in its
/// "1 validation error detected" form; EC2, IAM, Auto Scaling and the playground's own
/// operations use EC2's `MissingParameter` / `UnknownParameter` / `InvalidParameterValue`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dialect {
    Kms,
    Ec2,
    /// Alibaba Cloud's RPC APIs: `MissingParameter`, `InvalidParameter`.
    Aliyun,
}

/// The members of one request (or of one structure nested in it).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params<'a> {
    members: Option<&'a Map<String, Value>>,
    dialect: Dialect,
    /// The operation whose request this is (`None` for nested structures).
    op: Option<&'static Op>,
    /// The whole request, as given.
    request: &'a Value,
}

static NULL: Value = Value::Null;

/// What a member should have been, for the error message.
const A_STRING: &str = "a string";
const A_BOOLEAN: &str = "a boolean";
const AN_INTEGER: &str = "an integer";
const A_NON_NEGATIVE_INTEGER: &str = "a non-negative integer";
const A_LIST_OF_STRINGS: &str = "a list of strings";
const A_STRUCTURE: &str = "a structure";
const A_LIST_OF_STRUCTURES: &str = "a list of structures";
const A_MAP_OF_STRINGS: &str = "a map of strings to strings";

impl<'a> Params<'a> {
    /// The request `v` of a `service` operation that accepts exactly `accepted` members
    /// (EC2 operations also accept `DryRun`). A null request has no members.
    pub(crate) fn new(service: &str, v: &'a Value, accepted: &[&str]) -> AwsResult<Self> {
        let dialect = if service == "kms" {
            Dialect::Kms
        } else {
            Dialect::Ec2
        };
        Params::in_dialect(dialect, service == "ec2", v, accepted)
    }

    fn in_dialect(
        dialect: Dialect,
        dry_run: bool,
        v: &'a Value,
        accepted: &[&str],
    ) -> AwsResult<Self> {
        let members = match v {
            Value::Null => None,
            Value::Object(m) => Some(m),
            other => return Err(invalid(dialect, "the request", other, A_STRUCTURE)),
        };
        let p = Params {
            members,
            dialect,
            op: None,
            request: v,
        };
        p.check_members(accepted, dry_run)?;
        Ok(p)
    }

    /// The request `v` of operation `op`: exactly the members the operation table lists (and
    /// `DryRun` for EC2) are accepted.
    pub(crate) fn request(op: &'static Op, v: &'a Value) -> AwsResult<Self> {
        let accepted: Vec<&str> = op.params.iter().map(|p| p.name).collect();
        let mut p = if op.service.cloud() == Cloud::Alibaba {
            Params::in_dialect(Dialect::Aliyun, false, v, &accepted)?
        } else {
            Params::new(op.service.as_str(), v, &accepted)?
        };
        p.op = Some(op);
        Ok(p)
    }

    /// The request `v` of the `operation` of `service`, as [`Params::request`] reads it.
    pub(crate) fn for_operation(
        service: Service,
        operation: &str,
        v: &'a Value,
    ) -> AwsResult<Self> {
        match service.op(operation) {
            Some(op) => Params::request(op, v),
            None => Err(AwsError::new(
                CommonCode::InvalidAction,
                format!("The action {operation} is not valid for the {service} service in this playground."),
            )),
        }
    }

    /// The API name of the operation this request is for (empty for nested structures).
    pub(crate) fn operation(&self) -> &'static str {
        self.op.map_or("", |o| o.operation)
    }

    /// The request as it was given.
    pub(crate) fn request_value(&self) -> &'a Value {
        self.request
    }

    /// Whether the request sets `DryRun` to true.
    pub(crate) fn dry_run(&self) -> bool {
        self.raw("DryRun").and_then(Value::as_bool) == Some(true)
    }

    fn check_members(&self, accepted: &[&str], dry_run: bool) -> AwsResult<()> {
        let unknown = self
            .members
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
            .find(|k| !(accepted.contains(&k.as_str()) || dry_run && k.as_str() == "DryRun"));
        match unknown {
            None => Ok(()),
            Some(name) => Err(AwsError::new(
                match self.dialect {
                    Dialect::Kms => KmsCode::ValidationException.as_str(),
                    Dialect::Ec2 => Ec2Code::UnknownParameter.as_str(),
                    Dialect::Aliyun => ALI_INVALID_PARAMETER,
                },
                format!("The parameter {name} is not recognized"),
            )),
        }
    }

    /// The member's value; a JSON null counts as absent.
    pub(crate) fn raw(&self, name: &str) -> Option<&'a Value> {
        self.members?.get(name).filter(|v| !v.is_null())
    }

    fn missing(&self, name: &str) -> AwsError {
        match self.dialect {
            Dialect::Kms => AwsError::new(
                KmsCode::ValidationException,
                format!(
                    "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
                    lower_first(name)
                ),
            ),
            Dialect::Ec2 => AwsError::new(
                Ec2Code::MissingParameter,
                format!("The request must contain the parameter {name}"),
            ),
            Dialect::Aliyun => AwsError::new(
                "MissingParameter",
                format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
            ),
        }
    }

    fn read<T>(
        &self,
        name: &str,
        expected: &str,
        f: impl FnOnce(&'a Value) -> Option<T>,
    ) -> AwsResult<Option<T>> {
        match self.raw(name) {
            None => Ok(None),
            Some(v) => f(v)
                .map(Some)
                .ok_or_else(|| invalid(self.dialect, name, v, expected)),
        }
    }

    /// `Some(value)` of a required member, or the service's "missing" error.
    pub(crate) fn required<T>(&self, name: &str, v: Option<T>) -> AwsResult<T> {
        v.ok_or_else(|| self.missing(name))
    }

    /// An optional string member.
    pub(crate) fn opt_str(&self, name: &str) -> AwsResult<Option<String>> {
        self.read(name, A_STRING, |v| v.as_str().map(str::to_owned))
    }

    /// A required string member.
    pub(crate) fn str(&self, name: &str) -> AwsResult<String> {
        self.opt_str(name).and_then(|v| self.required(name, v))
    }

    /// An optional boolean member.
    pub(crate) fn opt_bool(&self, name: &str) -> AwsResult<Option<bool>> {
        self.read(name, A_BOOLEAN, Value::as_bool)
    }

    /// An optional integer member that cannot be negative.
    pub(crate) fn opt_u64(&self, name: &str) -> AwsResult<Option<u64>> {
        self.read(name, A_NON_NEGATIVE_INTEGER, Value::as_u64)
    }

    /// An optional integer member.
    pub(crate) fn opt_i64(&self, name: &str) -> AwsResult<Option<i64>> {
        self.read(name, AN_INTEGER, Value::as_i64)
    }

    /// An optional list of strings.
    pub(crate) fn opt_strs(&self, name: &str) -> AwsResult<Option<Vec<String>>> {
        self.read(name, A_LIST_OF_STRINGS, |v| {
            v.as_array()?
                .iter()
                .map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
    }

    /// A required list of strings.
    pub(crate) fn strs(&self, name: &str) -> AwsResult<Vec<String>> {
        self.opt_strs(name).and_then(|v| self.required(name, v))
    }

    /// An optional map of strings to strings, such as an encryption context.
    pub(crate) fn opt_context(&self, name: &str) -> AwsResult<Option<Context>> {
        self.read(name, A_MAP_OF_STRINGS, |v| {
            let mut map = Context::new();
            for (k, s) in v.as_object()? {
                map.insert(k.clone(), s.as_str()?.to_owned());
            }
            Some(map)
        })
    }

    /// An optional structure that accepts exactly `accepted` members.
    pub(crate) fn opt_struct(&self, name: &str, accepted: &[&str]) -> AwsResult<Option<Self>> {
        let Some(m) = self.read(name, A_STRUCTURE, Value::as_object)? else {
            return Ok(None);
        };
        let p = Params {
            members: Some(m),
            dialect: self.dialect,
            op: None,
            request: self.raw(name).unwrap_or(&NULL),
        };
        p.check_members(accepted, false)?;
        Ok(Some(p))
    }

    /// An optional list of structures, each accepting exactly `accepted` members.
    pub(crate) fn opt_structs(
        &self,
        name: &str,
        accepted: &[&str],
    ) -> AwsResult<Option<Vec<Self>>> {
        let Some(items) = self.read(name, A_LIST_OF_STRUCTURES, Value::as_array)? else {
            return Ok(None);
        };
        items
            .iter()
            .map(|item| match item.as_object() {
                Some(m) => {
                    let p = Params {
                        members: Some(m),
                        dialect: self.dialect,
                        op: None,
                        request: item,
                    };
                    p.check_members(accepted, false)?;
                    Ok(p)
                }
                None => Err(invalid(self.dialect, name, item, A_STRUCTURE)),
            })
            .collect::<AwsResult<Vec<_>>>()
            .map(Some)
    }
}

/// The error for a member of the wrong type.
fn invalid(dialect: Dialect, name: &str, v: &Value, expected: &str) -> AwsError {
    let shown = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match dialect {
        Dialect::Kms => AwsError::new(
            KmsCode::ValidationException,
            format!(
                "1 validation error detected: Value '{shown}' at '{}' failed to satisfy constraint: Member must be {expected}",
                lower_first(name)
            ),
        ),
        Dialect::Ec2 => AwsError::new(
            Ec2Code::InvalidParameterValue,
            format!("Value ({shown}) for parameter {name} is invalid. Expected {expected}."),
        ),
        Dialect::Aliyun => AwsError::new(
            ALI_INVALID_PARAMETER,
            format!("The specified parameter \"{name}\" is not valid: {shown} is not {expected}."),
        ),
    }
}

/// `KeyId` → `keyId`: how KMS names members in validation messages.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn err(r: AwsResult<impl std::fmt::Debug>) -> (String, String) {
        let e = r.expect_err("expected an error");
        (e.code, e.message)
    }

    #[test]
    fn unknown_members_are_refused_in_each_dialect() {
        let v = json!({"KeyId": "k", "Colour": "red"});
        for (service, code) in [
            ("kms", "ValidationException"),
            ("ec2", "UnknownParameter"),
            ("iam", "UnknownParameter"),
        ] {
            let (c, m) = err(Params::new(service, &v, &["KeyId"]));
            assert_eq!(c, code, "{service}");
            assert_eq!(m, "The parameter Colour is not recognized");
        }
    }

    #[test]
    fn dry_run_is_accepted_by_ec2_only() {
        let v = json!({"DryRun": true});
        assert!(Params::new("ec2", &v, &[]).is_ok());
        assert_eq!(err(Params::new("play", &v, &[])).0, "UnknownParameter");
    }

    #[test]
    fn missing_required_members_use_the_service_wording() {
        let v = json!({});
        let kms = Params::new("kms", &v, &["KeyId"]).unwrap();
        assert_eq!(
            err(kms.str("KeyId")),
            (
                "ValidationException".into(),
                "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null".into()
            )
        );
        let ec2 = Params::new("ec2", &v, &["VolumeId"]).unwrap();
        assert_eq!(
            err(ec2.str("VolumeId")),
            (
                "MissingParameter".into(),
                "The request must contain the parameter VolumeId".into()
            )
        );
        assert_eq!(err(ec2.strs("VolumeIds")).0, "MissingParameter");
    }

    #[test]
    fn null_members_and_null_requests_are_absent() {
        let v = json!({"Size": null});
        let p = Params::new("ec2", &v, &["Size"]).unwrap();
        assert_eq!(p.opt_u64("Size").unwrap(), None);
        let none = Params::new("ec2", &Value::Null, &[]).unwrap();
        assert_eq!(none.opt_str("Anything").unwrap(), None);
        assert_eq!(
            err(Params::new("ec2", &json!([1]), &[])).0,
            "InvalidParameterValue"
        );
    }

    #[test]
    fn each_reader_accepts_its_type_and_refuses_others() {
        let v = json!({
            "S": "x", "B": true, "U": 8, "I": -3, "L": ["a", "b"], "C": {"k": "v"},
            "O": {"Inner": "y"}, "OL": [{"Inner": "z"}],
            "BadU": -1, "BadB": "yes", "BadL": ["a", 1], "BadC": {"k": 1}, "BadOL": [1]
        });
        let names = [
            "S", "B", "U", "I", "L", "C", "O", "OL", "BadU", "BadB", "BadL", "BadC", "BadOL",
        ];
        let p = Params::new("ec2", &v, &names).unwrap();
        assert_eq!(p.str("S").unwrap(), "x");
        assert_eq!(p.opt_bool("B").unwrap(), Some(true));
        assert_eq!(p.opt_u64("U").unwrap(), Some(8));
        assert_eq!(p.opt_i64("I").unwrap(), Some(-3));
        assert_eq!(p.strs("L").unwrap(), vec!["a", "b"]);
        assert_eq!(p.opt_context("C").unwrap().unwrap()["k"], "v");
        let o = p.opt_struct("O", &["Inner"]).unwrap().unwrap();
        assert_eq!(o.str("Inner").unwrap(), "y");
        let ol = p.opt_structs("OL", &["Inner"]).unwrap().unwrap();
        assert_eq!(ol[0].str("Inner").unwrap(), "z");
        assert_eq!(
            err(p.opt_u64("BadU")),
            (
                "InvalidParameterValue".into(),
                "Value (-1) for parameter BadU is invalid. Expected a non-negative integer.".into()
            )
        );
        assert_eq!(err(p.opt_bool("BadB")).0, "InvalidParameterValue");
        assert_eq!(err(p.opt_strs("BadL")).0, "InvalidParameterValue");
        assert_eq!(err(p.opt_context("BadC")).0, "InvalidParameterValue");
        assert_eq!(err(p.opt_structs("BadOL", &[])).0, "InvalidParameterValue");
        assert_eq!(err(p.opt_str("B")).0, "InvalidParameterValue");
        assert_eq!(
            err(p.opt_struct("O", &["Other"])).1,
            "The parameter Inner is not recognized"
        );
    }

    #[test]
    fn kms_type_errors_name_the_member_in_camel_case() {
        let v = json!({"NumberOfBytes": "many"});
        let p = Params::new("kms", &v, &["NumberOfBytes"]).unwrap();
        assert_eq!(
            err(p.opt_i64("NumberOfBytes")).1,
            "1 validation error detected: Value 'many' at 'numberOfBytes' failed to satisfy constraint: Member must be an integer"
        );
    }
}
