//! `escape`, `xml_escape`, `escape_once`, `newline_to_br`, `strip_html`.

use super::FilterId;
use crate::error::Result;
use crate::render::Session;
use crate::value::{Val, liquid_string};

pub(super) fn apply<'a>(s: &mut Session<'a>, id: FilterId, v: &Val<'a>) -> Result<Val<'a>> {
    let input = liquid_string(v);
    let out = match id {
        FilterId::Escape | FilterId::XmlEscape => escape(&input),
        FilterId::EscapeOnce => escape(&unescape(&input)),
        FilterId::NewlineToBr => input.replace("\r\n", "\n").replace('\n', "<br />\n"),
        _ => strip_html(&input),
    };
    s.check_string(out.len())?;
    Ok(Val::str(out))
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let found = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&#34;", '"'), ("&#39;", '\'')]
            .into_iter()
            .find(|(entity, _)| rest.starts_with(entity));
        match found {
            Some((entity, c)) => {
                out.push(c);
                rest = &rest[entity.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Removes tags, comments and `<script>`/`<style>` blocks; an opener without its closer is left alone.
fn strip_html(s: &str) -> String {
    let mut blocks: Vec<(&str, &str)> =
        vec![("<script", "</script>"), ("<style", "</style>"), ("<!--", "-->"), ("<", ">")];
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let Some(lt) = s[i..].find('<').map(|k| k + i) else {
            out.push_str(&s[i..]);
            return out;
        };
        out.push_str(&s[i..lt]);
        let mut k = 0;
        while k < blocks.len() {
            let (opener, closer) = blocks[k];
            if !s[lt..].starts_with(opener) {
                k += 1;
                continue;
            }
            match s[lt + opener.len()..].find(closer) {
                Some(e) => {
                    i = lt + opener.len() + e + closer.len();
                    break;
                }
                None => {
                    blocks.remove(k);
                }
            }
        }
        if i <= lt {
            out.push_str(&s[lt..]);
            return out;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape("<a href=\"x\">'&'</a>"), "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(escape(&unescape("&amp;lt; &lt; &foo;")), "&amp;lt; &lt; &amp;foo;");
    }

    #[test]
    fn stripping() {
        assert_eq!(strip_html("a<b>c</b><script>x</script>d<!-- c -->e"), "acde");
        assert_eq!(strip_html("a<script>x"), "ax");
        assert_eq!(strip_html("a < b"), "a < b");
        assert_eq!(strip_html("<p>x</p><"), "x<");
    }
}
