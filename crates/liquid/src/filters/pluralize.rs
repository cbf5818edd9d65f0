//! English pluralisation with the rules of the npm `pluralize` 8 package (which upstream's `pluralize` and
//! `toSentence` filters call): irregular words, uncountable words, then suffix rules tried from the most
//! recently added; the replacement takes over the case pattern of the word it replaces.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::{Captures, Regex};

const IRREGULAR: &[(&str, &str)] = &[
    ("i", "we"),
    ("me", "us"),
    ("he", "they"),
    ("she", "they"),
    ("them", "them"),
    ("myself", "ourselves"),
    ("yourself", "yourselves"),
    ("itself", "themselves"),
    ("herself", "themselves"),
    ("himself", "themselves"),
    ("themself", "themselves"),
    ("is", "are"),
    ("was", "were"),
    ("has", "have"),
    ("this", "these"),
    ("that", "those"),
    ("echo", "echoes"),
    ("dingo", "dingoes"),
    ("volcano", "volcanoes"),
    ("tornado", "tornadoes"),
    ("torpedo", "torpedoes"),
    ("genus", "genera"),
    ("viscus", "viscera"),
    ("stigma", "stigmata"),
    ("stoma", "stomata"),
    ("dogma", "dogmata"),
    ("lemma", "lemmata"),
    ("schema", "schemata"),
    ("anathema", "anathemata"),
    ("ox", "oxen"),
    ("axe", "axes"),
    ("die", "dice"),
    ("yes", "yeses"),
    ("foot", "feet"),
    ("eave", "eaves"),
    ("goose", "geese"),
    ("tooth", "teeth"),
    ("quiz", "quizzes"),
    ("human", "humans"),
    ("proof", "proofs"),
    ("carve", "carves"),
    ("valve", "valves"),
    ("looey", "looies"),
    ("thief", "thieves"),
    ("groove", "grooves"),
    ("pickaxe", "pickaxes"),
    ("passerby", "passersby"),
];

const PLURAL_RULES: &[(&str, &str)] = &[
    (r"s?$", "s"),
    (r"[^\x00-\x7F]$", "$0"),
    (r"([^aeiou]ese)$", "$1"),
    (r"(ax|test)is$", "$1es"),
    (r"(alias|[^aou]us|t[lm]as|gas|ris)$", "$1es"),
    (r"(e[mn]u)s?$", "$1s"),
    (r"([^l]ias|[aeiou]las|[ejzr]as|[iu]am)$", "$1"),
    (r"(alumn|syllab|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat)(?:us|i)$", "$1i"),
    (r"(alumn|alg|vertebr)(?:a|ae)$", "$1ae"),
    (r"(seraph|cherub)(?:im)?$", "$1im"),
    (r"(her|at|gr)o$", "$1oes"),
    (
        r"(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor)(?:a|um)$",
        "$1a",
    ),
    (r"(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat)(?:a|on)$", "$1a"),
    (r"sis$", "ses"),
    (r"(?:(kni|wi|li)fe|(ar|l|ea|eo|oa|hoo)f)$", "$1$2ves"),
    (r"([^aeiouy]|qu)y$", "$1ies"),
    (r"([^ch][ieo][ln])ey$", "$1ies"),
    (r"(x|ch|ss|sh|zz)$", "$1es"),
    (r"(matr|cod|mur|sil|vert|ind|append)(?:ix|ex)$", "$1ices"),
    (r"(?-u:\b)((?:tit)?m|l)(?:ice|ouse)$", "$1ice"),
    (r"(pe)(?:rson|ople)$", "$1ople"),
    (r"(child)(?:ren)?$", "$1ren"),
    (r"eaux$", "$0"),
    (r"m[ae]n$", "men"),
    (r"^thou$", "you"),
];

const SINGULAR_RULES: &[(&str, &str)] = &[
    (r"s$", ""),
    (r"(ss)$", "$1"),
    (r"(wi|kni|(?:after|half|high|low|mid|non|night|[^A-Za-z0-9_]|^)li)ves$", "$1fe"),
    (r"(ar|(?:wo|[ae])l|[eo][ao])ves$", "$1f"),
    (r"ies$", "y"),
    (r"(?-u:\b)([pl]|zomb|(?:neck|cross)?t|coll|faer|food|gen|goon|group|lass|talk|goal|cut)ies$", "$1ie"),
    (r"(?-u:\b)(mon|smil)ies$", "$1ey"),
    (r"(?-u:\b)((?:tit)?m|l)ice$", "$1ouse"),
    (r"(seraph|cherub)im$", "$1"),
    (r"(x|ch|ss|sh|zz|tto|go|cho|alias|[^aou]us|t[lm]as|gas|(?:her|at|gr)o|[aeiou]ris)(?:es)?$", "$1"),
    (r"(analy|diagno|parenthe|progno|synop|the|empha|cri|ne)(?:sis|ses)$", "$1sis"),
    (r"(movie|twelve|abuse|e[mn]u)s$", "$1"),
    (r"(test)(?:is|es)$", "$1is"),
    (r"(alumn|syllab|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat)(?:us|i)$", "$1us"),
    (r"(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|quor)a$", "$1um"),
    (r"(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat)a$", "$1on"),
    (r"(alumn|alg|vertebr)ae$", "$1a"),
    (r"(cod|mur|sil|vert|ind)ices$", "$1ex"),
    (r"(matr|append)ices$", "$1ix"),
    (r"(pe)(rson|ople)$", "$1rson"),
    (r"(child)ren$", "$1"),
    (r"(eau)x?$", "$1"),
    (r"men$", "man"),
];

const UNCOUNTABLE_WORDS: &[&str] = &[
    "adulthood",
    "advice",
    "agenda",
    "aid",
    "aircraft",
    "alcohol",
    "ammo",
    "analytics",
    "anime",
    "athletics",
    "audio",
    "bison",
    "blood",
    "bream",
    "buffalo",
    "butter",
    "carp",
    "cash",
    "chassis",
    "chess",
    "clothing",
    "cod",
    "commerce",
    "cooperation",
    "corps",
    "debris",
    "diabetes",
    "digestion",
    "elk",
    "energy",
    "equipment",
    "excretion",
    "expertise",
    "firmware",
    "flounder",
    "fun",
    "gallows",
    "garbage",
    "graffiti",
    "hardware",
    "headquarters",
    "health",
    "herpes",
    "highjinks",
    "homework",
    "housework",
    "information",
    "jeans",
    "justice",
    "kudos",
    "labour",
    "literature",
    "machinery",
    "mackerel",
    "mail",
    "media",
    "mews",
    "moose",
    "music",
    "mud",
    "manga",
    "news",
    "only",
    "personnel",
    "pike",
    "plankton",
    "pliers",
    "police",
    "pollution",
    "premises",
    "rain",
    "research",
    "rice",
    "salmon",
    "scissors",
    "series",
    "sewage",
    "shambles",
    "shrimp",
    "software",
    "species",
    "staff",
    "swine",
    "tennis",
    "traffic",
    "transportation",
    "trout",
    "tuna",
    "wealth",
    "welfare",
    "whiting",
    "wildebeest",
    "wildlife",
    "you",
];

/// Uncountable words given as patterns; they become rules of both directions that keep the word.
const UNCOUNTABLE_PATTERNS: [&str; 8] =
    [r"pok[eé]mon$", r"[^aeiou]ese$", r"deer$", r"fish$", r"measles$", r"o[iu]s$", r"pox$", r"sheep$"];

struct Rules {
    plural: Vec<(Regex, &'static str)>,
    singular: Vec<(Regex, &'static str)>,
    uncountable: Vec<&'static str>,
    single_to_plural: HashMap<&'static str, &'static str>,
    plural_to_single: HashMap<&'static str, &'static str>,
}

fn compile(pattern: &str) -> Regex {
    Regex::new(&format!("(?i){pattern}")).expect("pluralization rules are valid regexes")
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let mut plural: Vec<(Regex, &'static str)> = PLURAL_RULES.iter().map(|(p, r)| (compile(p), *r)).collect();
    let mut singular: Vec<(Regex, &'static str)> = SINGULAR_RULES.iter().map(|(p, r)| (compile(p), *r)).collect();
    for p in UNCOUNTABLE_PATTERNS {
        plural.push((compile(p), "$0"));
        singular.push((compile(p), "$0"));
    }
    let mut single_to_plural = HashMap::new();
    let mut plural_to_single = HashMap::new();
    for (single, plural_word) in IRREGULAR {
        single_to_plural.insert(*single, *plural_word);
        plural_to_single.insert(*plural_word, *single);
    }
    let uncountable = UNCOUNTABLE_WORDS.to_vec();
    Rules { plural, singular, uncountable, single_to_plural, plural_to_single }
});

/// `pluralize(word, count)`: the singular form when `count` is 1, the plural otherwise.
pub fn pluralize(word: &str, count: f64) -> String {
    let rules = &*RULES;
    if count == 1.0 {
        replace_word(word, &rules.plural_to_single, &rules.single_to_plural, &rules.singular)
    } else {
        replace_word(word, &rules.single_to_plural, &rules.plural_to_single, &rules.plural)
    }
}

fn replace_word(
    word: &str,
    replace: &HashMap<&'static str, &'static str>,
    keep: &HashMap<&'static str, &'static str>,
    rules: &[(Regex, &'static str)],
) -> String {
    let token = word.to_lowercase();
    if keep.contains_key(token.as_str()) {
        return restore_case(word, &token);
    }
    if let Some(rep) = replace.get(token.as_str()) {
        return restore_case(word, rep);
    }
    if token.is_empty() || RULES.uncountable.contains(&token.as_str()) {
        return word.to_string();
    }
    for (re, rep) in rules.iter().rev() {
        if let Some(caps) = re.captures(word) {
            return apply_rule(word, &caps, rep);
        }
    }
    word.to_string()
}

/// Replaces the first match, interpolating `$n` groups (missing groups are empty).
fn apply_rule(word: &str, caps: &Captures<'_>, rep: &str) -> String {
    let whole = caps.get(0).map_or(0..0, |m| m.range());
    let mut result = String::new();
    let mut chars = rep.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            let mut n = 0usize;
            let mut digits = 0;
            while digits < 2 && chars.peek().is_some_and(char::is_ascii_digit) {
                n = n * 10 + chars.next().and_then(|d| d.to_digit(10)).unwrap_or(0) as usize;
                digits += 1;
            }
            result.push_str(caps.get(n).map_or("", |m| m.as_str()));
        } else {
            result.push(c);
        }
    }
    let matched = &word[whole.clone()];
    let restored = if matched.is_empty() {
        let before = word[..whole.start].chars().last().map(String::from).unwrap_or_default();
        restore_case(&before, &result)
    } else {
        restore_case(matched, &result)
    };
    format!("{}{}{}", &word[..whole.start], restored, &word[whole.end..])
}

/// Gives `token` the case pattern of `word`: same, lower, upper or title case.
fn restore_case(word: &str, token: &str) -> String {
    if word == token {
        return token.to_string();
    }
    if word == word.to_lowercase() {
        return token.to_lowercase();
    }
    if word == word.to_uppercase() {
        return token.to_uppercase();
    }
    let first = word.chars().next().map(String::from).unwrap_or_default();
    if first == first.to_uppercase() {
        let mut chars = token.chars();
        return match chars.next() {
            Some(c) => c.to_uppercase().chain(chars.as_str().to_lowercase().chars()).collect(),
            None => String::new(),
        };
    }
    token.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words() {
        let cases = [
            ("apple", "apples"),
            ("box", "boxes"),
            ("person", "people"),
            ("mouse", "mice"),
            ("child", "children"),
            ("sheep", "sheep"),
            ("information", "information"),
            ("city", "cities"),
            ("knife", "knives"),
            ("Person", "People"),
            ("APPLE", "APPLES"),
            ("bus", "buses"),
            ("new event", "new events"),
            ("other", "others"),
            ("café", "café"),
            ("", ""),
        ];
        for (single, plural) in cases {
            assert_eq!(pluralize(single, 2.0), plural, "{single}");
        }
        assert_eq!(pluralize("apples", 1.0), "apple");
        assert_eq!(pluralize("people", 1.0), "person");
        assert_eq!(pluralize("apple", 1.0), "apple");
    }

    #[test]
    fn matches_npm_pluralize_on_word_list() {
        let vectors: Vec<(String, String, String)> =
            serde_json::from_str(include_str!("../../tests/fixtures/pluralize_vectors.json")).unwrap();
        let mut bad = Vec::new();
        for (word, plural, single) in &vectors {
            if pluralize(word, 2.0) != *plural || pluralize(word, 1.0) != *single {
                bad.push(format!("{word}: {plural}/{single} vs {}/{}", pluralize(word, 2.0), pluralize(word, 1.0)));
            }
        }
        assert!(bad.is_empty(), "{} of {} differ:\n{}", bad.len(), vectors.len(), bad.join("\n"));
    }
}
