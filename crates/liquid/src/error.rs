//! Errors, named after the liquidjs error classes upstream reports (`{"name": "<class>"}`).

use std::fmt;

/// Which liquidjs error class a failure corresponds to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// liquidjs `TokenizationError`: unterminated delimiters, malformed expressions.
    Tokenization,
    /// liquidjs `ParseError`: unknown tags, unclosed blocks, malformed tag arguments.
    Parse,
    /// liquidjs `RenderError`: a filter or tag failed while rendering.
    Render,
    /// The project's rendering budget ([`super::Limits`]) was exceeded; liquidjs has no equivalent.
    Limit,
}

impl ErrorKind {
    /// The class name upstream puts into the error data.
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorKind::Tokenization => "TokenizationError",
            ErrorKind::Parse => "ParseError",
            ErrorKind::Render => "RenderError",
            ErrorKind::Limit => "LimitError",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiquidError {
    pub kind: ErrorKind,
    pub message: String,
}

impl LiquidError {
    pub fn tokenization(message: impl Into<String>) -> LiquidError {
        LiquidError { kind: ErrorKind::Tokenization, message: message.into() }
    }

    pub fn parse(message: impl Into<String>) -> LiquidError {
        LiquidError { kind: ErrorKind::Parse, message: message.into() }
    }

    pub fn render(message: impl Into<String>) -> LiquidError {
        LiquidError { kind: ErrorKind::Render, message: message.into() }
    }

    pub fn limit(message: impl Into<String>) -> LiquidError {
        LiquidError { kind: ErrorKind::Limit, message: message.into() }
    }
}

impl fmt::Display for LiquidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.class_name(), self.message)
    }
}

impl std::error::Error for LiquidError {}

pub type Result<T> = std::result::Result<T, LiquidError>;
