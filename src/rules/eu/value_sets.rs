//! EU value sets (vaccine products, test types, countries...): the codes rules see as
//! `external.valueSets`, read from either shape apps receive, with the display names kept.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value as Json;

use super::error::EuRulesError;
use crate::limits::{MAX_RULE_TEXT_BYTES, MAX_VALUE_SETS, MAX_VALUE_SET_CODES};
use crate::rules::certlogic::Value;

/// One code of a value set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueSetEntry {
    /// The code (`EU/1/20/1528`, `260415000`...).
    pub code: String,
    /// Its display name, when the source has one (the DCCG shape does).
    pub display: Option<String>,
}

/// Value sets by id, and the `external.valueSets` object built from them once.
#[derive(Clone, Debug, Default)]
pub struct ValueSets {
    sets: BTreeMap<String, Vec<ValueSetEntry>>,
    external: Option<Value>,
}

impl ValueSets {
    /// No value sets.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads value sets in any of the shapes served: the compressed `{id: [codes]}` object
    /// (`valueSets.json`), a DCCG list `[{valueSetId, valueSetValues: {code: {display...}}}]`,
    /// or one DCCG value set. All or nothing.
    ///
    /// # Errors
    /// [`EuRulesError::ValueSets`] when the JSON is none of these shapes or exceeds a bound.
    pub fn from_json(json: &Json) -> Result<Self, EuRulesError> {
        let mut sets = BTreeMap::new();
        match json {
            Json::Array(list) => {
                for item in list {
                    let (id, entries) = dccg_set(item)?;
                    sets.insert(id, entries);
                }
            }
            Json::Object(map) if map.contains_key("valueSetId") => {
                let (id, entries) = dccg_set(json)?;
                sets.insert(id, entries);
            }
            Json::Object(map) => {
                for (id, codes) in map {
                    let codes = codes
                        .as_array()
                        .ok_or_else(|| invalid(format!("{id}: not an array of codes")))?;
                    let entries = codes
                        .iter()
                        .map(|c| {
                            code(c.as_str(), id).map(|code| ValueSetEntry {
                                code,
                                display: None,
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    sets.insert(checked_id(id)?, bounded(entries, id)?);
                }
            }
            _ => return Err(invalid("neither a value-set object nor a list".to_string())),
        }
        Self::from_sets(sets)
    }

    fn from_sets(sets: BTreeMap<String, Vec<ValueSetEntry>>) -> Result<Self, EuRulesError> {
        if sets.len() > MAX_VALUE_SETS {
            return Err(invalid(format!("more than {MAX_VALUE_SETS} value sets")));
        }
        let mut value_sets = Self {
            sets,
            external: None,
        };
        value_sets.external = Some(value_sets.build_external());
        Ok(value_sets)
    }

    /// Reads [`ValueSets::from_json`] from bytes.
    ///
    /// # Errors
    /// [`EuRulesError::ValueSets`] for bytes that are not such JSON.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, EuRulesError> {
        // The DCCG list, the usual download, straight into entries; any other shape (and any
        // error, to be explained) through the JSON tree.
        if let Ok(list) = serde_json::from_slice::<Vec<DccgSet>>(bytes) {
            let mut sets = BTreeMap::new();
            for set in list {
                let pairs = set.values.into_iter().map(|(c, entry)| (c, entry.display));
                let (id, entries) = dccg_entries(&set.id, pairs)?;
                sets.insert(id, entries);
            }
            return Self::from_sets(sets);
        }
        let json: Json = serde_json::from_slice(bytes).map_err(|e| invalid(e.to_string()))?;
        Self::from_json(&json)
    }

    /// These value sets with `other`'s added (a set of the same id replaced).
    pub fn merged(mut self, other: Self) -> Self {
        self.sets.extend(other.sets);
        self.external = Some(self.build_external());
        self
    }

    /// The codes of value set `id`.
    pub fn get(&self, id: &str) -> Option<&[ValueSetEntry]> {
        self.sets.get(id).map(Vec::as_slice)
    }

    /// The ids, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.sets.keys().map(String::as_str)
    }

    /// Whether there is no value set.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// `external.valueSets`: `{id: [codes]}`.
    pub(super) fn external(&self) -> Value {
        self.external
            .clone()
            .unwrap_or_else(|| self.build_external())
    }

    fn build_external(&self) -> Value {
        Value::object(
            self.sets
                .iter()
                .map(|(id, entries)| {
                    let codes: Arc<[Value]> = entries.iter().map(|e| Value::str(&e.code)).collect();
                    (Arc::from(id.as_str()), Value::Array(codes))
                })
                .collect(),
        )
    }
}

/// One value set as the DCCG serves it (other members ignored).
#[derive(serde::Deserialize)]
struct DccgSet {
    #[serde(rename = "valueSetId")]
    id: String,
    #[serde(rename = "valueSetValues")]
    values: BTreeMap<String, DccgEntry>,
}

#[derive(serde::Deserialize)]
struct DccgEntry {
    #[serde(default)]
    display: Option<String>,
}

fn invalid(detail: String) -> EuRulesError {
    EuRulesError::ValueSets { detail }
}

fn checked_id(id: &str) -> Result<String, EuRulesError> {
    if id.is_empty() || id.len() > MAX_RULE_TEXT_BYTES {
        return Err(invalid(format!("value set id of {} bytes", id.len())));
    }
    Ok(id.to_string())
}

fn code(code: Option<&str>, id: &str) -> Result<String, EuRulesError> {
    match code {
        Some(code) if !code.is_empty() && code.len() <= MAX_RULE_TEXT_BYTES => Ok(code.to_string()),
        _ => Err(invalid(format!("{id}: a code that is not a short string"))),
    }
}

fn bounded(entries: Vec<ValueSetEntry>, id: &str) -> Result<Vec<ValueSetEntry>, EuRulesError> {
    if entries.len() > MAX_VALUE_SET_CODES {
        return Err(invalid(format!(
            "{id}: more than {MAX_VALUE_SET_CODES} codes"
        )));
    }
    Ok(entries)
}

/// One DCCG value set: `{valueSetId, valueSetDate?, valueSetValues: {code: {display, ...}}}`.
fn dccg_set(json: &Json) -> Result<(String, Vec<ValueSetEntry>), EuRulesError> {
    let id = json
        .get("valueSetId")
        .and_then(Json::as_str)
        .ok_or_else(|| invalid("a value set without a valueSetId".to_string()))?;
    let values = json
        .get("valueSetValues")
        .and_then(Json::as_object)
        .ok_or_else(|| invalid(format!("{id}: no valueSetValues object")))?;
    let pairs = values.iter().map(|(c, details)| {
        let display = details.get("display").and_then(Json::as_str);
        (c.clone(), display.map(str::to_string))
    });
    dccg_entries(id, pairs)
}

/// One DCCG value set's entries, checked alike whichever reader found them: codes non-empty
/// and short, display names short.
fn dccg_entries(
    id: &str,
    pairs: impl Iterator<Item = (String, Option<String>)>,
) -> Result<(String, Vec<ValueSetEntry>), EuRulesError> {
    let entries = pairs
        .map(|(c, display)| {
            if display
                .as_ref()
                .is_some_and(|d| d.len() > MAX_RULE_TEXT_BYTES)
            {
                return Err(invalid(format!(
                    "{id}: a display name longer than {MAX_RULE_TEXT_BYTES} bytes"
                )));
            }
            Ok(ValueSetEntry {
                code: code(Some(&c), id)?,
                display,
            })
        })
        .collect::<Result<Vec<_>, EuRulesError>>()?;
    Ok((checked_id(id)?, bounded(entries, id)?))
}
