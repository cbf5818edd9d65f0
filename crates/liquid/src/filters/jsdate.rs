//! JavaScript `Date` arithmetic and `Date.parse` as V8 implements it (ISO 8601 first, then its lenient
//! legacy format), with the process time zone taken to be UTC.

use crate::chars::is_js_space;

pub const MS_PER_DAY: f64 = 86_400_000.0;
const MAX_TIME: f64 = 8.64e15;

/// `TimeClip`: `NaN` outside ±8.64e15 ms, otherwise the integer part.
pub fn time_clip(t: f64) -> f64 {
    if !t.is_finite() || t.abs() > MAX_TIME { f64::NAN } else { t.trunc() + 0.0 }
}

/// Calendar fields of a time value (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fields {
    pub year: i64,
    /// 0-based month.
    pub month: u32,
    pub day: u32,
    pub hours: u32,
    pub minutes: u32,
    pub seconds: u32,
    pub millis: u32,
    /// 0 = Sunday.
    pub weekday: u32,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1-based).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The fields of a finite time value.
pub fn fields(t: f64) -> Fields {
    let days = (t / MS_PER_DAY).floor();
    let ms_in_day = (t - days * MS_PER_DAY) as u64;
    let days = days as i64;
    let (year, month, day) = civil_from_days(days);
    Fields {
        year,
        month: month - 1,
        day,
        hours: (ms_in_day / 3_600_000) as u32,
        minutes: (ms_in_day / 60_000 % 60) as u32,
        seconds: (ms_in_day / 1000 % 60) as u32,
        millis: (ms_in_day % 1000) as u32,
        weekday: (days + 4).rem_euclid(7) as u32,
    }
}

/// `MakeDate(MakeDay(year, month, day), MakeTime(h, m, s, ms))` with month overflow as JavaScript does.
fn make_date(year: f64, month: f64, day: f64, h: f64, min: f64, s: f64, ms: f64) -> f64 {
    let ym = year + (month / 12.0).floor();
    let mn = month.rem_euclid(12.0);
    if !ym.is_finite() || ym.abs() > 400_000.0 {
        return f64::NAN;
    }
    let days = days_from_civil(ym as i64, mn as u32 + 1, 1) as f64 + day - 1.0;
    days * MS_PER_DAY + h * 3_600_000.0 + min * 60_000.0 + s * 1000.0 + ms
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok {
    Number(i64, usize),
    Symbol(char),
    Space,
    Keyword(Kw, i64, usize),
    Unknown,
    End,
    Invalid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kw {
    Month,
    AmPm,
    Zone,
    TimeSeparator,
    Other,
}

fn lookup_keyword(prefix: &str, len: usize) -> (Kw, i64) {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    if let Some(i) = MONTHS.iter().position(|m| *m == prefix) {
        return (Kw::Month, i as i64 + 1);
    }
    if len > 3 {
        return (Kw::Other, 0);
    }
    match prefix {
        "am" => (Kw::AmPm, 0),
        "pm" => (Kw::AmPm, 12),
        "ut" | "utc" | "z" | "gmt" => (Kw::Zone, 0),
        "cdt" => (Kw::Zone, -5),
        "cst" => (Kw::Zone, -6),
        "edt" => (Kw::Zone, -4),
        "est" => (Kw::Zone, -5),
        "mdt" => (Kw::Zone, -6),
        "mst" => (Kw::Zone, -7),
        "pdt" => (Kw::Zone, -7),
        "pst" => (Kw::Zone, -8),
        "t" => (Kw::TimeSeparator, 0),
        _ => (Kw::Other, 0),
    }
}

struct Scanner {
    chars: Vec<char>,
    pos: usize,
    next: Tok,
}

impl Scanner {
    fn new(s: &str) -> Scanner {
        let mut sc = Scanner { chars: s.chars().collect(), pos: 0, next: Tok::End };
        sc.next = sc.scan();
        sc
    }

    fn scan(&mut self) -> Tok {
        let Some(&c) = self.chars.get(self.pos) else {
            return Tok::End;
        };
        if c.is_ascii_digit() {
            let start = self.pos;
            let mut n: i64 = 0;
            while let Some(d) = self.chars.get(self.pos).and_then(|c| c.to_digit(10)) {
                if self.pos - start < 9 {
                    n = n * 10 + i64::from(d);
                }
                self.pos += 1;
            }
            return Tok::Number(n, self.pos - start);
        }
        if matches!(c, ':' | '-' | '+' | '.' | ')') {
            self.pos += 1;
            return Tok::Symbol(c);
        }
        if c >= 'A' && !is_js_space(c) {
            let start = self.pos;
            let mut prefix = String::new();
            while let Some(&w) = self.chars.get(self.pos) {
                if w < 'A' || is_js_space(w) {
                    break;
                }
                if self.pos - start < 3 {
                    prefix.push(char::from_u32(w as u32 | 0x20).unwrap_or(w));
                }
                self.pos += 1;
            }
            let len = self.pos - start;
            let (kw, value) = lookup_keyword(&prefix, len);
            return Tok::Keyword(kw, value, len);
        }
        if is_js_space(c) {
            self.pos += 1;
            return Tok::Space;
        }
        if c == '(' {
            let mut balance = 0;
            loop {
                match self.chars.get(self.pos) {
                    Some(')') => balance -= 1,
                    Some('(') => balance += 1,
                    _ => {}
                }
                self.pos += 1;
                if balance <= 0 || self.pos >= self.chars.len() {
                    break;
                }
            }
            return Tok::Unknown;
        }
        self.pos += 1;
        Tok::Unknown
    }

    fn next(&mut self) -> Tok {
        let t = self.next;
        self.next = self.scan();
        t
    }

    fn peek(&self) -> Tok {
        self.next
    }

    fn skip_symbol(&mut self, c: char) -> bool {
        if self.next == Tok::Symbol(c) {
            self.next();
            true
        } else {
            false
        }
    }
}

fn fixed_number(t: Tok, len: usize) -> Option<i64> {
    match t {
        Tok::Number(n, l) if l == len => Some(n),
        _ => None,
    }
}

fn is_z(t: Tok) -> bool {
    matches!(t, Tok::Keyword(Kw::Zone, 0, 1))
}

fn sign_of(t: Tok) -> Option<i64> {
    match t {
        Tok::Symbol('+') => Some(1),
        Tok::Symbol('-') => Some(-1),
        _ => None,
    }
}

const NONE: i64 = i64::MAX;

#[derive(Default)]
struct Day {
    comp: [i64; 3],
    index: usize,
    named_month: Option<i64>,
    iso: bool,
}

impl Day {
    fn add(&mut self, n: i64) -> bool {
        if self.index < 3 {
            self.comp[self.index] = n;
            self.index += 1;
            true
        } else {
            false
        }
    }

    fn write(&mut self) -> Option<(i64, i64, i64)> {
        if self.index < 1 {
            return None;
        }
        while self.index < 3 {
            self.comp[self.index] = 1;
            self.index += 1;
        }
        let is_day = |x: i64| (1..=31).contains(&x);
        let (mut year, month, day) = match self.named_month {
            None if self.iso || !is_day(self.comp[0]) => (self.comp[0], self.comp[1], self.comp[2]),
            None => (self.comp[2], self.comp[0], self.comp[1]),
            Some(m) if !is_day(self.comp[0]) => (self.comp[0], m, self.comp[1]),
            Some(m) => (self.comp[1], m, self.comp[0]),
        };
        if !self.iso {
            if (0..=49).contains(&year) {
                year += 2000;
            } else if (50..=99).contains(&year) {
                year += 1900;
            }
        }
        ((1..=12).contains(&month) && is_day(day) && year.abs() < (1 << 30)).then_some((year, month - 1, day))
    }
}

struct Time {
    comp: [i64; 4],
    index: usize,
    hour_offset: Option<i64>,
}

impl Time {
    fn is_empty(&self) -> bool {
        self.index == 0
    }

    fn add(&mut self, n: i64) -> bool {
        if self.index < 4 {
            self.comp[self.index] = n;
            self.index += 1;
            true
        } else {
            false
        }
    }

    fn add_final(&mut self, n: i64) -> bool {
        if !self.add(n) {
            return false;
        }
        while self.index < 4 {
            self.comp[self.index] = 0;
            self.index += 1;
        }
        true
    }

    fn expecting(&self, n: i64) -> bool {
        (self.index == 1 && (0..=59).contains(&n))
            || (self.index == 2 && (0..=59).contains(&n))
            || (self.index == 3 && (0..=999).contains(&n))
    }

    fn write(&mut self) -> Option<[i64; 4]> {
        while self.index < 4 {
            self.comp[self.index] = 0;
            self.index += 1;
        }
        let [mut h, m, s, ms] = self.comp;
        if let Some(off) = self.hour_offset {
            if !(0..=12).contains(&h) {
                return None;
            }
            h = h % 12 + off;
        }
        let valid = (0..=23).contains(&h) && (0..=59).contains(&m) && (0..=59).contains(&s) && (0..=999).contains(&ms);
        if !(valid || (h == 24 && m == 0 && s == 0 && ms == 0)) {
            return None;
        }
        Some([h, m, s, ms])
    }
}

struct Zone {
    sign: i64,
    hour: i64,
    minute: i64,
}

impl Zone {
    fn set(&mut self, hours: i64) {
        self.sign = if hours < 0 { -1 } else { 1 };
        self.hour = hours * self.sign;
        self.minute = 0;
    }

    fn expecting(&self, n: i64) -> bool {
        self.hour != NONE && self.minute == NONE && (0..=59).contains(&n)
    }

    fn is_utc(&self) -> bool {
        self.hour == 0 && self.minute == 0
    }

    /// The UTC offset in seconds, or `None` for local time.
    fn write(&self) -> Option<Option<i64>> {
        if self.sign == NONE {
            return Some(None);
        }
        let hour = if self.hour == NONE { 0 } else { self.hour };
        let minute = if self.minute == NONE { 0 } else { self.minute };
        let total = hour.checked_mul(3600)?.checked_add(minute.checked_mul(60)?)?;
        if total > (1 << 30) - 1 {
            return None;
        }
        Some(Some(total * self.sign))
    }
}

fn read_millis(t: Tok) -> i64 {
    let Tok::Number(n, len) = t else { return 0 };
    match len {
        1 => n * 100,
        2 => n * 10,
        3 => n,
        _ => {
            let len = len.min(9);
            n / 10i64.pow(len as u32 - 3)
        }
    }
}

/// The ES5 ISO form; returns the first token it did not consume (or `End` / `Invalid`).
fn parse_iso(sc: &mut Scanner, day: &mut Day, time: &mut Time, tz: &mut Zone) -> Tok {
    if let Some(sign) = sign_of(sc.peek()) {
        let sign_tok = sc.next();
        let Some(year) = fixed_number(sc.peek(), 6) else {
            return sign_tok;
        };
        // The year is consumed even when `-000000` is then refused.
        sc.next();
        if sign < 0 && year == 0 {
            return sign_tok;
        }
        day.add(sign * year);
    } else if let Some(year) = fixed_number(sc.peek(), 4) {
        sc.next();
        day.add(year);
    } else {
        return sc.next();
    }
    if sc.skip_symbol('-') {
        match fixed_number(sc.peek(), 2).filter(|m| (1..=12).contains(m)) {
            Some(m) => {
                sc.next();
                day.add(m);
            }
            None => return sc.next(),
        }
        if sc.skip_symbol('-') {
            match fixed_number(sc.peek(), 2).filter(|d| (1..=31).contains(d)) {
                Some(d) => {
                    sc.next();
                    day.add(d);
                }
                None => return sc.next(),
            }
        }
    }
    if !matches!(sc.peek(), Tok::Keyword(Kw::TimeSeparator, _, _)) {
        if sc.peek() != Tok::End {
            return sc.next();
        }
    } else {
        sc.next();
        let Some(hour) = fixed_number(sc.peek(), 2).filter(|h| (0..=24).contains(h)) else {
            return Tok::Invalid;
        };
        let hour_24 = hour == 24;
        sc.next();
        time.add(hour);
        if !sc.skip_symbol(':') {
            return Tok::Invalid;
        }
        let Some(minute) = fixed_number(sc.peek(), 2).filter(|m| (0..=59).contains(m) && !(hour_24 && *m > 0)) else {
            return Tok::Invalid;
        };
        sc.next();
        time.add(minute);
        if sc.skip_symbol(':') {
            let Some(second) = fixed_number(sc.peek(), 2).filter(|s| (0..=59).contains(s) && !(hour_24 && *s > 0))
            else {
                return Tok::Invalid;
            };
            sc.next();
            time.add(second);
            if sc.skip_symbol('.') {
                match sc.peek() {
                    Tok::Number(n, _) if !(hour_24 && n > 0) => {
                        let t = sc.next();
                        time.add(read_millis(t));
                    }
                    _ => return Tok::Invalid,
                }
            }
        }
        if is_z(sc.peek()) {
            sc.next();
            tz.set(0);
        } else if let Some(sign) = sign_of(sc.peek()) {
            sc.next();
            tz.sign = sign;
            if let Some(hm) = fixed_number(sc.peek(), 4) {
                sc.next();
                let (h, m) = (hm / 100, hm % 100);
                if !(0..=23).contains(&h) || !(0..=59).contains(&m) {
                    return Tok::Invalid;
                }
                tz.hour = h;
                tz.minute = m;
            } else {
                let Some(h) = fixed_number(sc.peek(), 2).filter(|h| (0..=23).contains(h)) else {
                    return Tok::Invalid;
                };
                sc.next();
                tz.hour = h;
                if !sc.skip_symbol(':') {
                    return Tok::Invalid;
                }
                let Some(m) = fixed_number(sc.peek(), 2).filter(|m| (0..=59).contains(m)) else {
                    return Tok::Invalid;
                };
                sc.next();
                tz.minute = m;
            }
        }
        if sc.peek() != Tok::End {
            return Tok::Invalid;
        }
    }
    if tz.hour == NONE && time.is_empty() {
        tz.set(0);
    }
    day.iso = true;
    Tok::End
}

/// `Date.parse(s)` (V8), local time being UTC; `NaN` when the string is not a date.
pub fn parse(s: &str) -> f64 {
    parse_inner(s).map_or(f64::NAN, time_clip)
}

fn parse_inner(s: &str) -> Option<f64> {
    let mut sc = Scanner::new(s);
    let mut day = Day::default();
    let mut time = Time { comp: [0; 4], index: 0, hour_offset: None };
    let mut tz = Zone { sign: NONE, hour: NONE, minute: NONE };
    let mut token = parse_iso(&mut sc, &mut day, &mut time, &mut tz);
    if token == Tok::Invalid {
        return None;
    }
    let mut has_read_number = day.index > 0;
    while token != Tok::End {
        match token {
            Tok::Number(n, _) => {
                has_read_number = true;
                if sc.skip_symbol(':') {
                    if sc.skip_symbol(':') {
                        if !time.is_empty() {
                            return None;
                        }
                        time.add(n);
                        time.add(0);
                    } else {
                        if !time.add(n) {
                            return None;
                        }
                        if sc.peek() == Tok::Symbol('.') {
                            sc.next();
                        }
                    }
                } else {
                    // V8 consumes a '.' here even when it does not start milliseconds.
                    let dot = sc.skip_symbol('.');
                    if dot && time.expecting(n) {
                        time.add(n);
                        if !matches!(sc.peek(), Tok::Number(..)) {
                            return None;
                        }
                        let ms = read_millis(sc.next());
                        time.add_final(ms);
                    } else if tz.expecting(n) {
                        tz.minute = n;
                    } else if time.expecting(n) {
                        time.add_final(n);
                        let peek = sc.peek();
                        if !(peek == Tok::End || peek == Tok::Space || is_z(peek) || sign_of(peek).is_some()) {
                            return None;
                        }
                    } else {
                        if !day.add(n) {
                            return None;
                        }
                        sc.skip_symbol('-');
                    }
                }
            }
            Tok::Keyword(kw, value, _) => {
                if kw == Kw::AmPm && !time.is_empty() {
                    time.hour_offset = Some(value);
                } else if kw == Kw::Month {
                    day.named_month = Some(value);
                    sc.skip_symbol('-');
                } else if kw == Kw::Zone && has_read_number {
                    tz.set(value);
                } else {
                    if has_read_number {
                        return None;
                    }
                    if matches!(sc.peek(), Tok::Number(..)) {
                        return None;
                    }
                }
            }
            t if sign_of(t).is_some() && (tz.is_utc() || !time.is_empty()) => {
                tz.sign = sign_of(t).unwrap_or(1);
                let (mut n, mut len) = (0, 0);
                if let Tok::Number(v, l) = sc.peek() {
                    sc.next();
                    n = v;
                    len = l;
                }
                has_read_number = true;
                if sc.peek() == Tok::Symbol(':') {
                    tz.hour = n;
                    tz.minute = NONE;
                } else if len == 1 || len == 2 {
                    tz.hour = n;
                    tz.minute = 0;
                } else if len == 3 || len == 4 {
                    tz.hour = n / 100;
                    tz.minute = n % 100;
                } else {
                    return None;
                }
            }
            t if (sign_of(t).is_some() || t == Tok::Symbol(')')) && has_read_number => return None,
            _ => {}
        }
        token = sc.next();
    }
    let (year, month, date) = day.write()?;
    let [h, m, sec, ms] = time.write()?;
    let offset = tz.write()?;
    let t = make_date(year as f64, month as f64, date as f64, h as f64, m as f64, sec as f64, ms as f64);
    match offset {
        None => {
            let limit = MAX_TIME + 864_000_000.0;
            (t.abs() <= limit).then_some(t)
        }
        Some(off) => {
            let t = t - off as f64 * 1000.0;
            (t.abs() <= MAX_TIME).then_some(t)
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

pub fn month_name(f: &Fields) -> &'static str {
    MONTHS[f.month as usize % 12]
}

pub fn day_name(f: &Fields) -> &'static str {
    DAYS[f.weekday as usize % 7]
}

/// `toLocaleDateString()` in en-US: `3/7/2024`.
pub fn locale_date(f: &Fields) -> String {
    format!("{}/{}/{}", f.month + 1, f.day, locale_year(f.year))
}

/// `toLocaleTimeString()` in en-US: `10:05:09 AM` (the reference Node's ICU uses a plain space).
pub fn locale_time(f: &Fields) -> String {
    let h12 = if f.hours.is_multiple_of(12) { 12 } else { f.hours % 12 };
    let ampm = if f.hours < 12 { "AM" } else { "PM" };
    format!("{}:{:02}:{:02} {}", h12, f.minutes, f.seconds, ampm)
}

/// Years before 1 print as their era year in en-US (`1 BC` is year 0).
fn locale_year(year: i64) -> String {
    if year >= 1 { year.to_string() } else { (1 - year).to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trip() {
        for days in [-719_468i64, -1, 0, 1, 19_789, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        let f = fields(1_709_807_400_000.0);
        assert_eq!((f.year, f.month, f.day, f.hours, f.minutes, f.weekday), (2024, 2, 7, 10, 30, 4));
        let f = fields(-1.0);
        assert_eq!((f.year, f.month, f.day, f.hours, f.millis), (1969, 11, 31, 23, 999));
    }

    #[test]
    fn iso_and_legacy_formats() {
        let cases = [
            ("2024-03-07", 1_709_769_600_000.0),
            ("2024-03-07T10:30:00Z", 1_709_807_400_000.0),
            ("2024-03-07T10:30:00.5+02:00", 1_709_800_200_500.0),
            ("2024-03-07T10:30", 1_709_807_400_000.0),
            ("2024-03-07 10:30", 1_709_807_400_000.0),
            ("March 7, 2024", 1_709_769_600_000.0),
            ("Thu, 07 Mar 2024 10:30:00 GMT", 1_709_807_400_000.0),
            ("3/7/2024 10:30 PM", 1_709_850_600_000.0),
            ("2024/03/07", 1_709_769_600_000.0),
            ("Thu Mar 07 2024 12:30:00 GMT+0200 (Eastern European Standard Time)", 1_709_807_400_000.0),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), expected, "{text}");
        }
        let more = [
            ("hello 2024", 1_704_067_200_000.0),
            ("7.3.2024", 1_719_964_800_000.0),
            ("Mar 7", 983_923_200_000.0),
            ("3/7", 983_923_200_000.0),
            ("12", 1_007_164_800_000.0),
            ("Mar 2024", 1_709_251_200_000.0),
            ("2024-03-07T24:00", 1_709_856_000_000.0),
            ("1/2/3 4:5:6 pm", 1_041_523_506_000.0),
            ("2024-03-07T10:30:00.123456789Z", 1_709_807_400_123.0),
            ("Sat Dec 31 1999 23:59:59 GMT-0500 (EST)", 946_702_799_000.0),
            ("2024-03-07 10:30:00 +05:30", 1_709_787_600_000.0),
            ("2024-03-07T10:30:00+0530", 1_709_787_600_000.0),
            ("-271821-04-20", -8.64e15),
            ("+275760-09-13T00:00:00Z", 8.64e15),
        ];
        for (text, expected) in more {
            assert_eq!(parse(text), expected, "{text}");
        }
        for bad in [
            "",
            "abc",
            "2024-13-01",
            "2024-03-07T25:00",
            "hello2024",
            "2024-03-07T10:30:00 Z",
            "24:00",
            "Jan 1 2000 13:00 PM",
            "tomorrow",
            "+275760-09-13T00:00:00.001Z",
        ] {
            assert!(parse(bad).is_nan(), "{bad}");
        }
    }

    #[test]
    fn matches_v8_on_date_strings() {
        let vectors: Vec<(String, Option<f64>)> =
            serde_json::from_str(include_str!("../../tests/fixtures/date_vectors.json")).unwrap();
        let mut bad = Vec::new();
        for (text, expected) in &vectors {
            let got = parse(text);
            let same = match expected {
                Some(ms) => got == *ms,
                None => got.is_nan(),
            };
            if !same {
                bad.push(format!("{text:?}: expected {expected:?}, got {got}"));
            }
        }
        assert!(bad.is_empty(), "{} of {} differ:\n{}", bad.len(), vectors.len(), bad.join("\n"));
    }
}
