//! Math filters. liquidjs converts the value and every argument with `+x || 0`, then applies the
//! JavaScript operation (so `divided_by` divides as floats unless its third argument asks for integers).

use super::{Args, FilterId};
use crate::jsnum::{js_max, js_min, js_round, parse_js_number};
use crate::json;
use crate::value::{Val, to_number};

pub(super) fn apply<'a>(id: FilterId, v: &Val<'a>, a: &Args<'a>) -> Val<'a> {
    let x = to_number(v);
    // A missing argument is `undefined`, which arithmetic turns into NaN.
    let arg = |i: usize| a.get(i).map_or(f64::NAN, to_number);
    Val::Num(match id {
        FilterId::Abs => x.abs(),
        FilterId::AtLeast => a.0.iter().map(to_number).fold(x, js_max),
        FilterId::AtMost => a.0.iter().map(to_number).fold(x, js_min),
        FilterId::Ceil => x.ceil() + 0.0,
        FilterId::Floor => x.floor(),
        FilterId::DividedBy => {
            let q = x / arg(0);
            if a.get(1).is_some_and(|v| to_number(v) != 0.0) { q.floor() } else { q }
        }
        FilterId::Minus => x - arg(0),
        FilterId::Plus => x + arg(0),
        FilterId::Times => x * arg(0),
        FilterId::Modulo => {
            let m = arg(0);
            ((x % m) + m) % m
        }
        _ => round(x, a.get(0).map_or(0.0, to_number)),
    })
}

/// liquidjs `round`: shifts the decimal point through the number's text so that `1.005 | round: 2` is 1.01.
fn round(v: f64, places: f64) -> f64 {
    let scaled = shift_decimal(v.abs(), places);
    // Also true for NaN, which the JavaScript `!(scaled <= MAX_SAFE_INTEGER)` catches.
    if scaled.partial_cmp(&9_007_199_254_740_991.0).is_none_or(|o| o == std::cmp::Ordering::Greater) {
        return v;
    }
    let rounded = shift_decimal(js_round(scaled), -places);
    if v < 0.0 { -rounded } else { rounded }
}

fn shift_decimal(n: f64, exponent: f64) -> f64 {
    let text = json::f64_text(n);
    let (mantissa, power) = match text.split_once('e') {
        Some((m, p)) => (m.to_string(), parse_js_number(p)),
        None => (text, 0.0),
    };
    parse_js_number(&format!("{mantissa}e{}", json::f64_text(power + exponent)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(id: FilterId, v: f64, args: &[f64]) -> f64 {
        let a = Args(args.iter().map(|x| Val::Num(*x)).collect());
        match apply(id, &Val::Num(v), &a) {
            Val::Num(n) => n,
            _ => unreachable!(),
        }
    }

    #[test]
    fn arithmetic_follows_javascript() {
        assert_eq!(num(FilterId::DividedBy, 7.0, &[2.0]), 3.5);
        assert_eq!(num(FilterId::DividedBy, 7.0, &[2.0, 1.0]), 3.0);
        assert_eq!(num(FilterId::Modulo, -7.0, &[3.0]), 2.0);
        assert_eq!(num(FilterId::Round, 1.005, &[2.0]), 1.01);
        assert_eq!(num(FilterId::Round, -2.5, &[]), -3.0);
        assert_eq!(num(FilterId::AtLeast, 1.0, &[5.0, 9.0]), 9.0);
        assert!(num(FilterId::Plus, 1.0, &[]).is_nan());
    }
}
