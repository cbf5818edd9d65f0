//! `default`, `raw`, `jsonify`, `inspect`, `to_integer`, base64 and digest filters.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::{Args, FilterId};
use crate::error::{LiquidError, Result};
use crate::props::Key;
use crate::render::Session;
use crate::value::{Val, js_number, js_string, json_gap, json_stringify_with, liquid_string};

pub(super) fn apply<'a>(s: &mut Session<'a>, id: FilterId, v: Val<'a>, a: &Args<'a>) -> Result<Val<'a>> {
    match id {
        FilterId::Default => default(v, a),
        FilterId::Raw => Ok(v),
        FilterId::Jsonify | FilterId::Inspect => {
            let gap = a.given(0).and_then(json_gap);
            match json_stringify_with(&v, gap.as_deref()) {
                Some(text) => {
                    s.check_string(text.len())?;
                    Ok(Val::str(text))
                }
                None => Ok(Val::Undef),
            }
        }
        FilterId::ToInteger => Ok(Val::Num(js_number(&v))),
        _ => {
            let input = liquid_string(&v).into_owned();
            let out = match id {
                FilterId::Base64Encode => base64_encode(input.as_bytes()),
                FilterId::Base64Decode => base64_decode(&input)?,
                FilterId::Sha256 => hex(&Sha256::digest(input.as_bytes())),
                _ => {
                    let key = liquid_string(&a.at(0)).into_owned();
                    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes())
                        .map_err(|_| LiquidError::render("invalid hmac key"))?;
                    mac.update(input.as_bytes());
                    hex(&mac.finalize().into_bytes())
                }
            };
            s.check_string(out.len())?;
            Ok(Val::str(out))
        }
    }
}

/// liquidjs `default`: empty strings/arrays and falsy values take the default; `allow_false: true`
/// keeps `false`.
fn default<'a>(v: Val<'a>, a: &Args<'a>) -> Result<Val<'a>> {
    let value = v.to_value();
    let fallback = a.at(0);
    if let Some(n) = value.array_len() {
        return Ok(if n > 0 { value } else { fallback });
    }
    if let Val::Str(s) = &value {
        return Ok(if s.as_str().is_empty() { fallback } else { value });
    }
    if matches!(value, Val::Bool(false)) && allow_false(&a.0[a.0.len().min(1)..])? {
        return Ok(Val::Bool(false));
    }
    Ok(if value.is_truthy() { value } else { fallback })
}

/// `new Map(args).get('allow_false')`: every argument must be an object whose `0`/`1` are key and value.
fn allow_false(args: &[Val<'_>]) -> Result<bool> {
    let mut result = Val::Undef;
    for entry in args {
        if !entry.is_object_like() {
            return Err(LiquidError::render(format!(
                "TypeError: Iterator value {} is not an entry object",
                js_string(entry)
            )));
        }
        let key = crate::props::get_prop(entry, &Key::Name("0"));
        if key.as_str() == Some("allow_false") {
            result = crate::props::get_prop(entry, &Key::Name("1"));
        }
    }
    Ok(result.js_truthy())
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Validates like liquidjs, then decodes like Node's `Buffer.from(s, 'base64')` and reads the bytes as
/// UTF-8 (invalid sequences become U+FFFD).
fn base64_decode(s: &str) -> Result<String> {
    let mut compact: String = s.chars().filter(|c| !matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ')).collect();
    if compact.len().is_multiple_of(4) {
        if compact.ends_with("==") {
            compact.truncate(compact.len() - 2);
        } else if compact.ends_with('=') {
            compact.pop();
        }
    }
    let valid = compact.len() % 4 != 1 && compact.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    if !valid {
        return Err(LiquidError::render("invalid base64 provided to base64_decode"));
    }
    let mut bytes = Vec::with_capacity(compact.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in compact.bytes() {
        let Some(v) = ALPHABET.iter().position(|&x| x == b) else {
            continue;
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base64_round_trip() {
        assert_eq!(base64_encode("héllo".as_bytes()), "aMOpbGxv");
        assert_eq!(base64_encode(b"ab"), "YWI=");
        assert_eq!(base64_decode("aMOpbGxv").unwrap(), "héllo");
        assert_eq!(base64_decode("YWI=").unwrap(), "ab");
        assert_eq!(base64_decode("YW I").unwrap(), "ab");
        assert!(base64_decode("YQ=x").is_err());
        assert!(base64_decode("Y").is_err());
    }

    #[test]
    fn default_rules() {
        fn args(v: Vec<Val<'_>>) -> Args<'_> {
            Args(v)
        }
        assert!(matches!(default(Val::str(""), &args(vec![Val::str("d")])).unwrap().as_str(), Some("d")));
        assert!(matches!(default(Val::Num(0.0), &args(vec![Val::str("d")])).unwrap(), Val::Num(_)));
        let kw = json!(["allow_false", true]);
        assert!(matches!(
            default(Val::Bool(false), &args(vec![Val::str("d"), Val::from_json(&kw)])).unwrap(),
            Val::Bool(false)
        ));
        assert!(default(Val::Bool(false), &args(vec![Val::str("d"), Val::str("x")])).is_err());
        assert_eq!(hex(&Sha256::digest(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
