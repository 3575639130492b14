//! A terminal renderer for the Markdown the lessons are written in.
//!
//! Lessons are plain Markdown so they read well on GitHub and in an editor; in
//! the shell they are turned into terminal text: headings underlined, prose
//! wrapped to the terminal's width, code indented, `**bold**`, `` `code` `` and
//! `_emphasis_` as ANSI styles when colour is on, tables aligned.
//!
//! It handles only what lessons use, and three things of their own:
//! * a ```` ```lnshell ```` fence is a command to type (shown after a prompt), and
//!   an ```` ```expect ```` fence right after it is what the output includes;
//! * `<details>` holds an answer: hidden unless asked for
//!   ([`RenderOptions::show_answers`], `lesson N answers`);
//! * `<!-- exercise: id | what to do -->` is an exercise, ticked from the
//!   learner's [`Progress`].
//!
//! It is two passes, as most renderers are: `parse_blocks` turns lines into
//! `Block`s (so a list, a quote or an answer is one thing), then
//! `render_blocks` lays each out for the width. Nothing here does I/O except
//! asking the environment for the width and whether colour is wanted
//! ([`terminal_width`], [`use_color`]).

use std::fmt::Write as _;

use super::exercises::{parse_exercise_comment, LessonExercise};
use super::progress::Progress;

/// How to render Markdown for the terminal.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions<'a> {
    /// Wrap prose to this many columns (at least 20 is used).
    pub width: usize,
    /// ANSI styles (bold, italics, colours) rather than plain text.
    pub color: bool,
    /// Show the contents of `<details>` blocks (the answers).
    pub show_answers: bool,
    /// The lesson's number, to tell the learner how to see the answers.
    pub lesson: Option<u32>,
    /// Tick finished exercises.
    pub progress: Option<&'a Progress>,
}

impl Default for RenderOptions<'_> {
    fn default() -> Self {
        RenderOptions {
            width: 80,
            color: false,
            show_answers: false,
            lesson: None,
            progress: None,
        }
    }
}

/// Markdown for the terminal: headings, prose wrapped to `width`, code blocks
/// indented, `**bold**`, `` `code` `` and `_emphasis_` (ANSI when `color`),
/// answers in `<details>` hidden.
#[cfg(test)]
pub fn render(markdown: &str, width: usize, color: bool) -> String {
    render_with(
        markdown,
        &RenderOptions {
            width,
            color,
            ..RenderOptions::default()
        },
    )
}

/// [`render`], with every option.
pub fn render_with(markdown: &str, opts: &RenderOptions) -> String {
    let blocks = parse_blocks(markdown);
    let mut out = Vec::new();
    render_blocks(&blocks, opts, 0, &mut out);
    finish(out)
}

/// The questions (the paragraph before each `<details>`) and their answers.
pub(super) fn answers(markdown: &str, opts: &RenderOptions) -> String {
    let blocks = parse_blocks(markdown);
    let mut out = Vec::new();
    let heading = match opts.lesson {
        Some(n) => format!("Answers to lesson {n}: {}", title(markdown)),
        None => format!("Answers: {}", title(markdown)),
    };
    render_block(&Block::Heading(1, heading), opts, 0, &mut out);
    let mut found = 0;
    collect_answers(&blocks, opts, &mut out, &mut found);
    if found == 0 {
        out.push("This lesson asks no questions.".to_string());
    }
    finish(out)
}

fn collect_answers(
    blocks: &[Block],
    opts: &RenderOptions,
    out: &mut Vec<String>,
    found: &mut usize,
) {
    for (i, b) in blocks.iter().enumerate() {
        if let Block::Details { .. } = b {
            *found += 1;
            if let Some(q) = i.checked_sub(1).and_then(|j| blocks.get(j)) {
                if matches!(q, Block::Para(_) | Block::Item { .. } | Block::Quote(_)) {
                    render_block(q, opts, 0, out);
                }
            }
            render_block(b, opts, 0, out);
        }
    }
}

/// Joins rendered blocks with one blank line between them.
fn finish(blocks: Vec<String>) -> String {
    let mut text = blocks
        .into_iter()
        .filter(|b| !b.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    text.push('\n');
    text
}

/// A block of Markdown, as far as lessons use it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Block {
    Heading(usize, String),
    Para(String),
    /// A list item: its marker (`-`, `1.`), nesting depth, and text.
    Item {
        marker: String,
        depth: usize,
        text: String,
    },
    Quote(Vec<Block>),
    Code {
        info: String,
        lines: Vec<String>,
    },
    Table(Vec<String>),
    Rule,
    Exercise(LessonExercise),
    Details {
        summary: String,
        blocks: Vec<Block>,
    },
    /// A block indented in the source: the continuation of a list item.
    Nested(usize, Box<Block>),
}

/// `block`, marked as indented by `indent` source columns (if any).
fn nested(indent: usize, block: Block) -> Block {
    if indent >= 2 {
        Block::Nested(indent, Box::new(block))
    } else {
        block
    }
}

/// The block itself and its extra indentation, through any `Nested`.
fn unnest(block: &Block) -> (&Block, usize) {
    match block {
        Block::Nested(n, inner) => {
            let (b, m) = unnest(inner);
            (b, n + 2 + m)
        }
        b => (b, 0),
    }
}

fn parse_blocks(markdown: &str) -> Vec<Block> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut pos = 0;
    parse_until(&lines, &mut pos, false)
}

fn is_item(line: &str) -> Option<(String, usize, &str)> {
    let indent = line.len() - line.trim_start().len();
    let t = line.trim_start();
    let (marker, rest) = if let Some(r) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
        ("-".to_string(), r)
    } else {
        let digits = t.bytes().take_while(|b| b.is_ascii_digit()).count();
        let after = &t[digits..];
        match after.strip_prefix(". ") {
            Some(r) if digits > 0 && digits < 4 => (format!("{}.", &t[..digits]), r),
            _ => return None,
        }
    };
    Some((marker, indent / 2, rest))
}

fn starts_block(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#')
        || t.starts_with("```")
        || t.starts_with('>')
        || t.starts_with('|')
        || t.starts_with("<!--")
        || t.starts_with("<details")
        || t.starts_with("</details")
        || t == "---"
        || is_item(line).is_some()
}

/// Parses blocks until the end, or (inside `<details>`) until `</details>`.
fn parse_until(lines: &[&str], pos: &mut usize, in_details: bool) -> Vec<Block> {
    let mut blocks = Vec::new();
    while *pos < lines.len() {
        let line = lines[*pos];
        let t = line.trim();
        if t.is_empty() {
            *pos += 1;
            continue;
        }
        if t.starts_with("</details") {
            *pos += 1;
            if in_details {
                return blocks;
            }
            continue;
        }
        if let Some(info) = t.strip_prefix("```") {
            let indent = line.len() - line.trim_start().len();
            *pos += 1;
            let mut code = Vec::new();
            while *pos < lines.len() && !lines[*pos].trim_start().starts_with("```") {
                let l = lines[*pos];
                let strip = l.len() - l.trim_start().len();
                code.push(l[strip.min(indent)..].to_string());
                *pos += 1;
            }
            *pos += 1; // the closing fence
            blocks.push(nested(
                indent,
                Block::Code {
                    info: info.trim().to_string(),
                    lines: code,
                },
            ));
            continue;
        }
        if t.starts_with("<!--") {
            let mut body = String::new();
            loop {
                body.push_str(lines[*pos]);
                body.push('\n');
                *pos += 1;
                if body.contains("-->") || *pos >= lines.len() {
                    break;
                }
            }
            let inner = body
                .trim()
                .trim_start_matches("<!--")
                .trim_end_matches("-->")
                .to_string();
            if let Some(ex) = parse_exercise_comment(&inner) {
                blocks.push(Block::Exercise(ex));
            }
            continue;
        }
        if t.starts_with("<details") {
            let mut summary = String::from("Answer");
            let mut rest = t.to_string();
            *pos += 1;
            if !rest.contains("<summary>") && *pos < lines.len() {
                let next = lines[*pos].trim();
                if next.starts_with("<summary>") {
                    rest = next.to_string();
                    *pos += 1;
                }
            }
            if let (Some(a), Some(b)) = (rest.find("<summary>"), rest.find("</summary>")) {
                if a + 9 <= b {
                    summary = rest[a + 9..b].trim().to_string();
                }
            }
            let inner = parse_until(lines, pos, true);
            blocks.push(Block::Details {
                summary,
                blocks: inner,
            });
            continue;
        }
        if let Some(h) = heading(t) {
            blocks.push(h);
            *pos += 1;
            continue;
        }
        if t == "---" || t == "***" {
            blocks.push(Block::Rule);
            *pos += 1;
            continue;
        }
        if t.starts_with('|') {
            let mut rows = Vec::new();
            while *pos < lines.len() && lines[*pos].trim().starts_with('|') {
                rows.push(lines[*pos].trim().to_string());
                *pos += 1;
            }
            blocks.push(Block::Table(rows));
            continue;
        }
        if t.starts_with('>') {
            let mut inner = String::new();
            while *pos < lines.len() && lines[*pos].trim().starts_with('>') {
                let l = lines[*pos].trim_start().trim_start_matches('>');
                inner.push_str(l.strip_prefix(' ').unwrap_or(l));
                inner.push('\n');
                *pos += 1;
            }
            blocks.push(Block::Quote(parse_blocks(&inner)));
            continue;
        }
        if let Some((marker, depth, first)) = is_item(line) {
            let mut text = vec![first.trim().to_string()];
            *pos += 1;
            while *pos < lines.len() {
                let l = lines[*pos];
                if l.trim().is_empty() || starts_block(l) {
                    break;
                }
                text.push(l.trim().to_string());
                *pos += 1;
            }
            blocks.push(Block::Item {
                marker,
                depth,
                text: text.join(" "),
            });
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let mut text = Vec::new();
        while *pos < lines.len() {
            let l = lines[*pos];
            if l.trim().is_empty() || (!text.is_empty() && starts_block(l)) {
                break;
            }
            text.push(l.trim().to_string());
            *pos += 1;
        }
        blocks.push(nested(indent, Block::Para(text.join(" "))));
    }
    blocks
}

fn heading(t: &str) -> Option<Block> {
    let level = t.bytes().take_while(|&b| b == b'#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let text = t[level..].strip_prefix(' ')?;
    Some(Block::Heading(level, text.trim().to_string()))
}

fn render_blocks(blocks: &[Block], opts: &RenderOptions, indent: usize, out: &mut Vec<String>) {
    let mut i = 0;
    while i < blocks.len() {
        // A list is one block of output: its items sit on consecutive lines.
        if let Block::Item { .. } = blocks[i] {
            let mut lines = Vec::new();
            while let Some(Block::Item {
                marker,
                depth,
                text,
            }) = blocks.get(i)
            {
                let lead = indent + 2 + depth * 3;
                let hang = lead + marker.chars().count() + 1;
                let body = wrap(
                    text,
                    opts.width.max(20).saturating_sub(hang).max(10),
                    opts.color,
                );
                for (k, l) in body.iter().enumerate() {
                    if k == 0 {
                        lines.push(format!("{}{} {l}", " ".repeat(lead), marker));
                    } else {
                        lines.push(format!("{}{l}", " ".repeat(hang)));
                    }
                }
                i += 1;
            }
            out.push(lines.join("\n"));
            continue;
        }
        // An `expect` block belongs with the command above it.
        if let (
            (Block::Code { info, .. }, extra),
            Some((
                Block::Code {
                    info: next, lines, ..
                },
                _,
            )),
        ) = (unnest(&blocks[i]), blocks.get(i + 1).map(unnest))
        {
            if is_command_fence(info) && next == "expect" {
                let mut one = Vec::new();
                render_block(&blocks[i], opts, indent, &mut one);
                let mut text = one.join("\n");
                text.push('\n');
                text.push_str(&expect_line(lines, opts, indent + extra));
                out.push(text);
                i += 2;
                continue;
            }
        }
        render_block(&blocks[i], opts, indent, out);
        i += 1;
    }
}

fn is_command_fence(info: &str) -> bool {
    matches!(
        info.split_whitespace().next(),
        Some("lnshell") | Some("lnshell-live")
    )
}

fn expect_line(lines: &[String], opts: &RenderOptions, indent: usize) -> String {
    let items: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    let text = format!("(the output includes: {})", items.join(" · "));
    // Wrapped to the page like the prose; each line styled on its own.
    let pad = " ".repeat(indent + 4);
    let room = opts.width.saturating_sub(indent + 4).max(20);
    crate::wire::render::wrap(&text, room)
        .iter()
        .map(|l| format!("{pad}{}", style(l, Style::DIM, opts.color)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn render_block(block: &Block, opts: &RenderOptions, indent: usize, out: &mut Vec<String>) {
    let pad = " ".repeat(indent);
    let width = opts.width.max(20).saturating_sub(indent).max(10);
    match block {
        Block::Heading(level, text) => {
            let plain = inline_plain(text);
            let under = match level {
                1 => Some('='),
                2 => Some('-'),
                _ => None,
            };
            let mut s = format!("{pad}{}", style(&plain, Style::BOLD, opts.color));
            if let Some(c) = under {
                let _ = write!(
                    s,
                    "\n{pad}{}",
                    c.to_string().repeat(plain.chars().count().min(width))
                );
            }
            out.push(s);
        }
        Block::Para(text) => out.push(prefix_lines(&wrap(text, width, opts.color), &pad)),
        Block::Item { .. } => render_blocks(std::slice::from_ref(block), opts, indent, out),
        Block::Quote(blocks) => {
            let bar = if opts.color { "│ " } else { "> " };
            let inner_opts = RenderOptions {
                width: width.saturating_sub(2).max(10),
                ..*opts
            };
            let mut inner = Vec::new();
            render_blocks(blocks, &inner_opts, 0, &mut inner);
            let body: Vec<String> = inner
                .join("\n\n")
                .lines()
                .map(|l| format!("{pad}{bar}{l}").trim_end().to_string())
                .collect();
            out.push(body.join("\n"));
        }
        Block::Code { info, lines } => {
            let kind = info.split_whitespace().next().unwrap_or("");
            let code_pad = format!("{pad}    ");
            let rendered: Vec<String> = match kind {
                "lnshell" | "lnshell-live" => lines
                    .iter()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| {
                        format!(
                            "{code_pad}{}{}",
                            style("lnshell> ", Style::PROMPT, opts.color),
                            style(l, Style::CODE, opts.color)
                        )
                    })
                    .collect(),
                "expect" => vec![expect_line(lines, opts, indent)],
                _ => lines
                    .iter()
                    .map(|l| format!("{code_pad}{}", style(l, Style::CODE, opts.color)))
                    .collect(),
            };
            out.push(rendered.join("\n"));
        }
        Block::Table(rows) => out.push(table(rows, opts, &pad)),
        Block::Nested(..) => {
            let (inner, extra) = unnest(block);
            render_block(inner, opts, indent + extra, out);
        }
        Block::Rule => out.push(format!("{pad}{}", "─".repeat(width.min(60)))),
        Block::Exercise(ex) => {
            let mark = match opts.progress {
                Some(p) if p.is_done(ex.id) => "✓ done",
                Some(p) if p.was_seen(ex.id) => {
                    "◦ done before you opened this lesson: again to count it"
                }
                Some(_) => "○ to do",
                None => "",
            };
            let head = style("★ Exercise:", Style::BOLD, opts.color);
            let body = wrap(
                &format!("{} ({})", ex.description, ex.id),
                width.saturating_sub(12).max(10),
                opts.color,
            );
            let last = body
                .last()
                .map_or(0, |l| crate::wire::render::display_width(l));
            let mut s = format!("{pad}{head} {}", body.join(&format!("\n{pad}            ")));
            if !mark.is_empty() {
                // The mark after the text, or under it where the line has no room.
                if 12 + last + 2 + mark.chars().count() > width {
                    let _ = write!(s, "\n{pad}          ");
                }
                let _ = write!(s, "  {}", style(mark, Style::DIM, opts.color));
            }
            out.push(s);
        }
        Block::Details { summary, blocks } => {
            if opts.show_answers {
                let mut inner = Vec::new();
                render_blocks(blocks, opts, indent + 2, &mut inner);
                let head = style(
                    &format!("▾ {}:", inline_plain(summary)),
                    Style::BOLD,
                    opts.color,
                );
                out.push(format!("{pad}{head}\n{}", inner.join("\n\n")));
            } else {
                let how = match opts.lesson {
                    Some(n) => format!("`lesson {n} answers` shows it"),
                    None => "`lesson <n> answers` shows it".to_string(),
                };
                let text = format!("▸ {} (hidden: {how})", inline_plain(summary));
                out.push(format!("{pad}{}", style(&text, Style::DIM, opts.color)));
            }
        }
    }
}

/// A Markdown table with its columns aligned; the header row in bold.
fn table(rows: &[String], opts: &RenderOptions, pad: &str) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .filter(|r| !r.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')))
        .map(|r| {
            r.trim()
                .trim_start_matches('|')
                .trim_end_matches('|')
                .split('|')
                .map(|c| inline_plain(c.trim()))
                .collect()
        })
        .collect();
    let columns = cells.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            cells
                .iter()
                .filter_map(|row| row.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut lines = Vec::new();
    for (i, row) in cells.iter().enumerate() {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 < row.len() {
                let fill = widths[c].saturating_sub(cell.chars().count());
                let _ = write!(line, "{cell}{}  ", " ".repeat(fill));
            } else {
                line.push_str(cell);
            }
        }
        let style_of = if i == 0 { Style::BOLD } else { Style::PLAIN };
        lines.push(format!("{pad}  {}", style(&line, style_of, opts.color)));
    }
    lines.join("\n")
}

fn prefix_lines(lines: &[String], prefix: &str) -> String {
    lines
        .iter()
        .map(|l| format!("{prefix}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text styles, as bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Style(u8);

impl Style {
    const PLAIN: Style = Style(0);
    const BOLD: Style = Style(1);
    const EM: Style = Style(2);
    const CODE: Style = Style(4);
    const LINK: Style = Style(8);
    const DIM: Style = Style(16);
    const PROMPT: Style = Style(32);

    fn with(self, other: Style) -> Style {
        Style(self.0 | other.0)
    }

    fn has(self, other: Style) -> bool {
        self.0 & other.0 != 0
    }

    fn ansi(self) -> String {
        let mut codes = Vec::new();
        if self.has(Style::BOLD) || self.has(Style::PROMPT) {
            codes.push("1");
        }
        if self.has(Style::EM) {
            codes.push("3");
        }
        if self.has(Style::LINK) {
            codes.push("4");
        }
        if self.has(Style::DIM) {
            codes.push("2");
        }
        if self.has(Style::CODE) {
            codes.push("36");
        }
        if self.has(Style::PROMPT) {
            codes.push("32");
        }
        if codes.is_empty() {
            String::new()
        } else {
            format!("\x1b[{}m", codes.join(";"))
        }
    }
}

const RESET: &str = "\x1b[0m";

/// `text` in `s`, when colour is on.
fn style(text: &str, s: Style, color: bool) -> String {
    if color && s != Style::PLAIN {
        format!("{}{text}{RESET}", s.ansi())
    } else {
        text.to_string()
    }
}

/// Inline Markdown as plain text (markers dropped, code keeps its backticks).
pub(super) fn inline_plain(text: &str) -> String {
    inline(text, false).into_iter().map(|(c, _)| c).collect()
}

/// Parses inline Markdown into styled characters. Without colour, code spans keep
/// their backticks (they say "type this") and other markers are dropped.
fn inline(text: &str, color: bool) -> Vec<(char, Style)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut cur = Style::PLAIN;
    let mut i = 0;
    let find = |from: usize, pat: &[char]| -> Option<usize> {
        (from..chars.len().saturating_sub(pat.len() - 1)).find(|&k| chars[k..].starts_with(pat))
    };
    while i < chars.len() {
        let c = chars[i];
        let prev = if i == 0 { ' ' } else { chars[i - 1] };
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        match c {
            '\\' if i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() => {
                out.push((chars[i + 1], cur));
                i += 2;
            }
            '`' => match find(i + 1, &['`']) {
                Some(end) => {
                    let s = cur.with(Style::CODE);
                    if !color {
                        out.push(('`', s));
                    }
                    out.extend(chars[i + 1..end].iter().map(|&ch| (ch, s)));
                    if !color {
                        out.push(('`', s));
                    }
                    i = end + 1;
                }
                None => {
                    out.push((c, cur));
                    i += 1;
                }
            },
            '*' if next == '*' => {
                if cur.has(Style::BOLD) {
                    cur = Style(cur.0 & !Style::BOLD.0);
                    i += 2;
                } else if find(i + 2, &['*', '*']).is_some() {
                    cur = cur.with(Style::BOLD);
                    i += 2;
                } else {
                    out.push((c, cur));
                    i += 1;
                }
            }
            '_' | '*' => {
                let closing =
                    cur.has(Style::EM) && !prev.is_whitespace() && !next.is_alphanumeric();
                let opening = !cur.has(Style::EM)
                    && !prev.is_alphanumeric()
                    && !next.is_whitespace()
                    && (i + 1..chars.len()).any(|k| {
                        chars[k] == c
                            && !chars[k - 1].is_whitespace()
                            && !chars.get(k + 1).is_some_and(|n| n.is_alphanumeric())
                    });
                if closing {
                    cur = Style(cur.0 & !Style::EM.0);
                } else if opening {
                    cur = cur.with(Style::EM);
                } else {
                    out.push((c, cur));
                }
                i += 1;
            }
            '[' => {
                // [text](url)
                let close = find(i + 1, &[']', '(']);
                let end = close.and_then(|k| find(k + 2, &[')']).map(|e| (k, e)));
                match end {
                    Some((k, e)) => {
                        let label: String = chars[i + 1..k].iter().collect();
                        let url: String = chars[k + 2..e].iter().collect();
                        let s = cur.with(Style::LINK);
                        out.extend(
                            inline(&label, color)
                                .into_iter()
                                .map(|(ch, st)| (ch, st.with(s))),
                        );
                        if url.starts_with("http://") || url.starts_with("https://") {
                            out.push((' ', cur));
                            out.extend(
                                format!("<{url}>")
                                    .chars()
                                    .map(|ch| (ch, cur.with(Style::DIM))),
                            );
                        }
                        i = e + 1;
                    }
                    None => {
                        out.push((c, cur));
                        i += 1;
                    }
                }
            }
            _ => {
                out.push((c, cur));
                i += 1;
            }
        }
    }
    out
}

/// Wraps inline Markdown `text` to `width` visible columns; each line is styled
/// on its own (ANSI codes never cross a line break).
fn wrap(text: &str, width: usize, color: bool) -> Vec<String> {
    let styled = inline(text, color);
    let mut words: Vec<&[(char, Style)]> = Vec::new();
    let mut start = None;
    for (k, (c, _)) in styled.iter().enumerate() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                words.push(&styled[s..k]);
                start = None;
            }
            (false, None) => start = Some(k),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push(&styled[s..]);
    }
    let mut lines: Vec<Vec<(char, Style)>> = Vec::new();
    let mut line: Vec<(char, Style)> = Vec::new();
    for w in words {
        if !line.is_empty() && line.len() + 1 + w.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            // The space takes the style shared by both sides (so underlines join up).
            let s = match (line.last(), w.first()) {
                (Some((_, a)), Some((_, b))) if a == b => *a,
                _ => Style::PLAIN,
            };
            line.push((' ', s));
        }
        line.extend_from_slice(w);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
        .into_iter()
        .map(|l| {
            let mut s = String::new();
            let mut cur = Style::PLAIN;
            for (c, st) in l {
                if color && st != cur {
                    if cur != Style::PLAIN {
                        s.push_str(RESET);
                    }
                    s.push_str(&st.ansi());
                    cur = st;
                }
                s.push(c);
            }
            if color && cur != Style::PLAIN {
                s.push_str(RESET);
            }
            s
        })
        .collect()
}

/// The width to render for: `$COLUMNS` if set (shells export it to children only
/// sometimes), else 80; kept between 40 and 120 so prose stays readable.
pub fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .unwrap_or(80)
        .clamp(40, 120)
}

/// Whether to use ANSI styles: stdout is a terminal and `$NO_COLOR` is unset.
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The text of the first `# ` heading.
pub(super) fn title(markdown: &str) -> String {
    markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
        .unwrap_or_else(|| "(untitled)".to_string())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::lessons::exercises::Exercise;

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for d in chars.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    /// A little of everything the renderer knows (shared with the catalogue's tests).
    pub(in crate::lessons) const SAMPLE: &str = "# Title here\n\nSome **bold** and `code` and _em_ words, funding_satoshis stays as it is, \
a [link](https://example.org) and [lesson 2](02-tcp.md).\n\n## Part\n\n- one item\n  continued\n- two\n\n\
```lnshell\ndecode 0012000400020000\n```\n```expect\nping\n```\n\n```text\n  raw  text\n```\n\n\
**Question:** Why?\n\n<details><summary>Answer</summary>\n\nBecause.\n\n</details>\n\n\
<!-- exercise: decoded | Decode a ping -->\n";

    #[test]
    fn render_plain() {
        let r = render(SAMPLE, 120, false);
        assert!(!r.contains('\x1b'), "no ANSI without colour: {r}");
        assert!(r.contains("Title here\n=========="), "{r}");
        assert!(r.contains("Part\n----"), "{r}");
        assert!(r.contains("Some bold and `code` and em words"), "{r}");
        assert!(r.contains("funding_satoshis stays"), "{r}");
        assert!(r.contains("link <https://example.org>"), "{r}");
        assert!(r.contains("lesson 2."), "{r}");
        assert!(r.contains("  - one item continued\n  - two"), "{r}");
        assert!(r.contains("    lnshell> decode 0012000400020000\n"), "{r}");
        assert!(r.contains("(the output includes: ping)"), "{r}");
        assert!(r.contains("      raw  text"), "code keeps its spacing: {r}");
        assert!(r.contains("Question: Why?"), "{r}");
        assert!(
            r.contains("▸ Answer (hidden: `lesson <n> answers` shows it)"),
            "{r}"
        );
        assert!(!r.contains("Because."), "answers hidden: {r}");
        assert!(r.contains("★ Exercise: Decode a ping (decoded)"), "{r}");
        assert!(!r.contains("<details>") && !r.contains("<!--"), "{r}");
    }

    /// The lines the renderer wraps (all but code, which is copied as it is) fit the
    /// page, with an exercise's mark and a long "the output includes" among them.
    #[test]
    fn exercise_marks_and_expected_output_fit_the_width() {
        let progress = Progress::new();
        for lesson in crate::lessons::all() {
            for width in [60, 80] {
                let r = strip_ansi(&render_with(
                    lesson.markdown,
                    &RenderOptions {
                        width,
                        color: true,
                        show_answers: false,
                        lesson: Some(lesson.number),
                        progress: Some(&progress),
                    },
                ));
                for line in r.lines().filter(|l| {
                    l.contains("○ to do") || l.trim_start().starts_with("(the output includes")
                }) {
                    assert!(
                        line.chars().count() <= width,
                        "lesson {} at {width}: {line:?}",
                        lesson.number
                    );
                }
                assert!(
                    r.contains("○ to do"),
                    "lesson {} has an exercise",
                    lesson.number
                );
            }
        }
    }

    #[test]
    fn render_colour_and_answers() {
        let mut progress = Progress::new();
        progress.mark(Exercise::Decoded);
        let r = render_with(
            SAMPLE,
            &RenderOptions {
                width: 80,
                color: true,
                show_answers: true,
                lesson: Some(3),
                progress: Some(&progress),
            },
        );
        assert!(r.contains("\x1b[1mbold\x1b[0m"), "{r:?}");
        assert!(r.contains("\x1b[36mcode\x1b[0m"), "{r:?}");
        assert!(r.contains("\x1b[3mem\x1b[0m"), "{r:?}");
        let plain = strip_ansi(&r);
        assert!(plain.contains("▾ Answer:\n  Because."), "{plain}");
        assert!(plain.contains("✓ done"), "{plain}");
    }

    #[test]
    fn prose_wraps_to_width() {
        let text = "word ".repeat(60);
        let r = render(&text, 30, false);
        assert!(r.lines().count() > 5);
        for line in r.lines() {
            assert!(line.chars().count() <= 30, "{line:?}");
        }
        let r = render(&format!("**{}**", "bold ".repeat(40)), 30, true);
        for line in r.lines() {
            assert!(strip_ansi(line).chars().count() <= 30, "{line:?}");
            assert!(
                line.ends_with(RESET),
                "each line closes its style: {line:?}"
            );
        }
    }
}
