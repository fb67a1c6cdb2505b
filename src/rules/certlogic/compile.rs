//! Validation of a CertLogic expression, once, into the tree the evaluator walks: every
//! operation's shape is checked here (as certlogic-js's validator does), and every bound of
//! [`crate::limits`] applied, so that evaluation only meets the type errors of data.

use std::sync::Arc;

use serde_json::{Map, Value as Json};

use super::datetime::TimeUnit;
use super::value::Value;
use crate::limits::{
    MAX_LOGIC_ARRAY_ITEMS, MAX_LOGIC_DEPTH, MAX_LOGIC_NODES, MAX_LOGIC_STRING_BYTES,
};

/// A validated expression.
#[derive(Clone, Debug)]
pub(super) enum Node {
    /// A string, integer or boolean literal.
    Literal(Value),
    /// An array whose items are evaluated one by one.
    Array(Box<[Node]>),
    /// `var`: the path's steps (none: the whole data context).
    Var(Box<[Step]>),
    /// `if`: guard, then, else.
    If(Box<[Node; 3]>),
    /// `===`.
    StrictEquals(Box<[Node; 2]>),
    /// `in`.
    In(Box<[Node; 2]>),
    /// `+`.
    Plus(Box<[Node; 2]>),
    /// `and`, with at least two operands.
    And(Box<[Node]>),
    /// `<`, `>`, `<=`, `>=` on integers, or their date-time names on date-times; two or three
    /// operands.
    Compare {
        /// Which comparison.
        op: Comparison,
        /// Whether the operands must be date-times (`after`...) rather than integers.
        dates: bool,
        /// Two or three operands.
        operands: Box<[Node]>,
    },
    /// `!`.
    Not(Box<Node>),
    /// `plusTime`: the date(-time) text, the amount and the unit (literals, checked here).
    PlusTime(Box<Node>, i64, TimeUnit),
    /// `reduce`: operand, lambda, initial.
    Reduce(Box<[Node; 3]>),
    /// `extractFromUVCI`: operand and the literal index.
    ExtractFromUvci(Box<Node>, i64),
    /// `dccDateOfBirth`.
    DccDateOfBirth(Box<Node>),
}

/// One fragment of a `var` path: an object key, also an array index when it reads as one.
#[derive(Clone, Debug)]
pub(super) struct Step {
    pub(super) key: Arc<str>,
    pub(super) index: Option<usize>,
}

/// The four orders; the date-time operators map onto them (`after` is `>`, `before` `<`,
/// `not-after` `<=`, `not-before` `>=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Comparison {
    Less,
    Greater,
    LessOrEqual,
    GreaterOrEqual,
}

impl Comparison {
    pub(super) fn holds<T: Ord>(self, left: &T, right: &T) -> bool {
        match self {
            Self::Less => left < right,
            Self::Greater => left > right,
            Self::LessOrEqual => left <= right,
            Self::GreaterOrEqual => left >= right,
        }
    }
}

/// One problem in an expression: where (a JSON pointer into the expression) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// A JSON pointer (RFC 6901) to the offending part, `""` for the whole expression.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

/// Where a node sits in the expression, rendered as a JSON pointer only when an issue is
/// recorded (most expressions have none, and a string per node would dominate loading).
#[derive(Clone, Copy)]
pub(super) enum Path<'a> {
    /// The whole expression.
    Root,
    /// An item of an array or an operand.
    Index(&'a Path<'a>, usize),
    /// The operand list of an operation.
    Key(&'a Path<'a>, &'a str),
}

impl Path<'_> {
    fn render(&self) -> String {
        match self {
            Self::Root => String::new(),
            Self::Index(parent, i) => format!("{}/{i}", parent.render()),
            Self::Key(parent, key) => format!("{}/{}", parent.render(), escape(key)),
        }
    }
}

/// Walks an expression, collecting every issue (as the reference validator lists them all)
/// and building the tree when there are none.
pub(super) struct Compiler {
    pub(super) issues: Vec<Issue>,
    nodes: usize,
}

impl Compiler {
    pub(super) fn new() -> Self {
        Self {
            issues: Vec::new(),
            nodes: 0,
        }
    }

    fn issue<T>(&mut self, path: &Path<'_>, message: impl Into<String>) -> Option<T> {
        self.issues.push(Issue {
            path: path.render(),
            message: message.into(),
        });
        None
    }

    /// The node for `expr` at `path`, `depth` levels of JSON deep; `None` once an issue was
    /// recorded anywhere inside it.
    pub(super) fn node(&mut self, expr: &Json, path: &Path<'_>, depth: usize) -> Option<Node> {
        self.nodes = self.nodes.saturating_add(1);
        if self.nodes == MAX_LOGIC_NODES.saturating_add(1) {
            return self.issue(path, format!("more than {MAX_LOGIC_NODES} nodes"));
        }
        if depth > MAX_LOGIC_DEPTH {
            return self.issue(path, format!("nested deeper than {MAX_LOGIC_DEPTH} levels"));
        }
        match expr {
            Json::Bool(b) => Some(Node::Literal(Value::Bool(*b))),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Some(Node::Literal(Value::Int(i))),
                None => self.issue(path, format!("{n} is a non-integer number")),
            },
            Json::String(s) if s.len() > MAX_LOGIC_STRING_BYTES => self.issue(
                path,
                format!("string literal longer than {MAX_LOGIC_STRING_BYTES} bytes"),
            ),
            Json::String(s) => Some(Node::Literal(Value::str(s))),
            Json::Null => self.issue(path, "invalid CertLogic expression: null"),
            Json::Array(items) if items.len() > MAX_LOGIC_ARRAY_ITEMS => self.issue(
                path,
                format!("array literal of more than {MAX_LOGIC_ARRAY_ITEMS} items"),
            ),
            Json::Array(items) => {
                let nodes = self.each(items, path, depth, items.len())?;
                // An array of literals is one literal, built once (inline code lists).
                let literals: Option<Vec<Value>> = nodes
                    .iter()
                    .map(|node| match node {
                        Node::Literal(value) => Some(value.clone()),
                        _ => None,
                    })
                    .collect();
                Some(match literals {
                    Some(values) => Node::Literal(Value::Array(values.into())),
                    None => Node::Array(nodes.into_boxed_slice()),
                })
            }
            Json::Object(object) => self.operation(object, path, depth),
        }
    }

    /// The nodes of the first `take` items (all must be valid), validating each.
    fn each(
        &mut self,
        items: &[Json],
        path: &Path<'_>,
        depth: usize,
        take: usize,
    ) -> Option<Vec<Node>> {
        let mut nodes = Some(Vec::with_capacity(items.len().min(take)));
        for (i, item) in items.iter().take(take).enumerate() {
            let node = self.node(item, &Path::Index(path, i), depth.saturating_add(1));
            match (&mut nodes, node) {
                (Some(list), Some(node)) => list.push(node),
                _ => nodes = None,
            }
        }
        nodes
    }

    fn operation(
        &mut self,
        object: &Map<String, Json>,
        path: &Path<'_>,
        depth: usize,
    ) -> Option<Node> {
        let mut entries = object.iter();
        let (Some((operator, values)), None) = (entries.next(), entries.next()) else {
            return self.issue(
                path,
                format!(
                    "expression object must have exactly one key, but it has {}",
                    object.len()
                ),
            );
        };
        let here = Path::Key(path, operator);
        if operator == "var" {
            return self.var(values, &here);
        }
        let Json::Array(values) = values else {
            return self.issue(
                &here,
                "operation not of the form { \"<operator>\": [ <values...> ] }",
            );
        };
        let depth = depth.saturating_add(1);
        let count = values.len();
        let arity = |this: &mut Self, ok: bool, wanted: &str| {
            if !ok {
                this.issue::<()>(
                    &here,
                    format!("a \"{operator}\" operation must have {wanted} operands, but it has {count}"),
                );
            }
            ok
        };
        match operator.as_str() {
            "if" | "reduce" => {
                let ok = arity(self, count == 3, "exactly 3");
                let nodes = self.each(values, &here, depth, 3);
                let [a, b, c] = <[Node; 3]>::try_from(nodes?).ok()?;
                ok.then_some(())?;
                let three = Box::new([a, b, c]);
                Some(if operator == "if" {
                    Node::If(three)
                } else {
                    Node::Reduce(three)
                })
            }
            "===" | "in" | "+" => {
                let ok = arity(self, count == 2, "exactly 2");
                let nodes = self.each(values, &here, depth, 2);
                let [a, b] = <[Node; 2]>::try_from(nodes?).ok()?;
                ok.then_some(())?;
                let two = Box::new([a, b]);
                Some(match operator.as_str() {
                    "===" => Node::StrictEquals(two),
                    "in" => Node::In(two),
                    _ => Node::Plus(two),
                })
            }
            "and" => {
                let ok = arity(self, count >= 2, "at least 2");
                let nodes = self.each(values, &here, depth, count);
                ok.then_some(Node::And(nodes?.into_boxed_slice()))
            }
            "<" | ">" | "<=" | ">=" | "after" | "before" | "not-after" | "not-before" => {
                let ok = arity(self, (2..=3).contains(&count), "2 or 3");
                let nodes = self.each(values, &here, depth, 3);
                let (op, dates) = match operator.as_str() {
                    "<" => (Comparison::Less, false),
                    ">" => (Comparison::Greater, false),
                    "<=" => (Comparison::LessOrEqual, false),
                    ">=" => (Comparison::GreaterOrEqual, false),
                    "before" => (Comparison::Less, true),
                    "after" => (Comparison::Greater, true),
                    "not-after" => (Comparison::LessOrEqual, true),
                    _ => (Comparison::GreaterOrEqual, true),
                };
                let operands = nodes?.into_boxed_slice();
                ok.then_some(Node::Compare {
                    op,
                    dates,
                    operands,
                })
            }
            "!" | "dccDateOfBirth" => {
                if !arity(self, count == 1, "exactly 1") {
                    return None;
                }
                let operand =
                    Box::new(self.node(values.first()?, &Path::Index(&here, 0), depth)?);
                Some(if operator == "!" {
                    Node::Not(operand)
                } else {
                    Node::DccDateOfBirth(operand)
                })
            }
            "plusTime" => {
                let ok = arity(self, count == 3, "exactly 3");
                let operand = values
                    .first()
                    .and_then(|v| self.node(v, &Path::Index(&here, 0), depth));
                let amount = self.integer_operand(values, &here, "amount");
                let unit = values.get(2).and_then(|v| match v.as_str().and_then(TimeUnit::from_name) {
                    Some(unit) => Some(unit),
                    None => self.issue(
                        &Path::Index(&here, 2),
                        format!("\"unit\" argument (#3) of \"plusTime\" must be one of year, month, day, hour, but it is: {v}"),
                    ),
                });
                ok.then_some(())?;
                Some(Node::PlusTime(Box::new(operand?), amount?, unit?))
            }
            "extractFromUVCI" => {
                let ok = arity(self, count == 2, "exactly 2");
                let operand = values
                    .first()
                    .and_then(|v| self.node(v, &Path::Index(&here, 0), depth));
                let index = self.integer_operand(values, &here, "index");
                ok.then_some(())?;
                Some(Node::ExtractFromUvci(Box::new(operand?), index?))
            }
            _ => self.issue(&here, format!("unrecognised operator: \"{operator}\"")),
        }
    }

    /// The literal integer operand #2 of `plusTime` (`amount`) or `extractFromUVCI` (`index`);
    /// `None` when absent (the arity issue says so) or recorded as an issue.
    fn integer_operand(&mut self, values: &[Json], here: &Path<'_>, name: &str) -> Option<i64> {
        let value = values.get(1)?;
        match value.as_i64() {
            Some(integer) => Some(integer),
            None => self.issue(
                &Path::Index(here, 1),
                format!("\"{name}\" argument (#2) must be an integer, but it is: {value}"),
            ),
        }
    }

    fn var(&mut self, path_value: &Json, here: &Path<'_>) -> Option<Node> {
        let Json::String(path) = path_value else {
            return self.issue(here, "not of the form { \"var\": \"<path>\" }");
        };
        if path.is_empty() {
            return Some(Node::Var(Box::new([])));
        }
        if path.split('.').any(str::is_empty) {
            return self.issue(
                here,
                format!("data access path doesn't have a valid format: {path}"),
            );
        }
        if path.len() > MAX_LOGIC_STRING_BYTES {
            return self.issue(
                here,
                format!("path longer than {MAX_LOGIC_STRING_BYTES} bytes"),
            );
        }
        let steps = path
            .split('.')
            .map(|fragment| Step {
                key: Arc::from(fragment),
                index: array_index(fragment),
            })
            .collect();
        Some(Node::Var(steps))
    }
}

/// The array index a path fragment means, as JavaScript's `parseInt(fragment, 10)` reads it:
/// its leading decimal digits (`"1"`, `"01"`, `"2abc"`); a negative or absent number indexes
/// nothing.
fn array_index(fragment: &str) -> Option<usize> {
    let digits = fragment.bytes().take_while(u8::is_ascii_digit).count();
    fragment.get(..digits)?.parse().ok()
}

/// A JSON pointer reference token (RFC 6901: `~` as `~0`, `/` as `~1`).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
