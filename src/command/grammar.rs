//! placeholder
use super::{Command, ParseError};
pub fn parse(_text: &str, _prefix: &str) -> Option<Result<Command, ParseError>> { None }
