//! CertLogic (specification 1.3.3, `../shared/certlogic/README.md`): the JsonLogic dialect the
//! EU business rules are written in.
//!
//! An expression is validated once into a [`Logic`] (every operation's shape, and the bounds
//! of [`crate::limits`]); evaluating it on a data context [`Value`] then meets only the type
//! errors the data can cause, within a step budget. Semantics follow the specification, and
//! certlogic-js where the specification leaves a choice: `===` compares arrays and objects by
//! identity, `reduce` of `null` is its initial value, `plusTime` adds as `Date.setUTC*` does.
//! Where the specification and certlogic-js differ, the specification wins: `and` stops at its
//! first falsy operand, and a year added to February 29 gives March 1.

use serde_json::Value as Json;

mod compile;
mod datetime;
mod eval;
mod value;

pub use self::compile::Issue;
pub use self::datetime::{DateTime, DateTimeError, TimeUnit};
pub use self::eval::EvalError;
pub use self::value::{Object, Value};

/// A validated CertLogic expression, ready to evaluate any number of times.
#[derive(Clone, Debug)]
pub struct Logic {
    root: compile::Node,
}

/// Why an expression was refused at load: every issue found, each with its JSON pointer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid CertLogic expression: {}", describe(.issues))]
pub struct LogicError {
    /// The issues, in the order found (never empty).
    pub issues: Vec<Issue>,
}

fn describe(issues: &[Issue]) -> String {
    let mut text = String::new();
    for (i, issue) in issues.iter().enumerate() {
        if i > 0 {
            text.push_str("; ");
        }
        let at = if issue.path.is_empty() {
            "/"
        } else {
            &issue.path
        };
        text.push_str(&format!("at {at}: {}", issue.message));
    }
    text
}

impl Logic {
    /// Validates `expr`; refuses it with every issue found.
    ///
    /// # Errors
    /// [`LogicError`] when the expression is not valid CertLogic or exceeds a bound.
    pub fn compile(expr: &Json) -> Result<Self, LogicError> {
        let mut compiler = compile::Compiler::new();
        let root = compiler.node(expr, &compile::Path::Root, 1);
        match root {
            Some(root) if compiler.issues.is_empty() => Ok(Self { root }),
            _ => Err(LogicError {
                issues: compiler.issues,
            }),
        }
    }

    /// Evaluates the expression on `data`.
    ///
    /// # Errors
    /// [`EvalError`] for a type mismatch, an unreadable date-time, an overflow or the budget.
    pub fn evaluate(&self, data: &Value) -> Result<Value, EvalError> {
        eval::Evaluation::new().eval(&self.root, data)
    }
}

/// Every issue of `expr` as a CertLogic expression (empty: valid).
pub fn validate(expr: &Json) -> Vec<Issue> {
    Logic::compile(expr)
        .err()
        .map(|e| e.issues)
        .unwrap_or_default()
}

/// Why [`evaluate_json`] gave no value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The expression is invalid.
    #[error(transparent)]
    Invalid(#[from] LogicError),
    /// The evaluation failed.
    #[error(transparent)]
    Eval(#[from] EvalError),
}

/// Validates `expr` and evaluates it on the JSON `data`, giving JSON back (a date-time as its
/// ISO 8601 text): the one-shot form the CLI and test harnesses use.
///
/// # Errors
/// [`Error::Invalid`] for an invalid expression, [`Error::Eval`] for a failed evaluation.
pub fn evaluate_json(expr: &Json, data: &Json) -> Result<Json, Error> {
    let logic = Logic::compile(expr)?;
    Ok(logic.evaluate(&Value::from_json(data))?.to_json())
}

#[cfg(test)]
mod tests;
