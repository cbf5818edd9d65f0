//! `date` and the `date_to_*` filters: liquidjs's date construction (epoch seconds, `now`, `Date.parse`,
//! an optional time zone argument) and its strftime, in the en-US locale with the process in UTC.

use std::str::FromStr;

use chrono::{Offset, TimeZone};
use chrono_tz::Tz;

use super::jsdate::{self, Fields};
use super::{Args, FilterId};
use crate::error::{LiquidError, Result};
use crate::json;
use crate::render::Session;
use crate::value::{Val, js_number, js_string, liquid_string};

/// A date as liquidjs's `LiquidDate` holds it: the instant, and a copy shifted so that UTC getters show
/// the wall time of the requested zone.
struct LiquidDate {
    value: f64,
    display: f64,
    /// Minutes behind UTC (JavaScript's `getTimezoneOffset` sign).
    offset: f64,
    /// The zone name given, when a zone was given (`Some("")` for a numeric offset).
    zone: Option<String>,
}

impl LiquidDate {
    fn fields(&self) -> Fields {
        jsdate::fields(self.display)
    }
}

fn now_ms() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_millis() as f64)
}

/// `new Date(init)` for the values liquidjs passes.
fn js_date_value(v: &Val<'_>) -> f64 {
    match v {
        Val::Str(s) => jsdate::parse(s.as_str()),
        v if v.is_object_like() => jsdate::parse(&js_string(v)),
        v => jsdate::time_clip(js_number(v)),
    }
}

/// Minutes behind UTC of the IANA zone `name` at instant `t`.
fn zone_offset(name: &str, t: f64) -> Result<f64> {
    let tz = Tz::from_str(name)
        .ok()
        .or_else(|| chrono_tz::TZ_VARIANTS.iter().copied().find(|z| z.name().eq_ignore_ascii_case(name)))
        .ok_or_else(|| LiquidError::render(format!("RangeError: Invalid time zone specified: {name}")))?;
    if t.is_nan() {
        return Ok(f64::NAN);
    }
    let secs = (t / 1000.0).floor() as i64;
    let Some(instant) = chrono::DateTime::from_timestamp(secs, 0) else {
        return Ok(f64::NAN);
    };
    let offset = tz.offset_from_utc_datetime(&instant.naive_utc()).fix().local_minus_utc();
    Ok(-f64::from(offset) / 60.0)
}

/// liquidjs `parseDate`; `None` when the value is not a valid date.
fn parse_date(v: &Val<'_>, zone: &Val<'_>) -> Result<Option<LiquidDate>> {
    let v = v.to_value();
    if v.is_nil() {
        return Ok(None);
    }
    let value = match &v {
        Val::Str(s) if matches!(s.as_str(), "now" | "today") => now_ms(),
        Val::Num(n) => jsdate::time_clip(n * 1000.0),
        Val::Str(s) if !s.as_str().is_empty() && s.as_str().bytes().all(|b| b.is_ascii_digit()) => {
            jsdate::time_clip(js_number(&v) * 1000.0)
        }
        v => js_date_value(v),
    };
    let (offset, name) = match zone {
        Val::Undef | Val::Null => (0.0, None),
        Val::Str(s) => (zone_offset(s.as_str(), value)?, Some(s.as_str().to_string())),
        z => (js_number(z), Some(String::new())),
    };
    let display = jsdate::time_clip(value - offset * 60_000.0);
    if display.is_nan() {
        return Ok(None);
    }
    Ok(Some(LiquidDate { value, display, offset, zone: name }))
}

pub(super) fn apply<'a>(s: &mut Session<'a>, id: FilterId, v: Val<'a>, a: &Args<'a>) -> Result<Val<'a>> {
    let (format, zone) = match id {
        FilterId::Date => {
            let fmt = a.at(0).to_value();
            let fmt = if fmt.is_nil() {
                "%A, %B %-e, %Y at %-l:%M %P %z".to_string()
            } else {
                liquid_string(&fmt).into_owned()
            };
            (fmt, a.at(1))
        }
        FilterId::DateToXmlschema => ("%Y-%m-%dT%H:%M:%S%:z".to_string(), Val::Undef),
        FilterId::DateToRfc822 => ("%a, %d %b %Y %H:%M:%S %z".to_string(), Val::Undef),
        _ => {
            let Some(date) = parse_date(&v, &Val::Undef)? else {
                return Ok(v);
            };
            let month = if id == FilterId::DateToString { "%b" } else { "%B" };
            let day = date.fields().day;
            let fmt = match (a.at(0).as_str(), a.at(1).as_str()) {
                (Some("ordinal"), Some("US")) => format!("{month} {day}%q, %Y"),
                (Some("ordinal"), _) => format!("{day}%q {month} %Y"),
                _ => format!("%d {month} %Y"),
            };
            let out = strftime(s, &date, &fmt)?;
            return Ok(Val::str(out));
        }
    };
    let Some(date) = parse_date(&v, &zone)? else {
        return Ok(v);
    };
    let out = strftime(s, &date, &format)?;
    Ok(Val::str(out))
}

/// Formats with liquidjs's strftime: `%[flags][width][E|O]conversion`, unknown conversions kept as typed.
fn strftime(s: &mut Session<'_>, d: &LiquidDate, format: &str) -> Result<String> {
    let f = d.fields();
    let mut out = String::new();
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let flags_start = j;
        while j < chars.len() && matches!(chars[j], '-' | '_' | '0' | '^' | '#' | ':') {
            j += 1;
        }
        let flags: String = chars[flags_start..j].iter().collect();
        let width_start = j;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        let width: String = chars[width_start..j].iter().collect();
        if j < chars.len() && matches!(chars[j], 'E' | 'O') && j + 1 < chars.len() && !is_line_break(chars[j + 1]) {
            j += 1;
        }
        let Some(&conv) = chars.get(j).filter(|c| !is_line_break(**c)) else {
            out.push('%');
            i += 1;
            continue;
        };
        let input: String = chars[i..=j].iter().collect();
        i = j + 1;
        match convert(d, &f, conv, &flags, &width, s.max_string_bytes())? {
            Some(text) => {
                let padded = pad(s, text, conv, &flags, &width)?;
                out.push_str(&padded);
            }
            None => out.push_str(&input),
        }
        s.check_string(out.len())?;
    }
    Ok(out)
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

fn ordinal(day: u32) -> &'static str {
    if (11..=13).contains(&day) {
        return "th";
    }
    match day % 10 {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    }
}

/// liquidjs's leap-year test (which, unlike the calendar, says year 0 is not leap).
fn is_leap(year: i64) -> bool {
    year & 3 == 0 && (year % 100 != 0 || (year % 400 == 0 && year != 0))
}

fn day_of_year(f: &Fields) -> u32 {
    let feb = if is_leap(f.year) { 29 } else { 28 };
    let lengths = [31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    lengths[..f.month as usize].iter().sum::<u32>() + f.day
}

fn week_of_year(f: &Fields, start_day: u32) -> u32 {
    let since_start = (f.weekday + 7 - start_day) % 7;
    (day_of_year(f) + 6 - since_start) / 7
}

fn zone_offset_text(d: &LiquidDate, colon: bool) -> String {
    let n = d.offset.abs();
    let h = (n / 60.0).floor();
    let m = n % 60.0;
    let sign = if d.offset > 0.0 { '-' } else { '+' };
    let two = |x: f64| {
        let t = json::f64_text(x);
        if t.chars().count() < 2 { format!("0{t}") } else { t }
    };
    format!("{sign}{}{}{}", two(h), if colon { ":" } else { "" }, two(m))
}

fn convert(d: &LiquidDate, f: &Fields, conv: char, flags: &str, width: &str, max: usize) -> Result<Option<String>> {
    let h12 = if f.hours.is_multiple_of(12) { 12 } else { f.hours % 12 };
    Ok(Some(match conv {
        'a' => jsdate::day_name(f)[..3].to_string(),
        'A' => jsdate::day_name(f).to_string(),
        'b' | 'h' => jsdate::month_name(f)[..3].to_string(),
        'B' => jsdate::month_name(f).to_string(),
        'c' => format!("{}, {}", jsdate::locale_date(f), jsdate::locale_time(f)),
        'C' => (f.year as f64 / 100.0).floor().to_string(),
        'd' | 'e' => f.day.to_string(),
        'H' | 'k' => f.hours.to_string(),
        'I' | 'l' => h12.to_string(),
        'j' => day_of_year(f).to_string(),
        'L' => f.millis.to_string(),
        'm' => (f.month + 1).to_string(),
        'M' => f.minutes.to_string(),
        'N' => {
            let w = match width.parse::<f64>() {
                Ok(w) if w > 0.0 => w,
                _ => 9.0,
            };
            if w > max as f64 {
                return Err(LiquidError::limit(format!("string size limit exceeded (max_string_bytes = {max})")));
            }
            let w = w as usize;
            let ms = format!("{:03}", f.millis);
            let mut s: String = ms.chars().take(w).collect();
            while s.len() < w {
                s.push('0');
            }
            s
        }
        'p' => (if f.hours < 12 { "AM" } else { "PM" }).to_string(),
        'P' => (if f.hours < 12 { "am" } else { "pm" }).to_string(),
        'q' => ordinal(f.day).to_string(),
        's' => json::f64_text((d.value / 1000.0).floor()),
        'S' => f.seconds.to_string(),
        'u' => (if f.weekday == 0 { 7 } else { f.weekday }).to_string(),
        'U' => week_of_year(f, 0).to_string(),
        'w' => f.weekday.to_string(),
        'W' => week_of_year(f, 1).to_string(),
        'x' => jsdate::locale_date(f),
        'X' => jsdate::locale_time(f),
        'y' => (f.year.rem_euclid(100)).to_string(),
        'Y' => f.year.to_string(),
        'z' => zone_offset_text(d, flags.contains(':')),
        'Z' => match &d.zone {
            Some(name) if !name.is_empty() => name.clone(),
            Some(_) => zone_offset_text(d, flags.contains(':')),
            None => "UTC".to_string(),
        },
        't' => "\t".to_string(),
        'n' => "\n".to_string(),
        '%' => "%".to_string(),
        _ => return Ok(None),
    }))
}

fn pad(s: &mut Session<'_>, text: String, conv: char, flags: &str, width: &str) -> Result<String> {
    let mut text = text;
    let default_width = match conv {
        'C' | 'd' | 'e' | 'H' | 'I' | 'k' | 'l' | 'm' | 'M' | 'S' | 'U' | 'W' | 'y' => 2,
        'j' | 'L' => 3,
        'Y' => 4,
        _ => 0,
    };
    let mut pad_char = if "aAbBceklpP".contains(conv) { ' ' } else { '0' };
    let mut width = match width.parse::<f64>() {
        Ok(w) if w > 0.0 => w,
        _ => default_width as f64,
    };
    if flags.contains('^') {
        text = text.to_uppercase();
    } else if flags.contains('#') {
        text = if text.chars().any(|c| c.is_ascii_lowercase()) { text.to_uppercase() } else { text.to_lowercase() };
    }
    if flags.contains('_') {
        pad_char = ' ';
    } else if flags.contains('0') {
        pad_char = '0';
    }
    if flags.contains('-') {
        width = 0.0;
    }
    let len = text.encode_utf16().count() as f64;
    if width - len > 0.0 {
        s.check_string((width - len) as usize)?;
    }
    let negative = pad_char == '0' && text.starts_with('-');
    let (prefix, body) = if negative { ("-", &text[1..]) } else { ("", text.as_str()) };
    let target = if negative { width - 1.0 } else { width };
    let body_len = body.encode_utf16().count() as f64;
    let fill = if target > body_len { (target - body_len) as usize } else { 0 };
    Ok(format!("{prefix}{}{body}", pad_char.to_string().repeat(fill)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Limits;

    fn fmt(v: Val<'static>, format: &str) -> String {
        let env = serde_json::json!({});
        let env: &'static serde_json::Value = Box::leak(Box::new(env));
        let mut s = Session::new(env, Limits::default());
        let d = parse_date(&v, &Val::Undef).unwrap().unwrap();
        strftime(&mut s, &d, format).unwrap()
    }

    #[test]
    fn strftime_codes() {
        let v = Val::str("2024-03-07T09:05:03.042Z");
        assert_eq!(
            fmt(v.clone(), "%Y-%m-%d %H:%M:%S.%L %j %a %b %e %-m %I%p %Z %z %:z"),
            "2024-03-07 09:05:03.042 067 Thu Mar  7 3 09AM UTC +0000 +00:00"
        );
        assert_eq!(
            fmt(v.clone(), "%^B %q %U %W %u %w %s %N %3N %% %Q"),
            "MARCH th 09 10 4 4 1709802303 042000000 042 % %Q"
        );
        assert_eq!(fmt(v.clone(), "%c|%x|%X"), "3/7/2024, 9:05:03 AM|3/7/2024|9:05:03 AM");
        assert_eq!(fmt(Val::Num(0.0), "%A %d %B %Y %k %l %P"), "Thursday 01 January 1970  0 12 am");
    }

    #[test]
    fn time_zones() {
        let v = Val::str("2024-07-01T12:00:00Z");
        let d = parse_date(&v, &Val::str("America/New_York")).unwrap().unwrap();
        assert_eq!(d.offset, 240.0);
        let d = parse_date(&v, &Val::Num(-330.0)).unwrap().unwrap();
        assert_eq!(jsdate::fields(d.display).hours, 17);
        assert!(parse_date(&v, &Val::str("Mars/Base")).is_err());
    }
}
