//! JSON Schemas derived from Rust types, in the dialect the core validates as ajv does: draft-07, every
//! subschema inlined (recursive types keep a `$ref` into `definitions`), describing what deserializes.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde::de::DeserializeOwned;
use serde_json::Value;

use novu_framework_core::error::ValidationIssue;

/// The JSON Schema of `T` as a workflow declares it: what `T` deserializes from, in draft-07.
///
/// `None` for a type that accepts any JSON (`serde_json::Value`): such a type declares no schema, so give one
/// explicitly where you use it.
///
/// ```
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Welcome {
///     name: String,
///     #[serde(default)]
///     plan: Option<String>,
/// }
///
/// let schema = novu_framework::schema_for::<Welcome>().unwrap();
/// assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
/// assert_eq!(schema["required"], serde_json::json!(["name"]));
/// assert!(novu_framework::schema_for::<serde_json::Value>().is_none());
/// ```
pub fn schema_for<T: JsonSchema + ?Sized>() -> Option<Value> {
    let mut settings = SchemaSettings::draft07();
    settings.inline_subschemas = true;
    let value = settings.into_generator().into_root_schema_for::<T>().to_value();
    (!accepts_anything(&value)).then_some(value)
}

/// True for `true` and for objects holding annotations only.
fn accepts_anything(schema: &Value) -> bool {
    match schema {
        Value::Bool(b) => *b,
        Value::Object(map) => map.keys().all(|k| ["$schema", "title", "description", "$comment"].contains(&k.as_str())),
        _ => false,
    }
}

/// Reads a value the core already checked against the type's schema. Serde may still refuse it (an explicit
/// schema looser than the type, or serde attributes a schema cannot express): the refusal names the place as
/// a JSON pointer, like the core's validation issues.
pub(crate) fn read<T: DeserializeOwned>(value: &Value) -> Result<T, ValidationIssue> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = pointer(e.path());
        let message = e.into_inner().to_string();
        ValidationIssue { path, message }
    })
}

fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push_str(&key.replace('~', "~0").replace('/', "~1"))
            }
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize, JsonSchema)]
    #[allow(dead_code)]
    struct Address {
        city: String,
        zip: Option<String>,
    }

    #[derive(Deserialize, JsonSchema)]
    #[allow(dead_code)]
    struct Person {
        age: u8,
        addresses: Vec<Address>,
    }

    #[test]
    fn refusals_name_the_place() {
        let issue = read::<Person>(&json!({"age": 30, "addresses": [{"city": "Oslo"}, {"city": 5}]})).err().unwrap();
        assert_eq!(issue.path, "/addresses/1/city");
        assert!(issue.message.contains("expected a string"), "{}", issue.message);
        assert_eq!(read::<Person>(&json!({"age": 300, "addresses": []})).err().unwrap().path, "/age");
    }

    #[test]
    fn nested_types_are_inlined() {
        let schema = schema_for::<Person>().unwrap();
        assert_eq!(schema["properties"]["addresses"]["items"]["properties"]["city"]["type"], "string");
        assert!(schema.get("definitions").is_none(), "{schema}");
    }
}
