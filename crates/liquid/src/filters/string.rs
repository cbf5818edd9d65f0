//! String filters (JavaScript string semantics: UTF-16 lengths, `trim`'s white space, `split` rules).

use super::array::make_array;
use super::{Args, FilterId};
use crate::chars::{is_js_space, utf16_len};
use crate::error::{LiquidError, Result};
use crate::props::to_array;
use crate::render::Session;
use crate::value::{Val, js_number, js_string, liquid_string, push_joined};

pub(super) fn apply<'a>(s: &mut Session<'a>, id: FilterId, v: Val<'a>, a: &Args<'a>) -> Result<Val<'a>> {
    if id == FilterId::ArrayToSentenceString {
        return array_to_sentence(s, &v, a);
    }
    let input = liquid_string(&v).into_owned();
    let arg = |i: usize| liquid_string(&a.at(i)).into_owned();
    let out = match id {
        FilterId::Append | FilterId::Prepend => {
            if a.len() != 1 {
                let name = if id == FilterId::Append { "append" } else { "prepend" };
                return Err(LiquidError::render(format!("{name} expect 2 arguments")));
            }
            let other = arg(0);
            s.check_string(input.len() + other.len())?;
            if id == FilterId::Append { input + &other } else { other + &input }
        }
        FilterId::Lstrip | FilterId::Rstrip | FilterId::Strip => {
            let set: Option<Vec<char>> = a.get(0).filter(|c| c.js_truthy()).map(|c| liquid_string(c).chars().collect());
            let (left, right) = (id != FilterId::Rstrip, id != FilterId::Lstrip);
            strip(&input, set.as_deref(), left, right).to_string()
        }
        FilterId::Downcase => input.to_lowercase(),
        FilterId::Upcase => input.to_uppercase(),
        FilterId::Capitalize => {
            let mut chars = input.chars();
            match chars.next() {
                Some(c) if c.len_utf16() == 1 => {
                    c.to_uppercase().chain(chars.as_str().to_lowercase().chars()).collect()
                }
                Some(c) => std::iter::once(c).chain(chars.as_str().to_lowercase().chars()).collect(),
                None => String::new(),
            }
        }
        FilterId::Remove => {
            let pat = arg(0);
            if pat.is_empty() { input } else { input.replace(&pat, "") }
        }
        FilterId::RemoveFirst => input.replacen(&arg(0), "", 1),
        FilterId::RemoveLast => {
            let pat = arg(0);
            match input.rfind(&pat) {
                Some(i) => format!("{}{}", &input[..i], &input[i + pat.len()..]),
                None => input,
            }
        }
        FilterId::Split => return split(s, &input, &arg(0)),
        FilterId::StripNewlines => input.replace("\r\n", "").replace('\n', ""),
        FilterId::Squish => collapse_spaces(&input).trim_matches(is_js_space).to_string(),
        FilterId::NormalizeWhitespace => collapse_spaces(&input),
        FilterId::Replace => {
            let (pat, rep) = (arg(0), arg(1));
            let pieces = if pat.is_empty() { input.chars().count() } else { input.matches(&pat).count() + 1 };
            let size = input.len() - pat.len() * pieces.saturating_sub(1) + rep.len() * pieces.saturating_sub(1);
            s.check_string(size)?;
            if pat.is_empty() {
                let mut out = String::with_capacity(size);
                for (i, c) in input.chars().enumerate() {
                    if i > 0 {
                        out.push_str(&rep);
                    }
                    out.push(c);
                }
                out
            } else {
                input.replace(&pat, &rep)
            }
        }
        FilterId::ReplaceFirst => {
            let (pat, rep) = (arg(0), arg(1));
            s.check_string(input.len() + rep.len())?;
            input.replacen(&pat, &rep, 1)
        }
        FilterId::ReplaceLast => {
            let (pat, rep) = (arg(0), arg(1));
            s.check_string(input.len() + rep.len())?;
            match input.rfind(&pat) {
                Some(i) => format!("{}{}{}", &input[..i], rep, &input[i + pat.len()..]),
                None => input,
            }
        }
        FilterId::Truncate => return truncate(s, v, &input, a),
        FilterId::Truncatewords => truncatewords(&input, a),
        _ => {
            return Ok(Val::Num(number_of_words(&input, a.get(0).and_then(Val::as_str).unwrap_or(""))));
        }
    };
    s.check_string(out.len())?;
    Ok(Val::str(out))
}

fn strip<'s>(s: &'s str, set: Option<&[char]>, left: bool, right: bool) -> &'s str {
    let matches = |c: char| match set {
        Some(chars) => chars.contains(&c),
        None => is_js_space(c),
    };
    let mut out = s;
    if left {
        out = out.trim_start_matches(matches);
    }
    if right {
        out = out.trim_end_matches(matches);
    }
    out
}

/// Replaces every run of JavaScript white space with one space (`/\s+/g`).
fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if is_js_space(c) {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// `str.split(/\s+/)`.
fn split_spaces(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_js_space(c) {
            continue;
        }
        out.push(&s[start..i]);
        start = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if !is_js_space(d) {
                break;
            }
            start = j + d.len_utf8();
            chars.next();
        }
    }
    out.push(&s[start..]);
    out
}

fn split<'a>(s: &mut Session<'a>, input: &str, sep: &str) -> Result<Val<'a>> {
    let mut parts: Vec<Val<'a>> = if sep.is_empty() {
        input.chars().map(|c| Val::str(c.to_string())).collect()
    } else {
        input.split(sep).map(Val::str).collect()
    };
    while parts.last().is_some_and(|p| p.as_str() == Some("")) {
        parts.pop();
    }
    s.charge_items(parts.len())?;
    make_array(parts)
}

/// UTF-16 offset after advancing `count` code points (`i < count` steps) from the start.
fn advance_code_points(s: &str, count: f64) -> usize {
    let mut index = 0;
    let mut i = 0.0;
    for c in s.chars() {
        // `i < count` is false for NaN too.
        if i.partial_cmp(&count) != Some(std::cmp::Ordering::Less) {
            break;
        }
        index += c.len_utf16();
        i += 1.0;
    }
    index
}

/// The byte offset of a UTF-16 offset that falls on a character boundary.
fn byte_offset(s: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    s.len()
}

fn truncate<'a>(s: &mut Session<'a>, v: Val<'a>, input: &str, a: &Args<'a>) -> Result<Val<'a>> {
    let limit = a.given(0).map_or(50.0, js_number);
    let ellipsis = a.given(1).map_or_else(|| "...".to_string(), |o| liquid_string(o).into_owned());
    let len16 = utf16_len(input) as f64;
    if len16 <= limit || advance_code_points(input, limit) as f64 >= len16 {
        return Ok(v);
    }
    let keep = limit - ellipsis.chars().count() as f64;
    let keep = if keep.is_nan() { f64::NAN } else { keep.max(0.0) };
    let cut = byte_offset(input, advance_code_points(input, keep));
    let out = format!("{}{}", &input[..cut], ellipsis);
    s.check_string(out.len())?;
    Ok(Val::str(out))
}

fn truncatewords(input: &str, a: &Args<'_>) -> String {
    let mut words = a.given(0).map_or(15.0, js_number);
    let ellipsis = a.given(1).map_or_else(|| "...".to_string(), |o| liquid_string(o).into_owned());
    let parts = split_spaces(input.trim_start_matches(is_js_space));
    if words <= 0.0 {
        words = 1.0;
    }
    let take = crate::jsnum::relative_index(words, parts.len());
    let mut out = parts[..take].join(" ");
    if parts.len() as f64 >= words {
        out.push_str(&ellipsis);
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x3400..=0x4dbf | 0x3040..=0x309f | 0x30a0..=0x30ff | 0xac00..=0xd7af)
}

fn number_of_words(input: &str, mode: &str) -> f64 {
    let text = input.trim_matches(is_js_space);
    if text.is_empty() {
        return 0.0;
    }
    let has_cjk = text.chars().any(is_cjk);
    if mode == "cjk" || (mode == "auto" && has_cjk) {
        let cjk = text.chars().filter(|c| is_cjk(*c)).count();
        let others = text.split(|c: char| is_cjk(c) || is_js_space(c)).filter(|w| !w.is_empty()).count();
        return (cjk + others) as f64;
    }
    split_spaces(text).len() as f64
}

fn array_to_sentence<'a>(s: &mut Session<'a>, v: &Val<'a>, a: &Args<'a>) -> Result<Val<'a>> {
    let list = to_array(v);
    let connector = a.given(0).map_or_else(|| "and".to_string(), |c| liquid_string(c).into_owned());
    let out = match list.len() {
        0 => String::new(),
        1 => return Ok(list.into_iter().next().unwrap_or(Val::Undef)),
        2 => format!("{} {} {}", js_string(&list[0]), connector, js_string(&list[1])),
        n => {
            let head = make_array(list[..n - 1].to_vec())?;
            let mut out = String::new();
            push_joined(&mut out, &head, ", ");
            format!("{out}, {connector} {}", js_string(&list[n - 1]))
        }
    };
    s.check_string(out.len())?;
    Ok(Val::str(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_splitting_matches_javascript() {
        assert_eq!(split_spaces("a  b\tc"), vec!["a", "b", "c"]);
        assert_eq!(split_spaces("a b "), vec!["a", "b", ""]);
        assert_eq!(split_spaces(""), vec![""]);
        assert_eq!(collapse_spaces(" a \n\t b "), " a b ");
    }

    #[test]
    fn word_counts() {
        assert_eq!(number_of_words("  hello   world ", ""), 2.0);
        assert_eq!(number_of_words("你好 world", "cjk"), 3.0);
        assert_eq!(number_of_words("你好world", "auto"), 3.0);
        assert_eq!(number_of_words("你好world", ""), 1.0);
    }

    #[test]
    fn code_point_helpers() {
        assert_eq!(advance_code_points("a😀b", 2.0), 3);
        assert_eq!(advance_code_points("abc", 1.5), 2);
        assert_eq!(advance_code_points("abc", f64::NAN), 0);
        assert_eq!(byte_offset("a😀b", 3), 5);
    }
}
