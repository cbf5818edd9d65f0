//! Turning tokens into the node tree: one function per tag, consuming the tokens of its block the way
//! liquidjs's parse streams do (including how stray `else`/`when` tags and trailing arguments are treated).

use std::sync::Arc;

use super::ast::{FilteredValue, LoopSpec, Node, Token};
use super::error::{LiquidError, Result};
use super::lexer::{TopToken, tag_token};
use super::tokenizer::Cursor;

/// Deepest nesting of block tags accepted.
const MAX_BLOCK_DEPTH: u32 = 64;

pub struct Parser<'s> {
    src: &'s str,
    tokens: Vec<TopToken>,
    pos: usize,
    depth: u32,
}

/// What a block tag does with a token inside it.
enum Step {
    /// A tag the block handles itself (`else`, `endif`, …).
    Tag(String, (usize, usize)),
    Node(Option<Node>),
}

impl<'s> Parser<'s> {
    pub fn new(src: &'s str, tokens: Vec<TopToken>) -> Parser<'s> {
        Parser { src, tokens, pos: 0, depth: 0 }
    }

    pub fn parse_all(&mut self) -> Result<Vec<Node>> {
        let mut nodes = Vec::new();
        while self.pos < self.tokens.len() {
            if let Some(node) = self.parse_next()? {
                nodes.push(node);
            }
        }
        Ok(nodes)
    }

    fn next_token(&mut self) -> Option<TopToken> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn parse_next(&mut self) -> Result<Option<Node>> {
        match self.next_token() {
            Some(t) => self.parse_token(t),
            None => Ok(None),
        }
    }

    /// The next token of a block: one of `handled` tags is returned for the block to act on, anything else
    /// is parsed; running out of tokens means the block is not closed.
    fn block_step(&mut self, handled: &[&str], opener: &str) -> Result<Step> {
        let Some(token) = self.next_token() else {
            return Err(LiquidError::parse(format!("tag {opener} not closed")));
        };
        if let TopToken::Tag { name, args, .. } = &token
            && handled.contains(&name.as_str())
        {
            return Ok(Step::Tag(name.clone(), *args));
        }
        Ok(Step::Node(self.parse_token(token)?))
    }

    fn parse_token(&mut self, token: TopToken) -> Result<Option<Node>> {
        match token {
            TopToken::Text { begin, end, .. } => Ok((begin < end).then_some(Node::Text(begin, end))),
            TopToken::Output { content, .. } => {
                let mut c = Cursor::new(self.src, content.0, content.1);
                Ok(Some(Node::Output(c.read_filtered_value()?)))
            }
            TopToken::Tag { name, args, whole, .. } => {
                self.depth += 1;
                if self.depth > MAX_BLOCK_DEPTH {
                    return Err(LiquidError::parse("tags nested too deeply"));
                }
                let result = self.parse_tag(&name, args, whole);
                self.depth -= 1;
                result
            }
        }
    }

    fn cursor(&self, args: (usize, usize)) -> Cursor<'s> {
        Cursor::new(self.src, args.0, args.1)
    }

    fn text(&self, range: (usize, usize)) -> &'s str {
        self.src.get(range.0..range.1.max(range.0)).unwrap_or("")
    }

    fn parse_tag(&mut self, name: &str, args: (usize, usize), whole: (usize, usize)) -> Result<Option<Node>> {
        let opener = self.text(whole).to_string();
        let node = match name {
            "assign" => self.parse_assign(args)?,
            "capture" => self.parse_capture(args, &opener)?,
            "if" => self.parse_if(args, &opener)?,
            "unless" => self.parse_unless(args, &opener)?,
            "case" => self.parse_case(args, &opener)?,
            "for" => self.parse_for(args, &opener)?,
            "tablerow" => self.parse_tablerow(args, &opener)?,
            "comment" => {
                loop {
                    match self.next_token() {
                        Some(TopToken::Tag { name, .. }) if name == "endcomment" => break,
                        Some(_) => {}
                        None => return Err(LiquidError::parse(format!("tag {opener} not closed"))),
                    }
                }
                return Ok(None);
            }
            "raw" => self.parse_raw(&opener)?,
            "increment" => Node::Increment(Arc::from(self.cursor(args).read_identifier_str())),
            "decrement" => Node::Decrement(Arc::from(self.cursor(args).read_identifier_str())),
            "cycle" => self.parse_cycle(args, &opener)?,
            "echo" => {
                let mut c = self.cursor(args);
                c.skip_blank();
                if c.end() {
                    return Ok(None);
                }
                Node::Echo(c.read_filtered_value()?)
            }
            "liquid" => self.parse_liquid(args)?,
            "block" => {
                // Outside a layout a block renders its own content, whatever its name.
                let mut body = Vec::new();
                loop {
                    match self.block_step(&["endblock"], &opener)? {
                        Step::Tag(..) => break,
                        Step::Node(n) => body.extend(n),
                    }
                }
                Node::Block(body)
            }
            "render" | "include" | "layout" => {
                let file = self.text(args).trim();
                if file.is_empty() {
                    return Err(LiquidError::tokenization("illegal file path"));
                }
                // `{% layout none %}`: the rest of the template renders as it is.
                if name == "layout" && file.split(|c: char| c.is_whitespace() || c == ',').next() == Some("none") {
                    return Ok(None);
                }
                Node::Partial(Arc::from(file))
            }
            "break" => Node::Break,
            "continue" => Node::Continue,
            "#" => return Ok(None),
            other => return Err(LiquidError::parse(format!("tag \"{other}\" not found"))),
        };
        Ok(Some(node))
    }

    fn parse_assign(&self, args: (usize, usize)) -> Result<Node> {
        let mut c = self.cursor(args);
        let key = c.read_identifier_str();
        if key.is_empty() {
            return Err(c.error("expected variable name"));
        }
        c.skip_blank();
        if c.peek() != Some('=') {
            return Err(c.error("expected \"=\""));
        }
        c.p += 1;
        let value = c.read_filtered_value()?;
        Ok(Node::Assign { key: Arc::from(key), value })
    }

    fn parse_capture(&mut self, args: (usize, usize), opener: &str) -> Result<Node> {
        let mut c = self.cursor(args);
        let ident = c.read_identifier_str();
        let key: Arc<str> = if !ident.is_empty() {
            Arc::from(ident)
        } else {
            match c.read_quoted() {
                Some(Token::Quoted(s)) => s,
                _ => return Err(c.error("invalid capture name")),
            }
        };
        let mut body = Vec::new();
        loop {
            match self.block_step(&["endcapture"], opener)? {
                Step::Tag(..) => break,
                Step::Node(n) => body.extend(n),
            }
        }
        Ok(Node::Capture { key, body })
    }

    fn filtered(&self, args: (usize, usize)) -> Result<FilteredValue> {
        self.cursor(args).read_filtered_value()
    }

    fn assert_empty(&self, args: (usize, usize)) -> Result<()> {
        let rest = self.text(args);
        if rest.is_empty() {
            Ok(())
        } else {
            Err(LiquidError::parse(format!("unexpected {}", crate::json::stringify(&rest.into()))))
        }
    }

    fn parse_if(&mut self, args: (usize, usize), opener: &str) -> Result<Node> {
        let mut branches = vec![(self.filtered(args)?, Vec::new())];
        let mut otherwise: Option<Vec<Node>> = None;
        loop {
            match self.block_step(&["elsif", "else", "endif"], opener)? {
                Step::Tag(name, targs) => match name.as_str() {
                    "elsif" => {
                        if otherwise.is_some() {
                            return Err(LiquidError::parse("unexpected elsif after else"));
                        }
                        branches.push((self.filtered(targs)?, Vec::new()));
                    }
                    "else" => {
                        self.assert_empty(targs)?;
                        if otherwise.is_some() {
                            return Err(LiquidError::parse("duplicated else"));
                        }
                        otherwise = Some(Vec::new());
                    }
                    _ => {
                        self.assert_empty(targs)?;
                        break;
                    }
                },
                Step::Node(n) => match otherwise.as_mut() {
                    Some(o) => o.extend(n),
                    None => {
                        if let Some(last) = branches.last_mut() {
                            last.1.extend(n);
                        }
                    }
                },
            }
        }
        Ok(Node::If { branches, otherwise: otherwise.unwrap_or_default() })
    }

    fn parse_unless(&mut self, args: (usize, usize), opener: &str) -> Result<Node> {
        let mut branches = vec![(self.filtered(args)?, false, Vec::new())];
        let mut otherwise = Vec::new();
        let mut else_count = 0;
        // Where templates go: a branch, the else block, or nowhere (after a second else / late elsif).
        enum Target {
            Branch,
            Else,
            Discard,
        }
        let mut target = Target::Branch;
        loop {
            match self.block_step(&["elsif", "else", "endunless"], opener)? {
                Step::Tag(name, targs) => match name.as_str() {
                    "elsif" => {
                        if else_count > 0 {
                            target = Target::Discard;
                        } else {
                            branches.push((self.filtered(targs)?, true, Vec::new()));
                            target = Target::Branch;
                        }
                    }
                    "else" => {
                        else_count += 1;
                        target = Target::Else;
                    }
                    _ => break,
                },
                Step::Node(n) => match target {
                    Target::Branch => {
                        if let Some(last) = branches.last_mut() {
                            last.2.extend(n);
                        }
                    }
                    Target::Else if else_count == 1 => otherwise.extend(n),
                    _ => {}
                },
            }
        }
        Ok(Node::Unless { branches, otherwise })
    }

    fn parse_case(&mut self, args: (usize, usize), opener: &str) -> Result<Node> {
        let value = self.filtered(args)?;
        let mut branches: Vec<(Vec<Token>, Vec<Node>)> = Vec::new();
        let mut otherwise = Vec::new();
        let mut else_count = 0;
        // Templates before the first `when` are parsed and dropped.
        let mut in_else = false;
        let mut before_first = true;
        loop {
            match self.block_step(&["when", "else", "endcase"], opener)? {
                Step::Tag(name, targs) => match name.as_str() {
                    "when" => {
                        if else_count > 0 {
                            continue;
                        }
                        let mut c = self.cursor(targs);
                        let mut values = Vec::new();
                        while !c.end() {
                            match c.read_value()? {
                                Some(v) => values.push(v),
                                None => {
                                    return Err(
                                        c.error(format!("unexpected token {}, value expected", c.snapshot(c.p)))
                                    );
                                }
                            }
                            c.skip_blank();
                            if c.peek() == Some(',') {
                                c.read_to(",");
                            } else {
                                c.read_to("or");
                            }
                        }
                        branches.push((values, Vec::new()));
                        before_first = false;
                    }
                    "else" => {
                        else_count += 1;
                        in_else = true;
                    }
                    _ => break,
                },
                Step::Node(n) => {
                    if in_else {
                        if else_count == 1 {
                            otherwise.extend(n);
                        }
                    } else if !before_first && let Some(last) = branches.last_mut() {
                        last.1.extend(n);
                    }
                }
            }
        }
        Ok(Node::Case { value, branches, otherwise })
    }

    fn loop_spec(&self, c: &mut Cursor<'s>, opener: &str, tablerow: bool) -> Result<LoopSpec> {
        let var = c.read_identifier_str();
        if tablerow {
            c.skip_blank();
        }
        let in_word = c.read_identifier_str();
        c.skip_blank();
        let begin = c.p;
        let collection = c.read_value()?;
        let ok = in_word == "in" && (tablerow || !var.is_empty());
        let Some(collection) = collection.filter(|_| ok) else {
            return Err(LiquidError::parse(format!("illegal tag: {opener}")));
        };
        let collection_text = Arc::from(&self.src[begin..c.p]);
        let hash = c.read_hashes()?;
        Ok(LoopSpec { var: Arc::from(var), collection, collection_text, hash })
    }

    fn parse_for(&mut self, args: (usize, usize), opener: &str) -> Result<Node> {
        let mut c = self.cursor(args);
        let spec = self.loop_spec(&mut c, opener, false)?;
        let mut body = Vec::new();
        let mut otherwise: Option<Vec<Node>> = None;
        loop {
            match self.block_step(&["else", "endfor"], opener)? {
                Step::Tag(name, targs) => {
                    self.assert_empty(targs)?;
                    if name == "endfor" {
                        break;
                    }
                    otherwise = Some(Vec::new());
                }
                Step::Node(n) => match otherwise.as_mut() {
                    Some(o) => o.extend(n),
                    None => body.extend(n),
                },
            }
        }
        Ok(Node::For { spec, body, otherwise: otherwise.unwrap_or_default() })
    }

    fn parse_tablerow(&mut self, args: (usize, usize), opener: &str) -> Result<Node> {
        let mut c = self.cursor(args);
        let spec = self.loop_spec(&mut c, opener, true)?;
        let mut body = Vec::new();
        loop {
            match self.block_step(&["endtablerow"], opener)? {
                Step::Tag(..) => break,
                Step::Node(n) => body.extend(n),
            }
        }
        Ok(Node::Tablerow { spec, body })
    }

    fn parse_raw(&mut self, opener: &str) -> Result<Node> {
        let mut content = String::new();
        loop {
            match self.next_token() {
                Some(TopToken::Tag { name, .. }) if name == "endraw" => break,
                Some(TopToken::Text { raw_begin, raw_end, .. }) => content.push_str(self.text((raw_begin, raw_end))),
                Some(TopToken::Tag { whole, .. }) => content.push_str(self.text(whole)),
                Some(TopToken::Output { content: range, .. }) => content.push_str(self.text(range)),
                None => return Err(LiquidError::parse(format!("tag {opener} not closed"))),
            }
        }
        Ok(Node::Raw(Arc::from(content)))
    }

    fn parse_cycle(&self, args: (usize, usize), opener: &str) -> Result<Node> {
        let mut c = self.cursor(args);
        let begin = c.p;
        let mut group = None;
        if let Some(g) = c.read_value()? {
            c.skip_blank();
            if c.peek() == Some(':') {
                group = Some(g);
                c.p += 1;
            } else {
                c.p = begin;
            }
        }
        let mut candidates = Vec::new();
        let mut texts = Vec::new();
        while !c.end() {
            let start = c.p;
            candidates.push(c.read_filtered_value()?);
            texts.push(&self.src[start..c.p]);
            c.read_to(",");
        }
        if candidates.is_empty() {
            return Err(c.error(format!("empty candidates: {}", crate::json::stringify(&opener.into()))));
        }
        Ok(Node::Cycle { group, candidates, fingerprint: Arc::from(texts.join(",")) })
    }

    /// `{% liquid %}`: one tag per line.
    fn parse_liquid(&mut self, args: (usize, usize)) -> Result<Node> {
        let mut c = self.cursor(args);
        let mut tokens = Vec::new();
        loop {
            c.skip_blank();
            if c.end() {
                break;
            }
            let begin = c.p;
            if c.read_to("\n").is_none() {
                c.p = c.n;
            }
            tokens.push(tag_token(self.src, begin, c.p, false)?);
        }
        let mut inner = Parser { src: self.src, tokens, pos: 0, depth: self.depth };
        Ok(Node::Block(inner.parse_all()?))
    }
}

#[cfg(test)]
mod tests {
    use super::super::error::ErrorKind;
    use super::super::lexer::tokenize;
    use super::*;

    fn parse(src: &str) -> Result<Vec<Node>> {
        Parser::new(src, tokenize(src)?).parse_all()
    }

    #[test]
    fn error_classes_match_liquidjs() {
        let cases = [
            ("{% if x %}", ErrorKind::Parse),
            ("{% nope %}", ErrorKind::Parse),
            ("{% include %}", ErrorKind::Tokenization),
            ("{% block a %}x", ErrorKind::Parse),
            ("{% endblock %}", ErrorKind::Parse),
            ("{% endif %}", ErrorKind::Parse),
            ("{% for x %}{% endfor %}", ErrorKind::Parse),
            ("{% if x %}{% else %}{% else %}{% endif %}", ErrorKind::Parse),
            ("{% if x %}{% endif y %}", ErrorKind::Parse),
            ("{% assign = 1 %}", ErrorKind::Tokenization),
            ("{% assign x 1 %}", ErrorKind::Tokenization),
            ("{% if %}{% endif %}", ErrorKind::Tokenization),
            ("{{ }}", ErrorKind::Tokenization),
            ("{{ a | 'x' }}", ErrorKind::Tokenization),
            ("{{ a b | x y }}", ErrorKind::Tokenization),
            ("{% cycle %}", ErrorKind::Tokenization),
        ];
        for (src, kind) in cases {
            match parse(src) {
                Err(e) => assert_eq!(e.kind, kind, "{src}: {e}"),
                Ok(_) => panic!("{src} parsed"),
            }
        }
    }

    #[test]
    fn lenient_inputs_parse() {
        for src in ["{{ a b }}", "{{ a, b }}", "{% if a b %}{% endif %}", "{% case x %}{% when 1 'x' %}{% endcase %}"] {
            assert!(parse(src).is_ok(), "{src}");
        }
    }

    #[test]
    fn deep_nesting_is_a_parse_error() {
        let src = "{% if x %}".repeat(500);
        assert_eq!(parse(&src).unwrap_err().kind, ErrorKind::Parse);
    }
}
