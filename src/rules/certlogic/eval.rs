//! The evaluator: walks a validated tree over a data context, within a step budget.

use std::sync::{Arc, OnceLock};

use super::compile::{Node, Step};
use super::datetime::DateTime;
use super::datetime::DateTimeError;
use super::value::Value;
use crate::limits::MAX_LOGIC_EVAL_STEPS;

/// Why an evaluation failed: a type mismatch the data caused, a date-time that cannot be read
/// or represented, an integer overflow, or the step budget spent. The reference apps treat
/// the rule as not evaluated (OPEN).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// An operand of the wrong type.
    #[error("{operation} needs {expected}, got {found}")]
    Type {
        /// The operation.
        operation: &'static str,
        /// What it needs.
        expected: &'static str,
        /// The type it got.
        found: &'static str,
    },
    /// A `plusTime` or `dccDateOfBirth` operand that is not an allowed date(-time), or a result
    /// out of range.
    #[error("{0}")]
    DateTime(#[from] DateTimeError),
    /// An integer sum beyond 64 bits.
    #[error("integer overflow in +")]
    Overflow,
    /// More than [`MAX_LOGIC_EVAL_STEPS`] operations evaluated.
    #[error("evaluation took more than {MAX_LOGIC_EVAL_STEPS} steps")]
    TooMuchWork,
}

impl EvalError {
    pub(super) fn type_error(
        operation: &'static str,
        expected: &'static str,
        found: &Value,
    ) -> Self {
        Self::Type {
            operation,
            expected,
            found: found.type_name(),
        }
    }
}

/// One evaluation: the steps left before it is abandoned.
pub(super) struct Evaluation {
    steps_left: u32,
}

/// The keys of `reduce`'s context, made once per process rather than per item.
fn reduce_keys() -> &'static (Arc<str>, Arc<str>) {
    static KEYS: OnceLock<(Arc<str>, Arc<str>)> = OnceLock::new();
    KEYS.get_or_init(|| (Arc::from("accumulator"), Arc::from("current")))
}

impl Evaluation {
    pub(super) fn new() -> Self {
        Self {
            steps_left: MAX_LOGIC_EVAL_STEPS,
        }
    }

    pub(super) fn eval(&mut self, node: &Node, data: &Value) -> Result<Value, EvalError> {
        self.steps_left = self
            .steps_left
            .checked_sub(1)
            .ok_or(EvalError::TooMuchWork)?;
        match node {
            Node::Literal(value) => Ok(value.clone()),
            Node::Array(items) => items
                .iter()
                .map(|item| self.eval(item, data))
                .collect::<Result<Arc<[Value]>, _>>()
                .map(Value::Array),
            Node::Var(steps) => Ok(access(data, steps)),
            Node::If(parts) => {
                let [guard, then, otherwise] = &**parts;
                let guard = self.eval(guard, data)?;
                match guard.truthiness() {
                    Some(true) => self.eval(then, data),
                    Some(false) => self.eval(otherwise, data),
                    None => Err(EvalError::type_error(
                        "if",
                        "a truthy or falsy guard",
                        &guard,
                    )),
                }
            }
            Node::StrictEquals(pair) => {
                let (left, right) = self.pair(pair, data)?;
                Ok(Value::Bool(left.strict_equals(&right)))
            }
            Node::In(pair) => {
                let (item, list) = self.pair(pair, data)?;
                match list {
                    Value::Array(items) => {
                        Ok(Value::Bool(items.iter().any(|x| x.strict_equals(&item))))
                    }
                    other => Err(EvalError::type_error("in", "an array on the right", &other)),
                }
            }
            Node::Plus(pair) => match self.pair(pair, data)? {
                (Value::Int(a), Value::Int(b)) => {
                    a.checked_add(b).map(Value::Int).ok_or(EvalError::Overflow)
                }
                (Value::Int(_), other) | (other, _) => {
                    Err(EvalError::type_error("+", "integer operands", &other))
                }
            },
            Node::And(operands) => {
                // Lazy, in order: the first falsy operand, or the last one.
                let mut last = Value::Bool(true);
                for operand in operands.iter() {
                    last = self.eval(operand, data)?;
                    match last.truthiness() {
                        Some(true) => {}
                        Some(false) => return Ok(last),
                        None => {
                            return Err(EvalError::type_error(
                                "and",
                                "truthy or falsy operands",
                                &last,
                            ))
                        }
                    }
                }
                Ok(last)
            }
            Node::Compare {
                op,
                dates,
                operands,
            } => {
                // Integers, or date-times as milliseconds: two or three (checked at load).
                let mut keys = [0i64; 3];
                for (slot, operand) in keys.iter_mut().zip(operands.iter()) {
                    *slot = match (dates, self.eval(operand, data)?) {
                        (false, Value::Int(i)) => i,
                        (true, Value::DateTime(t)) => t.millis(),
                        (false, other) => {
                            return Err(EvalError::type_error(
                                "a comparison",
                                "integer operands",
                                &other,
                            ))
                        }
                        (true, other) => {
                            return Err(EvalError::type_error(
                                "a date-time comparison",
                                "date-time operands",
                                &other,
                            ))
                        }
                    };
                }
                let keys = keys.get(..operands.len()).unwrap_or_default();
                let holds = keys
                    .windows(2)
                    .all(|w| matches!(w, [a, b] if op.holds(a, b)));
                Ok(Value::Bool(holds))
            }
            Node::Not(operand) => {
                let value = self.eval(operand, data)?;
                match value.truthiness() {
                    Some(truthy) => Ok(Value::Bool(!truthy)),
                    None => Err(EvalError::type_error(
                        "!",
                        "a truthy or falsy operand",
                        &value,
                    )),
                }
            }
            Node::PlusTime(operand, amount, unit) => match self.eval(operand, data)? {
                Value::Str(text) => DateTime::parse(&text)
                    .and_then(|t| t.plus(*amount, *unit))
                    .map(Value::DateTime)
                    .map_err(EvalError::DateTime),
                other => Err(EvalError::type_error("plusTime", "a string", &other)),
            },
            Node::DccDateOfBirth(operand) => match self.eval(operand, data)? {
                Value::Str(text) => DateTime::parse_date_of_birth(&text)
                    .map(Value::DateTime)
                    .map_err(EvalError::DateTime),
                other => Err(EvalError::type_error("dccDateOfBirth", "a string", &other)),
            },
            Node::Reduce(parts) => {
                let [operand, lambda, initial] = &**parts;
                let items = match self.eval(operand, data)? {
                    Value::Null => return self.eval(initial, data),
                    Value::Array(items) => items,
                    other => {
                        return Err(EvalError::type_error("reduce", "an array or null", &other))
                    }
                };
                let mut accumulator = self.eval(initial, data)?;
                let (accumulator_key, current_key) = reduce_keys();
                for current in items.iter() {
                    let context = Value::object(vec![
                        (Arc::clone(accumulator_key), accumulator),
                        (Arc::clone(current_key), current.clone()),
                    ]);
                    accumulator = self.eval(lambda, &context)?;
                }
                Ok(accumulator)
            }
            Node::ExtractFromUvci(operand, index) => match self.eval(operand, data)? {
                Value::Null => Ok(Value::Null),
                Value::Str(uci) => {
                    Ok(extract_from_uci(&uci, *index).map_or(Value::Null, Value::str))
                }
                other => Err(EvalError::type_error(
                    "extractFromUVCI",
                    "a string or null",
                    &other,
                )),
            },
        }
    }

    fn pair(&mut self, pair: &[Node; 2], data: &Value) -> Result<(Value, Value), EvalError> {
        let [left, right] = pair;
        Ok((self.eval(left, data)?, self.eval(right, data)?))
    }
}

/// `var`: drills down the steps; anything missing, or a step into a non-container, is `null`.
fn access(data: &Value, steps: &[Step]) -> Value {
    let mut here = data;
    for step in steps {
        let next = match here {
            Value::Object(object) => object.get(&step.key),
            Value::Array(items) => step.index.and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(value) => here = value,
            None => return Value::Null,
        }
    }
    here.clone()
}

/// The fragment `index` of a UCI split on `/`, `#` and `:`, after an optional `URN:UVCI:`.
fn extract_from_uci(uci: &str, index: i64) -> Option<&str> {
    let index = usize::try_from(index).ok()?;
    let body = uci.strip_prefix("URN:UVCI:").unwrap_or(uci);
    body.split(['/', '#', ':']).nth(index)
}
