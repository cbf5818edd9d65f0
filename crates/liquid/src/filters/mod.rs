//! The filters: liquidjs 10.30.1's standard set plus the ones `@novu/framework` registers (`json`,
//! `digest`, `toSentence`, `pluralize`). Filter names are resolved once at parse time.
//!
//! Filters receive their arguments as liquidjs passes them (unconverted, `key: value` pairs as two-element
//! arrays) and apply JavaScript's coercions themselves.

mod array;
mod date;
mod html;
mod jsdate;
mod math;
mod misc;
mod novu;
mod pluralize;
mod string;
mod url;

use super::error::Result;
use super::render::Session;
use super::value::Val;

macro_rules! filter_ids {
    ($($id:ident => $name:literal,)*) => {
        /// A filter, resolved by name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum FilterId {
            $($id,)*
            /// Not a registered filter: the value passes through unchanged (liquidjs's non-strict default).
            Unknown,
        }

        impl FilterId {
            pub fn lookup(name: &str) -> FilterId {
                match name {
                    $($name => FilterId::$id,)*
                    _ => FilterId::Unknown,
                }
            }
        }
    };
}

filter_ids! {
    Escape => "escape",
    XmlEscape => "xml_escape",
    EscapeOnce => "escape_once",
    NewlineToBr => "newline_to_br",
    StripHtml => "strip_html",
    Abs => "abs",
    AtLeast => "at_least",
    AtMost => "at_most",
    Ceil => "ceil",
    DividedBy => "divided_by",
    Floor => "floor",
    Minus => "minus",
    Plus => "plus",
    Modulo => "modulo",
    Times => "times",
    Round => "round",
    UrlDecode => "url_decode",
    UrlEncode => "url_encode",
    CgiEscape => "cgi_escape",
    UriEscape => "uri_escape",
    Slugify => "slugify",
    Join => "join",
    Last => "last",
    First => "first",
    Reverse => "reverse",
    Sort => "sort",
    SortNatural => "sort_natural",
    Size => "size",
    Map => "map",
    Sum => "sum",
    Compact => "compact",
    Concat => "concat",
    Push => "push",
    Unshift => "unshift",
    Pop => "pop",
    Shift => "shift",
    Slice => "slice",
    Where => "where",
    Reject => "reject",
    WhereExp => "where_exp",
    RejectExp => "reject_exp",
    GroupBy => "group_by",
    GroupByExp => "group_by_exp",
    Has => "has",
    HasExp => "has_exp",
    FindIndex => "find_index",
    FindIndexExp => "find_index_exp",
    Find => "find",
    FindExp => "find_exp",
    Uniq => "uniq",
    Sample => "sample",
    Date => "date",
    DateToXmlschema => "date_to_xmlschema",
    DateToRfc822 => "date_to_rfc822",
    DateToString => "date_to_string",
    DateToLongString => "date_to_long_string",
    Append => "append",
    Prepend => "prepend",
    Lstrip => "lstrip",
    Downcase => "downcase",
    Upcase => "upcase",
    Remove => "remove",
    RemoveFirst => "remove_first",
    RemoveLast => "remove_last",
    Rstrip => "rstrip",
    Split => "split",
    Strip => "strip",
    StripNewlines => "strip_newlines",
    Squish => "squish",
    Capitalize => "capitalize",
    Replace => "replace",
    ReplaceFirst => "replace_first",
    ReplaceLast => "replace_last",
    Truncate => "truncate",
    Truncatewords => "truncatewords",
    NormalizeWhitespace => "normalize_whitespace",
    NumberOfWords => "number_of_words",
    ArrayToSentenceString => "array_to_sentence_string",
    Base64Encode => "base64_encode",
    Base64Decode => "base64_decode",
    Sha256 => "sha256",
    HmacSha256 => "hmac_sha256",
    Default => "default",
    Raw => "raw",
    Jsonify => "jsonify",
    ToInteger => "to_integer",
    Json => "json",
    Inspect => "inspect",
    Digest => "digest",
    ToSentence => "toSentence",
    Pluralize => "pluralize",
}

/// The arguments of one filter call.
pub(crate) struct Args<'a>(pub Vec<Val<'a>>);

impl<'a> Args<'a> {
    /// Argument `i` as passed (`None` when absent).
    pub fn get(&self, i: usize) -> Option<&Val<'a>> {
        self.0.get(i)
    }

    /// Argument `i` unless absent or `undefined` (where JavaScript applies a parameter default).
    pub fn given(&self, i: usize) -> Option<&Val<'a>> {
        self.0.get(i).filter(|v| !matches!(v, Val::Undef))
    }

    /// Argument `i`, `undefined` when absent.
    pub fn at(&self, i: usize) -> Val<'a> {
        self.0.get(i).cloned().unwrap_or(Val::Undef)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// Applies filter `id` to `v`.
pub(crate) fn apply<'a>(s: &mut Session<'a>, id: FilterId, v: Val<'a>, args: Vec<Val<'a>>) -> Result<Val<'a>> {
    if id == FilterId::Unknown {
        return Ok(v);
    }
    s.charge_value(&v)?;
    for arg in &args {
        s.charge_value(arg)?;
    }
    let a = Args(args);
    use FilterId::*;
    match id {
        Escape | XmlEscape | EscapeOnce | NewlineToBr | StripHtml => html::apply(s, id, &v),
        Abs | AtLeast | AtMost | Ceil | DividedBy | Floor | Minus | Plus | Modulo | Times | Round => {
            Ok(math::apply(id, &v, &a))
        }
        UrlDecode | UrlEncode | CgiEscape | UriEscape | Slugify => url::apply(s, id, &v, &a),
        Join | Last | First | Reverse | Sort | SortNatural | Size | Map | Sum | Compact | Concat | Push | Unshift
        | Pop | Shift | Slice | Where | Reject | WhereExp | RejectExp | GroupBy | GroupByExp | Has | HasExp
        | FindIndex | FindIndexExp | Find | FindExp | Uniq | Sample => array::apply(s, id, v, &a),
        Date | DateToXmlschema | DateToRfc822 | DateToString | DateToLongString => date::apply(s, id, v, &a),
        Append
        | Prepend
        | Lstrip
        | Downcase
        | Upcase
        | Remove
        | RemoveFirst
        | RemoveLast
        | Rstrip
        | Split
        | Strip
        | StripNewlines
        | Squish
        | Capitalize
        | Replace
        | ReplaceFirst
        | ReplaceLast
        | Truncate
        | Truncatewords
        | NormalizeWhitespace
        | NumberOfWords
        | ArrayToSentenceString => string::apply(s, id, v, &a),
        Base64Encode | Base64Decode | Sha256 | HmacSha256 | Default | Raw | Jsonify | ToInteger | Inspect => {
            misc::apply(s, id, v, &a)
        }
        Json | Digest | ToSentence | Pluralize => novu::apply(s, id, v, &a),
        Unknown => Ok(v),
    }
}
