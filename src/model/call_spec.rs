//! What recording one call takes ([`CallSpec`], defaults fill the rest) and the redaction of
//! plaintext key material from a response before it enters the trace.

use super::trace::{Approximation, Call, KeyLocation, Participant};
use serde_json::Value;

/// Everything needed to record a call; defaults fill the rest.
#[derive(Clone, Debug, Default)]
pub(crate) struct CallSpec {
    pub from: Participant,
    pub to: Participant,
    pub operation: String,
    pub request: Value,
    pub principal: String,
    pub invoked_by: Option<String>,
    pub account: String,
    pub region: String,
    pub encryption_context: Option<Value>,
    pub key_location: Option<KeyLocation>,
    pub approximation: Option<String>,
    pub doc: Option<String>,
    pub is_event: bool,
}

impl CallSpec {
    pub(super) fn into_call(self, command: usize, time: u64, parent: Option<usize>) -> Call {
        Call {
            seq: 0,
            command,
            time,
            from: self.from,
            to: self.to,
            operation: self.operation,
            request: self.request,
            response: Value::Null,
            error: None,
            principal: self.principal,
            invoked_by: self.invoked_by,
            account: self.account,
            region: self.region,
            encryption_context: self.encryption_context,
            key_location: self.key_location,
            approximation: self.approximation.map(|note| Approximation { note }),
            doc: self.doc,
            auth: None,
            key_arns: Vec::new(),
            is_event: self.is_event,
            parent,
            end: 0,
        }
    }
}

/// Replaces plaintext key material in a response with a marker before it enters the trace.
pub(crate) fn redact(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    if k == "Plaintext" {
                        (
                            k.clone(),
                            Value::String(
                                "<plaintext: returned to the caller, never recorded>".into(),
                            ),
                        )
                    } else {
                        (k.clone(), redact(v))
                    }
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(redact).collect()),
        _ => v.clone(),
    }
}
