//! How an operation's input shape is declared: members in model order,
//! required members, length and pattern constraints, enum values and
//! one-line descriptions, transcribed from the botocore service model.
//!
//! Validation, skeletons and the request document read a model through
//! these types; each operation module (`firehose::model`,
//! `kinesis::model`) holds its own data. Nothing here names a service.

/// One member of a structure, in model order.
#[derive(Debug)]
pub struct Member {
    /// The member's wire name, e.g. `DeliveryStreamName`.
    pub name: &'static str,
    /// The command-line flag that sets it, if it is a top-level parameter.
    pub flag: Option<&'static str>,
    /// Whether the model marks it required.
    pub required: bool,
    /// Required only when a sibling member has a value: `(sibling, value)`.
    /// A documented rule the model cannot express (contract §3).
    pub required_when: Option<(&'static str, &'static str)>,
    /// First sentence of the model's documentation.
    pub doc: &'static str,
    /// What values it takes.
    pub shape: Shape,
}

/// A member's type with its constraints.
#[derive(Debug)]
pub enum Shape {
    /// A string, with the model's constraints.
    String(StringRules),
    /// A structure of further members.
    Structure(&'static [Member]),
}

/// Constraints on a string member. botocore checks only `min`; the rest are
/// documented constraints that this tool checks before sending (contract §3).
#[derive(Debug)]
pub struct StringRules {
    /// Minimum length in characters.
    pub min: usize,
    /// Maximum length in characters.
    pub max: Option<usize>,
    /// Regular expression the whole value must match, as written in the model.
    pub pattern: Option<&'static str>,
    /// Allowed values, in model order (empty: any).
    pub enum_values: &'static [&'static str],
}
