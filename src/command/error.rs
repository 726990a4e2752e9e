//! placeholder
/// placeholder
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError;
/// placeholder
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseErrorKind {}
