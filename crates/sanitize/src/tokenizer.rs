//! The streaming HTML tokenizer sanitize-html runs on: htmlparser2 10.1.0's `Tokenizer` in HTML mode with
//! entity decoding on, reproduced state for state so that markup splits into the same tokens.
//!
//! It works on UTF-8 bytes; every decision it makes looks at ASCII bytes only (htmlparser2 compares UTF-16
//! code units, and no non-ASCII unit ever equals the ASCII ones it tests), so the token boundaries agree.
//! Comments, CDATA sections, declarations and processing instructions produce no callback: sanitize-html
//! registers none for them, which is how they disappear from the output.

use super::entities::{self, Mode};

/// What the tokenizer reports, in input order. `&str` arguments borrow the input, except decoded entities.
pub(super) trait Sink {
    fn text(&mut self, text: &str);
    fn open_tag_name(&mut self, name: &str);
    fn open_tag_end(&mut self);
    fn self_closing_tag(&mut self);
    fn close_tag(&mut self, name: &str);
    fn attr_name(&mut self, name: &str);
    fn attr_data(&mut self, data: &str);
    fn attr_end(&mut self);
    fn end(&mut self);
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    Text,
    BeforeTagName,
    InTagName,
    InSelfClosingTag,
    BeforeClosingTagName,
    InClosingTagName,
    AfterClosingTagName,
    BeforeAttributeName,
    InAttributeName,
    AfterAttributeName,
    BeforeAttributeValue,
    InAttributeValueDq,
    InAttributeValueSq,
    InAttributeValueNq,
    BeforeDeclaration,
    InDeclaration,
    InProcessingInstruction,
    BeforeComment,
    CdataSequence,
    InSpecialComment,
    InCommentLike,
    BeforeSpecialS,
    BeforeSpecialT,
    SpecialStartSequence,
    InSpecialTag,
}

const CDATA_START: &[u8] = b"CDATA[";
const CDATA_END: &[u8] = b"]]>";
const COMMENT_END: &[u8] = b"-->";
// End sequences of the raw-text elements; the start tag is recognised against the same bytes from index 2.
const SCRIPT_END: &[u8] = b"</script";
const STYLE_END: &[u8] = b"</style";
const TITLE_END: &[u8] = b"</title";
const TEXTAREA_END: &[u8] = b"</textarea";
const XMP_END: &[u8] = b"</xmp";

fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\n' | b'\t' | b'\x0c' | b'\r')
}

fn ends_tag_section(c: u8) -> bool {
    c == b'/' || c == b'>' || is_whitespace(c)
}

/// Where the pending section starts; htmlparser2 uses -1 for "none", which matters at end of input.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    At(usize),
    Unset,
}

struct Tokenizer<'a, S: Sink> {
    input: &'a str,
    bytes: &'a [u8],
    sink: &'a mut S,
    state: State,
    section: Section,
    index: usize,
    /// Whether the open tag being read is a raw-text element.
    is_special: bool,
    sequence: &'static [u8],
    sequence_index: usize,
    /// Set by a state that met a `&` it decodes; `run` then decodes the entity before moving on.
    pending_entity: Option<Mode>,
}

/// Tokenizes all of `input`, then reports the end.
pub(super) fn tokenize<S: Sink>(input: &str, sink: &mut S) {
    let mut t = Tokenizer {
        input,
        bytes: input.as_bytes(),
        sink,
        state: State::Text,
        section: Section::At(0),
        index: 0,
        is_special: false,
        sequence: SCRIPT_END,
        sequence_index: 0,
        pending_entity: None,
    };
    t.run();
}

impl<'a, S: Sink> Tokenizer<'a, S> {
    fn run(&mut self) {
        while self.index < self.bytes.len() {
            self.skip_inert_bytes();
            let Some(&c) = self.bytes.get(self.index) else {
                break;
            };
            self.step(c);
            if let Some(mode) = self.pending_entity.take() {
                if self.decode_entity(mode) {
                    return;
                }
                continue;
            }
            self.index += 1;
        }
        self.finish();
    }

    /// Jumps over bytes the current state would pass over without effect (plain text, quoted values).
    fn skip_inert_bytes(&mut self) {
        let rest = &self.bytes[self.index..];
        let skip = match self.state {
            State::Text => memchr::memchr2(b'<', b'&', rest),
            State::InAttributeValueDq => memchr::memchr2(b'"', b'&', rest),
            State::InAttributeValueSq => memchr::memchr2(b'\'', b'&', rest),
            _ => return,
        };
        self.index = skip.map_or(self.bytes.len(), |p| self.index + p);
    }

    fn section_start(&self) -> usize {
        match self.section {
            Section::At(s) => s,
            Section::Unset => 0,
        }
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.input.get(start..end).unwrap_or("")
    }

    fn emit_text(&mut self, start: usize, end: usize) {
        if start < end {
            let text = self.slice(start, end);
            self.sink.text(text);
        }
    }

    /// Decodes the entity whose `&` is at `index` and moves `index` past what it consumed (or just past
    /// the `&` when it is not one). Returns true when the input ended inside it: htmlparser2 then stops
    /// tokenizing and only flushes the remaining text.
    fn decode_entity(&mut self, mode: Mode) -> bool {
        let amp = self.index;
        let outcome = entities::decode(self.bytes, amp + 1, mode);
        match outcome.decoded {
            Some((end, value)) => {
                let start = self.section_start();
                let mut buf = [0u8; 4];
                let value = value.as_str(&mut buf);
                if mode == Mode::Attribute {
                    if start < amp {
                        let data = self.slice(start, amp);
                        self.sink.attr_data(data);
                    }
                    self.sink.attr_data(value);
                } else {
                    self.emit_text(start, amp);
                    self.sink.text(value);
                }
                self.section = Section::At(end);
                self.index = end;
            }
            None => self.index = amp + 1,
        }
        if !outcome.ran_out {
            return false;
        }
        if mode == Mode::Text {
            let start = self.section_start();
            self.emit_text(start, self.bytes.len());
        }
        self.sink.end();
        true
    }

    fn step(&mut self, c: u8) {
        match self.state {
            State::Text => self.state_text(c),
            State::SpecialStartSequence => self.state_special_start_sequence(c),
            State::InSpecialTag => self.state_in_special_tag(c),
            State::CdataSequence => self.state_cdata_sequence(c),
            State::InAttributeValueDq => self.state_in_quoted_value(c, b'"'),
            State::InAttributeValueSq => self.state_in_quoted_value(c, b'\''),
            State::InAttributeName => self.state_in_attribute_name(c),
            State::InCommentLike => self.state_in_comment_like(c),
            State::InSpecialComment => self.state_skip_to_gt(c),
            State::BeforeAttributeName => self.state_before_attribute_name(c),
            State::InTagName => self.state_in_tag_name(c),
            State::InClosingTagName => self.state_in_closing_tag_name(c),
            State::BeforeTagName => self.state_before_tag_name(c),
            State::AfterAttributeName => self.state_after_attribute_name(c),
            State::BeforeAttributeValue => self.state_before_attribute_value(c),
            State::BeforeClosingTagName => self.state_before_closing_tag_name(c),
            State::AfterClosingTagName => self.state_after_closing_tag_name(c),
            State::BeforeSpecialS => self.state_before_special_s(c),
            State::BeforeSpecialT => self.state_before_special_t(c),
            State::InAttributeValueNq => self.state_in_unquoted_value(c),
            State::InSelfClosingTag => self.state_in_self_closing_tag(c),
            State::InDeclaration | State::InProcessingInstruction => self.state_skip_to_gt(c),
            State::BeforeDeclaration => self.state_before_declaration(c),
            State::BeforeComment => self.state_before_comment(c),
        }
    }

    /// Moves `index` to the next `c`; at the end of input leaves it on the last byte and returns false.
    fn fast_forward_to(&mut self, c: u8) -> bool {
        let from = self.index + 1;
        match self.bytes.get(from..).and_then(|rest| memchr::memchr(c, rest)) {
            Some(offset) => {
                self.index = from + offset;
                true
            }
            None => {
                self.index = self.bytes.len().saturating_sub(1);
                false
            }
        }
    }

    fn state_text(&mut self, c: u8) {
        if c == b'<' {
            let start = self.section_start();
            self.emit_text(start, self.index);
            self.state = State::BeforeTagName;
            self.section = Section::At(self.index);
        } else if c == b'&' {
            self.pending_entity = Some(Mode::Text);
        }
    }

    fn state_special_start_sequence(&mut self, c: u8) {
        let at_end = self.sequence_index == self.sequence.len();
        let matches = if at_end { ends_tag_section(c) } else { c | 0x20 == self.sequence[self.sequence_index] };
        if !matches {
            self.is_special = false;
        } else if !at_end {
            self.sequence_index += 1;
            return;
        }
        self.sequence_index = 0;
        self.state = State::InTagName;
        self.state_in_tag_name(c);
    }

    fn state_in_special_tag(&mut self, c: u8) {
        if self.sequence_index == self.sequence.len() {
            if c == b'>' || is_whitespace(c) {
                let end_of_text = self.index - self.sequence.len();
                let start = self.section_start();
                self.emit_text(start, end_of_text);
                self.is_special = false;
                self.section = Section::At(end_of_text + 2);
                self.state_in_closing_tag_name(c);
                return;
            }
            self.sequence_index = 0;
        }
        if c | 0x20 == self.sequence[self.sequence_index] {
            self.sequence_index += 1;
        } else if self.sequence_index == 0 {
            // Title text decodes entities; the other raw texts skip ahead to the next `<`.
            if self.sequence == TITLE_END {
                if c == b'&' {
                    self.pending_entity = Some(Mode::Text);
                }
            } else if self.fast_forward_to(b'<') {
                self.sequence_index = 1;
            }
        } else {
            self.sequence_index = usize::from(c == b'<');
        }
    }

    fn state_cdata_sequence(&mut self, c: u8) {
        if c == CDATA_START[self.sequence_index] {
            self.sequence_index += 1;
            if self.sequence_index == CDATA_START.len() {
                self.state = State::InCommentLike;
                self.sequence = CDATA_END;
                self.sequence_index = 0;
                self.section = Section::At(self.index + 1);
            }
        } else {
            self.sequence_index = 0;
            self.state = State::InDeclaration;
            self.state_skip_to_gt(c);
        }
    }

    fn state_in_comment_like(&mut self, c: u8) {
        if c == self.sequence[self.sequence_index] {
            self.sequence_index += 1;
            if self.sequence_index == self.sequence.len() {
                self.sequence_index = 0;
                self.section = Section::At(self.index + 1);
                self.state = State::Text;
            }
        } else if self.sequence_index == 0 {
            if self.fast_forward_to(self.sequence[0]) {
                self.sequence_index = 1;
            }
        } else if c != self.sequence[self.sequence_index - 1] {
            // Longer runs such as `--->` still end the comment.
            self.sequence_index = 0;
        }
    }

    fn start_special(&mut self, sequence: &'static [u8]) {
        self.is_special = true;
        self.sequence = sequence;
        self.sequence_index = 4;
        self.state = State::SpecialStartSequence;
    }

    fn state_before_tag_name(&mut self, c: u8) {
        if c == b'!' {
            self.state = State::BeforeDeclaration;
            self.section = Section::At(self.index + 1);
        } else if c == b'?' {
            self.state = State::InProcessingInstruction;
            self.section = Section::At(self.index + 1);
        } else if c.is_ascii_alphabetic() {
            self.section = Section::At(self.index);
            self.state = match c | 0x20 {
                b's' => State::BeforeSpecialS,
                b't' | b'x' => State::BeforeSpecialT,
                _ => State::InTagName,
            };
        } else if c == b'/' {
            self.state = State::BeforeClosingTagName;
        } else {
            self.state = State::Text;
            self.state_text(c);
        }
    }

    fn state_in_tag_name(&mut self, c: u8) {
        if ends_tag_section(c) {
            let start = self.section_start();
            let name = self.slice(start, self.index);
            self.sink.open_tag_name(name);
            self.section = Section::Unset;
            self.state = State::BeforeAttributeName;
            self.state_before_attribute_name(c);
        }
    }

    fn state_before_closing_tag_name(&mut self, c: u8) {
        if is_whitespace(c) {
            return;
        }
        if c == b'>' {
            self.state = State::Text;
        } else {
            self.state = if c.is_ascii_alphabetic() { State::InClosingTagName } else { State::InSpecialComment };
            self.section = Section::At(self.index);
        }
    }

    fn state_in_closing_tag_name(&mut self, c: u8) {
        if c == b'>' || is_whitespace(c) {
            let start = self.section_start();
            let name = self.slice(start, self.index);
            self.sink.close_tag(name);
            self.section = Section::Unset;
            self.state = State::AfterClosingTagName;
            self.state_after_closing_tag_name(c);
        }
    }

    fn state_after_closing_tag_name(&mut self, c: u8) {
        if c == b'>' || self.fast_forward_to(b'>') {
            self.state = State::Text;
            self.section = Section::At(self.index + 1);
        }
    }

    fn state_before_attribute_name(&mut self, c: u8) {
        if c == b'>' {
            self.sink.open_tag_end();
            if self.is_special {
                self.state = State::InSpecialTag;
                self.sequence_index = 0;
            } else {
                self.state = State::Text;
            }
            self.section = Section::At(self.index + 1);
        } else if c == b'/' {
            self.state = State::InSelfClosingTag;
        } else if !is_whitespace(c) {
            self.state = State::InAttributeName;
            self.section = Section::At(self.index);
        }
    }

    fn state_in_self_closing_tag(&mut self, c: u8) {
        if c == b'>' {
            self.sink.self_closing_tag();
            self.state = State::Text;
            self.section = Section::At(self.index + 1);
            self.is_special = false;
        } else if !is_whitespace(c) {
            self.state = State::BeforeAttributeName;
            self.state_before_attribute_name(c);
        }
    }

    fn state_in_attribute_name(&mut self, c: u8) {
        if c == b'=' || ends_tag_section(c) {
            let start = self.section_start();
            let name = self.slice(start, self.index);
            self.sink.attr_name(name);
            self.section = Section::At(self.index);
            self.state = State::AfterAttributeName;
            self.state_after_attribute_name(c);
        }
    }

    fn state_after_attribute_name(&mut self, c: u8) {
        if c == b'=' {
            self.state = State::BeforeAttributeValue;
        } else if c == b'/' || c == b'>' {
            self.sink.attr_end();
            self.section = Section::Unset;
            self.state = State::BeforeAttributeName;
            self.state_before_attribute_name(c);
        } else if !is_whitespace(c) {
            self.sink.attr_end();
            self.state = State::InAttributeName;
            self.section = Section::At(self.index);
        }
    }

    fn state_before_attribute_value(&mut self, c: u8) {
        if c == b'"' {
            self.state = State::InAttributeValueDq;
            self.section = Section::At(self.index + 1);
        } else if c == b'\'' {
            self.state = State::InAttributeValueSq;
            self.section = Section::At(self.index + 1);
        } else if !is_whitespace(c) {
            self.section = Section::At(self.index);
            self.state = State::InAttributeValueNq;
            self.state_in_unquoted_value(c);
        }
    }

    fn state_in_quoted_value(&mut self, c: u8, quote: u8) {
        if c == quote {
            self.flush_attr_data();
            self.section = Section::Unset;
            self.sink.attr_end();
            self.state = State::BeforeAttributeName;
        } else if c == b'&' {
            self.pending_entity = Some(Mode::Attribute);
        }
    }

    fn state_in_unquoted_value(&mut self, c: u8) {
        if is_whitespace(c) || c == b'>' {
            self.flush_attr_data();
            self.section = Section::Unset;
            self.sink.attr_end();
            self.state = State::BeforeAttributeName;
            self.state_before_attribute_name(c);
        } else if c == b'&' {
            self.pending_entity = Some(Mode::Attribute);
        }
    }

    fn flush_attr_data(&mut self) {
        let start = self.section_start();
        if start < self.index {
            let data = self.slice(start, self.index);
            self.sink.attr_data(data);
        }
    }

    fn state_before_declaration(&mut self, c: u8) {
        if c == b'[' {
            self.state = State::CdataSequence;
            self.sequence_index = 0;
        } else {
            self.state = if c == b'-' { State::BeforeComment } else { State::InDeclaration };
        }
    }

    /// Declarations, processing instructions and `</` + non-letter bogus comments all end at `>`.
    fn state_skip_to_gt(&mut self, c: u8) {
        if c == b'>' || self.fast_forward_to(b'>') {
            self.state = State::Text;
            self.section = Section::At(self.index + 1);
        }
    }

    fn state_before_comment(&mut self, c: u8) {
        if c == b'-' {
            self.state = State::InCommentLike;
            self.sequence = COMMENT_END;
            // `<!-->` is a complete (empty) comment.
            self.sequence_index = 2;
            self.section = Section::At(self.index + 1);
        } else {
            self.state = State::InDeclaration;
        }
    }

    fn state_before_special_s(&mut self, c: u8) {
        match c | 0x20 {
            b'c' => self.start_special(SCRIPT_END),
            b't' => self.start_special(STYLE_END),
            _ => {
                self.state = State::InTagName;
                self.state_in_tag_name(c);
            }
        }
    }

    fn state_before_special_t(&mut self, c: u8) {
        match c | 0x20 {
            b'i' => self.start_special(TITLE_END),
            b'e' => self.start_special(TEXTAREA_END),
            b'm' => self.start_special(XMP_END),
            _ => {
                self.state = State::InTagName;
                self.state_in_tag_name(c);
            }
        }
    }

    /// End of input: flush what htmlparser2 flushes, drop what it drops.
    fn finish(&mut self) {
        let len = self.bytes.len();
        match self.state {
            // An unfinished tag is dropped, and so is an unfinished comment or CDATA section.
            State::InTagName
            | State::BeforeAttributeName
            | State::BeforeAttributeValue
            | State::AfterAttributeName
            | State::InAttributeName
            | State::InAttributeValueSq
            | State::InAttributeValueDq
            | State::InAttributeValueNq
            | State::InClosingTagName
            | State::InCommentLike => {}
            _ => match self.section {
                Section::At(start) => self.emit_text(start, len),
                // htmlparser2 slices from -1 here, which yields the input's last UTF-16 unit.
                Section::Unset => self.emit_last_unit(),
            },
        }
        self.sink.end();
    }

    fn emit_last_unit(&mut self) {
        let Some(last) = self.input.chars().next_back() else {
            return;
        };
        if last.len_utf16() == 1 {
            let start = self.input.len() - last.len_utf8();
            self.emit_text(start, self.input.len());
        } else {
            // Half of a surrogate pair cannot live in a Rust string; U+FFFD stands in for it.
            self.sink.text("\u{fffd}");
        }
    }
}
