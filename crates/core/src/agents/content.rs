//! Message content and files as `reply()` and `edit()` send them (agents-protocol.md §6.2, §6.5): a string
//! is markdown, a card goes as it is, files carry exactly one of inline data (base64, at most 5 MB) or a URL.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use super::error::AgentError;
use crate::json;

/// Inline data limit per file and for all files of one message (upstream's 5 MB).
pub const MAX_INLINE_FILE_BYTES: usize = 5 * 1024 * 1024;

/// The error for a value that is neither text nor a card.
pub const INVALID_CONTENT: &str = "Invalid message content \u{2014} expected string or CardElement";

/// What a message says.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Markdown(String),
    /// A card element (`{"type": "card", ...}`), sent unchanged.
    Card(Value),
}

impl Content {
    /// A string is markdown and an object whose `type` is `"card"` a card; anything else is not content.
    pub fn from_value(value: Value) -> Result<Content, AgentError> {
        match value {
            Value::String(s) => Ok(Content::Markdown(s)),
            Value::Object(map) if map.get("type").and_then(Value::as_str) == Some("card") => {
                Ok(Content::Card(Value::Object(map)))
            }
            _ => Err(AgentError::new(INVALID_CONTENT)),
        }
    }
}

/// A file's inline data: base64 text as given, or bytes to encode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileData {
    Base64(String),
    Bytes(Vec<u8>),
    /// Neither: the name of what was given instead, for the error.
    Other(String),
}

/// A file attached to a reply or an edit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileSpec {
    pub filename: Option<String>,
    pub mime_type: Option<String>,
    pub data: Option<FileData>,
    /// Must be a string; kept as JSON so that a wrong type is reported like upstream does.
    pub url: Option<Value>,
}

/// A checked file: its data is base64 text.
#[derive(Debug, Clone, PartialEq)]
struct CheckedFile {
    filename: Option<String>,
    mime_type: Option<String>,
    data: Option<String>,
    url: Option<Value>,
}

/// Content and files that passed the checks, ready for either transport.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Message {
    content: Content,
    files: Vec<CheckedFile>,
}

impl Message {
    /// Checks files (first, as upstream) and the content's size.
    pub(crate) fn new(content: Content, files: Vec<FileSpec>, max_reply_bytes: usize) -> Result<Message, AgentError> {
        let files = check_files(files)?;
        let size = match &content {
            Content::Markdown(text) => text.len(),
            Content::Card(card) => json::stringify(card).len(),
        };
        if size > max_reply_bytes {
            return Err(AgentError::new(format!(
                "Reply content is {size} bytes, more than the limit of {max_reply_bytes} bytes (max_reply_bytes)"
            )));
        }
        Ok(Message { content, files })
    }

    /// `{markdown}` or `{card}`.
    pub(crate) fn content_json(&self) -> Value {
        match &self.content {
            Content::Markdown(text) => json!({ "markdown": text }),
            Content::Card(card) => json!({ "card": card }),
        }
    }

    /// Reply mode: the content plus `files` as given, inline data as base64.
    pub(crate) fn reply_json(&self) -> Value {
        let mut out = self.content_json();
        if !self.files.is_empty() {
            let files = self
                .files
                .iter()
                .map(|f| {
                    let mut m = Map::new();
                    if let Some(name) = &f.filename {
                        m.insert("filename".into(), Value::String(name.clone()));
                    }
                    if let Some(mime) = &f.mime_type {
                        m.insert("mimeType".into(), Value::String(mime.clone()));
                    }
                    if let Some(data) = &f.data {
                        m.insert("data".into(), Value::String(data.clone()));
                    }
                    if let Some(url) = &f.url {
                        m.insert("url".into(), url.clone());
                    }
                    Value::Object(m)
                })
                .collect();
            out["files"] = Value::Array(files);
        }
        out
    }

    /// Event mode: `{fileId, name?, mediaType?, data?, url?}` per file, `None` without files.
    pub(crate) fn event_files(&self) -> Option<Value> {
        if self.files.is_empty() {
            return None;
        }
        let refs = self
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut m = Map::new();
                let id = f.filename.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| format!("file_{i}"));
                m.insert("fileId".into(), Value::String(id));
                if let Some(name) = &f.filename {
                    m.insert("name".into(), Value::String(name.clone()));
                }
                if let Some(mime) = &f.mime_type {
                    m.insert("mediaType".into(), Value::String(mime.clone()));
                }
                if let Some(data) = &f.data {
                    m.insert("data".into(), Value::String(data.clone()));
                }
                if let Some(url) = &f.url {
                    m.insert("url".into(), url.clone());
                }
                Value::Object(m)
            })
            .collect();
        Some(Value::Array(refs))
    }
}

fn which(file: &FileSpec, index: usize) -> String {
    match file.filename.as_deref() {
        Some(name) if !name.is_empty() => format!("\"{name}\""),
        _ => format!("at index {index}"),
    }
}

fn check_files(files: Vec<FileSpec>) -> Result<Vec<CheckedFile>, AgentError> {
    let mut total = 0usize;
    let mut out = Vec::with_capacity(files.len());
    for (i, file) in files.into_iter().enumerate() {
        if file.data.is_some() == file.url.is_some() {
            return Err(AgentError::new(format!(
                "Invalid file {}: provide exactly one of data or url.",
                which(&file, i)
            )));
        }
        let too_large = || {
            AgentError::new(format!(
                "Invalid file {}: inline data must be 5 MB or smaller. Use a publicly-accessible URL for larger files.",
                which(&file, i)
            ))
        };
        let data = match &file.data {
            Some(FileData::Base64(text)) => {
                let size = base64_size(text).ok_or_else(|| {
                    AgentError::new(format!("Invalid file {}: data must be a base64-encoded string.", which(&file, i)))
                })?;
                if size > MAX_INLINE_FILE_BYTES {
                    return Err(too_large());
                }
                total += size;
                Some(text.clone())
            }
            Some(FileData::Bytes(bytes)) => {
                if bytes.len() > MAX_INLINE_FILE_BYTES {
                    return Err(too_large());
                }
                total += bytes.len();
                Some(STANDARD.encode(bytes))
            }
            Some(FileData::Other(kind)) => {
                return Err(AgentError::new(format!(
                    "Invalid file {}: data must be a base64 string or bytes, not {kind}.",
                    which(&file, i)
                )));
            }
            None => None,
        };
        if total > MAX_INLINE_FILE_BYTES {
            return Err(AgentError::new(
                "Invalid files: total inline data must be 5 MB or smaller. Use publicly-accessible URLs for larger files.",
            ));
        }
        if let Some(url) = &file.url
            && !url.is_string()
        {
            return Err(AgentError::new(format!("Invalid file {}: url must be a string.", which(&file, i))));
        }
        out.push(CheckedFile { filename: file.filename, mime_type: file.mime_type, data, url: file.url });
    }
    Ok(out)
}

/// The decoded size of base64 text (whitespace ignored), or `None` when it is not base64.
fn base64_size(text: &str) -> Option<usize> {
    let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if compact.is_empty() || compact.len() % 4 == 1 {
        return None;
    }
    let padding = compact.iter().rev().take_while(|&&b| b == b'=').count();
    if padding > 2 {
        return None;
    }
    let body = &compact[..compact.len() - padding];
    if !body.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/') {
        return None;
    }
    Some(compact.len() * 3 / 4 - padding)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: Option<&str>, data: Option<FileData>, url: Option<Value>) -> FileSpec {
        FileSpec { filename: name.map(String::from), mime_type: None, data, url }
    }

    #[test]
    fn strings_are_markdown_and_only_cards_are_objects() {
        assert_eq!(Content::from_value(json!("hi")).unwrap(), Content::Markdown("hi".into()));
        assert!(matches!(Content::from_value(json!({"type": "card", "children": []})), Ok(Content::Card(_))));
        for bad in [json!(null), json!(42), json!({"markdown": "x"}), json!({"type": "tool-approval-card"})] {
            assert_eq!(Content::from_value(bad).unwrap_err().message, INVALID_CONTENT);
        }
    }

    #[test]
    fn files_encode_bytes_and_keep_base64_text() {
        let files = vec![
            FileSpec {
                filename: Some("a.txt".into()),
                mime_type: Some("text/plain".into()),
                data: Some(FileData::Bytes(b"hello".to_vec())),
                url: None,
            },
            file(Some("b.pdf"), None, Some(json!("https://example.com/b.pdf"))),
            file(Some("c.bin"), Some(FileData::Base64("aGk=".into())), None),
            FileSpec {
                filename: None,
                mime_type: Some("image/png".into()),
                data: Some(FileData::Bytes(vec![1, 2, 3])),
                url: None,
            },
        ];
        let m = Message::new(Content::Markdown("Your report".into()), files, 1000).unwrap();
        assert_eq!(
            m.reply_json(),
            json!({"markdown": "Your report", "files": [
                {"filename": "a.txt", "mimeType": "text/plain", "data": "aGVsbG8="},
                {"filename": "b.pdf", "url": "https://example.com/b.pdf"},
                {"filename": "c.bin", "data": "aGk="},
                {"mimeType": "image/png", "data": "AQID"}]})
        );
        assert_eq!(
            m.event_files().unwrap(),
            json!([
                {"fileId": "a.txt", "name": "a.txt", "mediaType": "text/plain", "data": "aGVsbG8="},
                {"fileId": "b.pdf", "name": "b.pdf", "url": "https://example.com/b.pdf"},
                {"fileId": "c.bin", "name": "c.bin", "data": "aGk="},
                {"fileId": "file_3", "mediaType": "image/png", "data": "AQID"}])
        );
    }

    #[test]
    fn file_errors_name_the_file() {
        let err = |files| Message::new(Content::Markdown("x".into()), files, 1000).unwrap_err().message;
        assert_eq!(
            err(vec![file(Some("nothing.txt"), None, None)]),
            "Invalid file \"nothing.txt\": provide exactly one of data or url."
        );
        assert_eq!(
            err(vec![file(None, Some(FileData::Base64("a".into())), Some(json!("u")))]),
            "Invalid file at index 0: provide exactly one of data or url."
        );
        assert_eq!(
            err(vec![file(None, Some(FileData::Base64("a$==".into())), None)]),
            "Invalid file at index 0: data must be a base64-encoded string."
        );
        assert_eq!(err(vec![file(Some("u"), None, Some(json!(5)))]), "Invalid file \"u\": url must be a string.");
        assert_eq!(
            err(vec![file(None, Some(FileData::Other("int".into())), None)]),
            "Invalid file at index 0: data must be a base64 string or bytes, not int."
        );
        let big = FileData::Bytes(vec![0; MAX_INLINE_FILE_BYTES + 1]);
        assert!(
            err(vec![file(Some("big"), Some(big), None)]).starts_with("Invalid file \"big\": inline data must be 5 MB")
        );
        let half = || Some(FileData::Bytes(vec![0; MAX_INLINE_FILE_BYTES / 2 + 1]));
        assert!(
            err(vec![file(None, half(), None), file(None, half(), None)])
                .starts_with("Invalid files: total inline data")
        );
    }

    #[test]
    fn base64_sizes_follow_padding_and_ignore_whitespace() {
        assert_eq!(base64_size("aGVsbG8="), Some(5));
        assert_eq!(base64_size("aGVs\nbG8="), Some(5));
        assert_eq!(base64_size("AQID"), Some(3));
        assert_eq!(base64_size(""), None);
        assert_eq!(base64_size("abcde"), None);
        assert_eq!(base64_size("ab=c"), None);
    }

    #[test]
    fn reply_size_is_limited() {
        let e = Message::new(Content::Markdown("x".repeat(11)), vec![], 10).unwrap_err();
        assert_eq!(e.message, "Reply content is 11 bytes, more than the limit of 10 bytes (max_reply_bytes)");
        assert!(Message::new(Content::Card(json!({"type": "card"})), vec![], 15).is_ok());
    }
}
