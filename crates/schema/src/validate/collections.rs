//! The array and object keyword groups: item defaults, `items`, `contains`, `uniqueItems`; property
//! defaults, `required`, `propertyNames`, removal of extra properties, `dependencies`, `properties`,
//! `patternProperties`.

use serde_json::{Map, Value};

use super::{Ctx, Path, Validator};
use crate::equal::duplicate;
use crate::json;
use crate::node::{Additional, AdditionalItems, ArrayKeywords, Dependency, Items, ObjectKeywords};

impl Validator<'_> {
    pub(super) fn array(&mut self, a: &ArrayKeywords, items: &mut Vec<Value>, path: &Path<'_>, ctx: Ctx) -> bool {
        if !ctx.composite {
            for (i, default) in &a.defaults {
                if *i >= items.len() {
                    // JavaScript would leave holes before the index; JSON has only `null` for them.
                    items.resize(*i, Value::Null);
                    items.push(default.clone());
                }
            }
        }
        let len = items.len() as f64;
        if let Some(max) = &a.max_items
            && len > max.value
        {
            self.error(ctx, path, || format!("must NOT have more than {} items", json::number_text(&max.text)));
            return false;
        }
        if let Some(min) = &a.min_items
            && len < min.value
        {
            self.error(ctx, path, || format!("must NOT have fewer than {} items", json::number_text(&min.text)));
            return false;
        }
        match a.additional_items {
            AdditionalItems::None => {}
            AdditionalItems::Forbidden(n) => {
                if items.len() > n {
                    self.error(ctx, path, || format!("must NOT have more than {n} items"));
                    return false;
                }
            }
            AdditionalItems::Schema(n, id) => {
                for (i, item) in items.iter_mut().enumerate().skip(n) {
                    if !self.eval(id, item, &Path::Index(path, i), ctx) {
                        return false;
                    }
                }
            }
        }
        match &a.items {
            Items::None => {}
            Items::All(id) => {
                for (i, item) in items.iter_mut().enumerate() {
                    if !self.eval(*id, item, &Path::Index(path, i), ctx) {
                        return false;
                    }
                }
            }
            Items::Tuple(list) => {
                let key = &a.items as *const Items as usize;
                for (i, (item, schema)) in items.iter_mut().zip(list).enumerate() {
                    if let Some(id) = schema
                        && !self.eval(*id, item, &Path::Index(path, i), ctx)
                    {
                        self.carry(key, false);
                        return false;
                    }
                }
                // ajv quirk: its generated code carries on to `contains` and `uniqueItems` only if the tuple's
                // `valid` variable is true. An array too short for the first checked position assigns it
                // nothing, so it keeps what an earlier evaluation of this keyword in the same function left
                // there (a previous item of an enclosing array) and is undefined the first time.
                match list.iter().position(Option::is_some) {
                    Some(first) if items.len() <= first && !self.carried(key) => return true,
                    // Checked now (every checked item passed), or skipped with the variable already true.
                    Some(_) => self.carry(key, true),
                    None => {}
                }
            }
        }
        if let Some(contains) = a.contains {
            let found = match contains {
                None => !items.is_empty(),
                // ajv loops over the items setting its `valid` variable; an empty array leaves it as an
                // earlier evaluation of this keyword in the same function left it (false the first time).
                Some(_) if items.is_empty() => self.carried(&a.contains as *const _ as usize),
                Some(id) => {
                    let start = self.errors.len();
                    let found = items
                        .iter_mut()
                        .enumerate()
                        .any(|(i, item)| self.eval(id, item, &Path::Index(path, i), ctx.composite()));
                    if found || !ctx.composite {
                        self.errors.truncate(start);
                    }
                    self.carry(&a.contains as *const _ as usize, found);
                    found
                }
            };
            if !found {
                self.error(ctx, path, || "must contain at least 1 valid item(s)".to_string());
                return false;
            }
        }
        if let Some(fast) = a.unique_items
            && let Some((i, j)) = duplicate(items, fast)
        {
            self.error(ctx, path, || format!("must NOT have duplicate items (items ## {j} and {i} are identical)"));
            return false;
        }
        true
    }

    /// What ajv's `valid` variable of the keyword at `key` last held in this function (undefined: false).
    fn carried(&self, key: usize) -> bool {
        self.carried.iter().any(|&(k, valid)| k == key && valid)
    }

    fn carry(&mut self, key: usize, valid: bool) {
        match self.carried.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = valid,
            None => self.carried.push((key, valid)),
        }
    }

    pub(super) fn object(
        &mut self,
        o: &ObjectKeywords,
        map: &mut Map<String, Value>,
        path: &Path<'_>,
        ctx: Ctx,
    ) -> bool {
        if !ctx.composite {
            for (name, default) in &o.defaults {
                if !has(map, name) {
                    map.insert(name.clone(), default.clone());
                }
            }
        }
        let count = map.len() as f64;
        if let Some(max) = &o.max_properties
            && count > max.value
        {
            self.error(ctx, path, || format!("must NOT have more than {} properties", json::number_text(&max.text)));
            return false;
        }
        if let Some(min) = &o.min_properties
            && count < min.value
        {
            self.error(ctx, path, || format!("must NOT have fewer than {} properties", json::number_text(&min.text)));
            return false;
        }
        if let Some(missing) = o.required.iter().find(|name| !has(map, name)) {
            self.error(ctx, path, || format!("must have required property '{missing}'"));
            return false;
        }
        if let Some(id) = o.property_names {
            for key in js_ordered_keys(map) {
                let mut name = Value::String(key.clone());
                if !self.eval(id, &mut name, path, ctx.composite()) {
                    self.error(ctx, path, || "property name must be valid".to_string());
                    return false;
                }
            }
        }
        self.additional(o, map, path);
        for (name, dep) in &o.dependencies {
            if !has(map, name) {
                continue;
            }
            match dep {
                Dependency::Properties(deps) => {
                    if deps.iter().any(|d| !has(map, d)) {
                        self.error(ctx, path, || {
                            let noun = if deps.len() == 1 { "property" } else { "properties" };
                            format!("must have {noun} {} when property {name} is present", deps.join(", "))
                        });
                        return false;
                    }
                }
                Dependency::Schema(id) => {
                    let mut whole = Value::Object(std::mem::take(map));
                    let valid = self.eval(*id, &mut whole, path, ctx);
                    if let Value::Object(m) = whole {
                        *map = m;
                    }
                    if !valid {
                        return false;
                    }
                }
            }
        }
        for (name, id, _) in &o.properties {
            if let Some(value) = get_mut(map, name)
                && !self.eval(*id, value, &Path::Key(path, name), ctx)
            {
                return false;
            }
        }
        if o.pattern_properties.iter().any(|(_, id)| id.is_some()) {
            let mut entries: Vec<(&String, &mut Value)> = map.iter_mut().collect();
            if entries.iter().any(|(k, _)| is_array_index(k)) {
                entries.sort_by_key(|(k, _)| js_key_rank(k));
            }
            for (regex, id) in &o.pattern_properties {
                let Some(id) = id else { continue };
                for (key, value) in entries.iter_mut() {
                    if regex.test(key) && !self.eval(*id, value, &Path::Key(path, key), ctx) {
                        return false;
                    }
                }
            }
        }
        true
    }

    /// `additionalProperties` with `removeAdditional: "failing"`: never an error, extra properties go.
    fn additional(&mut self, o: &ObjectKeywords, map: &mut Map<String, Value>, path: &Path<'_>) {
        let is_extra =
            |key: &str| !o.declared.iter().any(|d| d == key) && !o.pattern_properties.iter().any(|(r, _)| r.test(key));
        match o.additional {
            Additional::Allowed => {}
            Additional::Remove => map.retain(|key, _| !is_extra(key)),
            Additional::Schema(id) => map.retain(|key, value| {
                if !is_extra(key) {
                    return true;
                }
                let start = self.errors.len();
                let valid = self.eval(id, value, &Path::Key(path, key), Ctx::silent());
                self.errors.truncate(start);
                valid
            }),
        }
    }
}

/// Keys in JavaScript's `for…in` order: array-index keys ascending, then the rest as inserted.
fn js_ordered_keys(map: &Map<String, Value>) -> Vec<&String> {
    let mut keys: Vec<&String> = map.keys().collect();
    if keys.iter().any(|k| is_array_index(k)) {
        keys.sort_by_key(|k| js_key_rank(k));
    }
    keys
}

fn is_array_index(key: &str) -> bool {
    array_index(key).is_some()
}

fn array_index(key: &str) -> Option<u32> {
    let b = key.as_bytes();
    if b.is_empty() || b.len() > 10 || !b.iter().all(u8::is_ascii_digit) || (b.len() > 1 && b[0] == b'0') {
        return None;
    }
    key.parse::<u64>().ok().filter(|&n| n < u64::from(u32::MAX)).map(|n| n as u32)
}

/// Sort key for a stable sort into JavaScript order: indices first by value, other keys keep their place.
fn js_key_rank(key: &str) -> (u8, u32) {
    match array_index(key) {
        Some(i) => (0, i),
        None => (1, 0),
    }
}

/// Objects up to this size are searched linearly: comparing a few short keys is cheaper than hashing one.
const LINEAR_LOOKUP: usize = 8;

fn has(map: &Map<String, Value>, key: &str) -> bool {
    if map.len() <= LINEAR_LOOKUP { map.keys().any(|k| k == key) } else { map.contains_key(key) }
}

fn get_mut<'m>(map: &'m mut Map<String, Value>, key: &str) -> Option<&'m mut Value> {
    if map.len() <= LINEAR_LOOKUP { map.iter_mut().find(|(k, _)| *k == key).map(|(_, v)| v) } else { map.get_mut(key) }
}
