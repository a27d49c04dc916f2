//! `json!`: JSON values written as JSON (`json!({"VolumeId": id, "Tags": [t]})`), built through
//! a few out-of-line helpers.
//!
//! Same syntax and same values as `serde_json::json!` for what this crate writes: objects with
//! literal, variable or expression keys, arrays, `null`, and any `Serialize` expression as a
//! value. The difference is code size in the wasm: each value becomes one call of
//! [`to_json`] (generic per type, not per use) instead of an inlined `to_value(..).unwrap()` with
//! its own panic location, and each object one call of [`object`]. Over the ~450 uses in the
//! model and the views that is about 60 KB of gzip. A value that cannot be serialized (a map
//! with non-string keys; nothing here builds one) becomes `null` instead of a panic.
//!
//! Own implementation: a token muncher that splits an object at top-level `:` and `,` and an
//! array at top-level `,`, then hands every value back to `json!`.

use serde::Serialize;
use serde_json::{Map, Value};

/// Any serializable value as JSON (`null` if it cannot be serialized).
#[inline(never)]
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// An object key from a literal, a `String` or anything that reads as a string.
#[inline(never)]
pub fn key<K: AsRef<str> + ?Sized>(k: &K) -> String {
    k.as_ref().to_owned()
}

/// An object from its members, in order (a repeated key keeps its last value).
#[inline(never)]
pub fn object(members: Vec<(String, Value)>) -> Value {
    let mut m = Map::new();
    for (k, v) in members {
        m.insert(k, v);
    }
    Value::Object(m)
}

/// An array from its elements.
#[inline(never)]
pub fn array(elements: Vec<Value>) -> Value {
    Value::Array(elements)
}

/// A JSON value written as JSON; see the module documentation.
#[macro_export]
macro_rules! json {
    (null) => {
        ::serde_json::Value::Null
    };
    ([]) => {
        $crate::json_macro::array(::std::vec::Vec::new())
    };
    ([ $($tt:tt)+ ]) => {
        $crate::json_macro::array($crate::json_elements!([] () $($tt)+))
    };
    ({}) => {
        $crate::json_macro::object(::std::vec::Vec::new())
    };
    ({ $($tt:tt)+ }) => {
        $crate::json_macro::object($crate::json_members!(@key [] () $($tt)+))
    };
    ($value:expr) => {
        $crate::json_macro::to_json(&$value)
    };
}

/// The elements of a `json!` array: `[done…] (current element's tokens) rest…`.
#[doc(hidden)]
#[macro_export]
macro_rules! json_elements {
    // The end, after a trailing comma or with nothing at all.
    ([$($done:expr,)*] ()) => {
        ::std::vec![$($done),*]
    };
    // The end of the last element.
    ([$($done:expr,)*] ($($cur:tt)+)) => {
        ::std::vec![$($done,)* $crate::json!($($cur)+)]
    };
    // A comma closes the current element.
    ([$($done:expr,)*] ($($cur:tt)+) , $($rest:tt)*) => {
        $crate::json_elements!([$($done,)* $crate::json!($($cur)+),] () $($rest)*)
    };
    // Any other token belongs to the current element.
    ([$($done:expr,)*] ($($cur:tt)*) $next:tt $($rest:tt)*) => {
        $crate::json_elements!([$($done,)*] ($($cur)* $next) $($rest)*)
    };
}

/// The members of a `json!` object: first the key's tokens up to `:`, then the value's up to
/// `,`; each finished member is `(key, value)`.
#[doc(hidden)]
#[macro_export]
macro_rules! json_members {
    // No more members.
    (@key [$($done:expr,)*] ()) => {
        ::std::vec![$($done),*]
    };
    // A colon ends the key.
    (@key [$($done:expr,)*] ($($key:tt)+) : $($rest:tt)*) => {
        $crate::json_members!(@value [$($done,)*] ($($key)+) () $($rest)*)
    };
    // Any other token belongs to the key.
    (@key [$($done:expr,)*] ($($key:tt)*) $next:tt $($rest:tt)*) => {
        $crate::json_members!(@key [$($done,)*] ($($key)* $next) $($rest)*)
    };
    // The last value.
    (@value [$($done:expr,)*] ($($key:tt)+) ($($value:tt)+)) => {
        ::std::vec![$($done,)* ($crate::json_macro::key(&($($key)+)), $crate::json!($($value)+))]
    };
    // A comma ends the value.
    (@value [$($done:expr,)*] ($($key:tt)+) ($($value:tt)+) , $($rest:tt)*) => {
        $crate::json_members!(
            @key [$($done,)* ($crate::json_macro::key(&($($key)+)), $crate::json!($($value)+)),] () $($rest)*
        )
    };
    // Any other token belongs to the value.
    (@value [$($done:expr,)*] ($($key:tt)+) ($($value:tt)*) $next:tt $($rest:tt)*) => {
        $crate::json_members!(@value [$($done,)*] ($($key)+) ($($value)* $next) $($rest)*)
    };
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    /// The crate's `json!` against serde_json's on the forms this crate writes.
    #[test]
    fn builds_the_same_values_as_serde_json() {
        let id = "vol-1";
        let key = String::from("Dynamic");
        let n = 3u64;
        let list = ["a", "b"];
        let nested = serde_json::json!({"x": 1});
        let cases: Vec<(Value, Value)> = vec![
            (crate::json!(null), serde_json::json!(null)),
            (crate::json!({}), serde_json::json!({})),
            (crate::json!([]), serde_json::json!([])),
            (crate::json!(n + 1), serde_json::json!(n + 1)),
            (
                crate::json!({"VolumeId": id, "Size": n, "Encrypted": true, "Kms": null}),
                serde_json::json!({"VolumeId": id, "Size": n, "Encrypted": true, "Kms": null}),
            ),
            (
                crate::json!({"A": {"B": [1, {"C": list.len()}], "D": []}, "E": nested.clone(),}),
                serde_json::json!({"A": {"B": [1, {"C": list.len()}], "D": []}, "E": nested.clone(),}),
            ),
            (
                crate::json!({ key: n, format!("{}Name", "User"): id, "Z": if n > 2 { "big" } else { "small" } }),
                serde_json::json!({ key: n, format!("{}Name", "User"): id, "Z": if n > 2 { "big" } else { "small" } }),
            ),
            (
                crate::json!([id, list.iter().map(|s| s.len()).sum::<usize>(), [null, false], {"k": -1}]),
                serde_json::json!([id, list.iter().map(|s| s.len()).sum::<usize>(), [null, false], {"k": -1}]),
            ),
            (
                crate::json!({"Order": 1, "Keeps": 2, "Insertion": 3, "Order": 4}),
                serde_json::json!({"Order": 1, "Keeps": 2, "Insertion": 3, "Order": 4}),
            ),
        ];
        for (ours, theirs) in cases {
            assert_eq!(ours, theirs);
            assert_eq!(ours.to_string(), theirs.to_string(), "member order");
        }
    }
}
