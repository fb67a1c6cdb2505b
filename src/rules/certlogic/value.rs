//! CertLogic values: JSON plus date-times, cheap to clone (shared strings, arrays and objects),
//! so that `var` hands out parts of a large data context (value sets) without copying them.

use std::sync::Arc;

use serde_json::Value as Json;

use super::datetime::DateTime;

/// A value a CertLogic expression reads or produces.
#[derive(Clone, Debug)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number (JSON numbers without a fraction, within `i64`).
    Int(i64),
    /// Any other JSON number; CertLogic's arithmetic and comparisons refuse it.
    Float(f64),
    /// A string.
    Str(Arc<str>),
    /// An array.
    Array(Arc<[Value]>),
    /// An object: keys sorted, each once.
    Object(Arc<Object>),
    /// A date-time, made only by `plusTime` and `dccDateOfBirth`.
    DateTime(DateTime),
}

/// A JSON object's entries, in the order given. Keys are meant to be unique (JSON documents
/// as parsed, DCC payloads and the contexts the engine builds all are); of a repeated key,
/// the first entry counts.
#[derive(Debug, Default)]
pub struct Object {
    entries: Vec<(Arc<str>, Value)>,
}

impl Object {
    /// An object of `entries`.
    pub fn new(entries: Vec<(Arc<str>, Value)>) -> Self {
        Self { entries }
    }

    /// The value under `key`. A linear scan with the comparison inlined: objects here hold a
    /// dozen short keys at most (DCC fields), where calling `memcmp` per probe costs more.
    pub fn get(&self, key: &str) -> Option<&Value> {
        let key = key.as_bytes();
        self.entries
            .iter()
            .find(|(k, _)| {
                let k = k.as_bytes();
                k.len() == key.len() && k.iter().zip(key).all(|(a, b)| a == b)
            })
            .map(|(_, v)| v)
    }

    /// Whether the object has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in their order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

/// Integers within ±2^53 are the ones a JSON number (a JavaScript `Number`) carries exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl Value {
    /// A string value.
    pub fn str(text: &str) -> Self {
        Self::Str(Arc::from(text))
    }

    /// An object value from its entries.
    pub fn object(entries: Vec<(Arc<str>, Value)>) -> Self {
        Self::Object(Arc::new(Object::new(entries)))
    }

    /// The value of a JSON document; a whole `f64` within ±2^53 is an [`Value::Int`], as it is
    /// an integer to JavaScript.
    pub fn from_json(json: &Json) -> Self {
        match json {
            Json::Null => Self::Null,
            Json::Bool(b) => Self::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Self::Int(i),
                None => Self::number(n.as_f64().unwrap_or(f64::NAN)),
            },
            Json::String(s) => Self::str(s),
            Json::Array(items) => Self::Array(items.iter().map(Self::from_json).collect()),
            Json::Object(map) => Self::object(
                map.iter()
                    .map(|(k, v)| (Arc::from(k.as_str()), Self::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// A number: an [`Value::Int`] when whole and exact, else a [`Value::Float`].
    pub fn number(f: f64) -> Self {
        if f.fract() == 0.0 && f.abs() <= MAX_SAFE_INTEGER {
            #[allow(clippy::as_conversions, clippy::cast_possible_truncation)]
            // safe: whole and within ±2^53
            return Self::Int(f as i64);
        }
        Self::Float(f)
    }

    /// The value as JSON; a date-time becomes its ISO 8601 text with milliseconds (what
    /// `JSON.stringify` makes of a `Date`).
    pub fn to_json(&self) -> Json {
        match self {
            Self::Null => Json::Null,
            Self::Bool(b) => Json::Bool(*b),
            Self::Int(i) => Json::from(*i),
            Self::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Self::Str(s) => Json::String(s.to_string()),
            Self::Array(items) => Json::Array(items.iter().map(Self::to_json).collect()),
            Self::Object(object) => {
                let mut map = serde_json::Map::new();
                for (key, value) in object.entries() {
                    map.entry(key).or_insert_with(|| value.to_json());
                }
                Json::Object(map)
            }
            Self::DateTime(t) => Json::String(t.to_string()),
        }
    }

    /// CertLogic's truthiness: `Some(true)` for truthy, `Some(false)` for falsy, `None` for a
    /// value that is neither (a date-time, a number that is not a whole one... see the spec).
    pub fn truthiness(&self) -> Option<bool> {
        match self {
            Self::Null => Some(false),
            Self::Bool(b) => Some(*b),
            Self::Int(i) => Some(*i != 0),
            // JavaScript's `typeof value === "number" && value !== 0` (NaN is truthy there too).
            Self::Float(f) => Some(*f != 0.0),
            Self::Str(s) => Some(!s.is_empty()),
            Self::Array(items) => Some(!items.is_empty()),
            Self::Object(object) => Some(!object.is_empty()),
            Self::DateTime(_) => None,
        }
    }

    /// JavaScript's `===`: scalars by value (numbers numerically), arrays and objects by
    /// identity (the same part of the data context), date-times never (each is a new `Date`).
    pub fn strict_equals(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Null, Self::Null) => true,
            (Self::Bool(a), Self::Bool(b)) => a == b,
            (Self::Int(a), Self::Int(b)) => a == b,
            (Self::Float(a), Self::Float(b)) => a == b,
            #[allow(clippy::as_conversions, clippy::cast_precision_loss)]
            // a Float is never whole within ±2^53, so only an exact match could be equal
            (Self::Int(i), Self::Float(f)) | (Self::Float(f), Self::Int(i)) => *i as f64 == *f,
            (Self::Str(a), Self::Str(b)) => a == b,
            (Self::Array(a), Self::Array(b)) => Arc::ptr_eq(a, b),
            (Self::Object(a), Self::Object(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// The name of the value's type, for error messages.
    pub(super) const fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "boolean",
            Self::Int(_) => "integer",
            Self::Float(_) => "non-integer number",
            Self::Str(_) => "string",
            Self::Array(_) => "array",
            Self::Object(_) => "object",
            Self::DateTime(_) => "date-time",
        }
    }
}

/// Deep equality of the JSON forms (what the conformance suites compare by).
impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        self.to_json() == other.to_json()
    }
}
