//! The lessons: Markdown files in `lessons/`, built into the binary, shown in the
//! terminal, with the learner's exercise progress kept in the data dir.
//!
//! * [`all`] lists the lessons, embedded at compile time from a fixed list (a unit
//!   test checks the list against the directory, so a new file cannot be forgotten).
//!   A lesson's number and slug come from its file name (`05-framing.md`), its title
//!   from its first `# ` heading, its exercises from comments of the form
//!   `<!-- exercise: ping_answered | Ping your node by hand -->`.
//! * [`render`] turns a lesson's Markdown into terminal text: headings, wrapped
//!   prose, indented code, ANSI styles when asked; answers in `<details>` stay
//!   hidden unless asked for ([`RenderOptions::show_answers`], `lesson N answers`).
//! * [`Progress`] is the set of finished exercise ids, saved atomically in
//!   `progress.txt` in the data dir; a damaged file never stops the shell.
//! * [`list`], [`next`], [`lesson_command`] and [`praise`] are what the `lessons`
//!   and `lesson ...` commands print.
//!
//! Everything here is plain `std`: no I/O except [`Progress::load`] and
//! [`Progress::save`].

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::path::Path;

/// Every exercise id the shell knows how to detect, with what finishing it means.
///
/// The shell marks an id done when it sees the event; lessons may only use these.
pub const EXERCISES: &[(&str, &str)] = &[
    (
        "netcat_connected",
        "you opened a plaintext (netcat) session to your own node",
    ),
    (
        "netcat_decoded",
        "your node decoded a message you pasted into netcat",
    ),
    (
        "netcat_open_channel_100k",
        "you sent your node an open_channel of 100,000 sat or more by hand",
    ),
    (
        "ping_answered",
        "you pinged your node by hand and it answered with a pong",
    ),
    (
        "peer_connected",
        "a lightning peer finished the BOLT 8 handshake and init with your node",
    ),
    (
        "outbound_connected",
        "you connected to another node by its node id, over BOLT 8",
    ),
    ("decoded", "you read a message byte by byte with decode"),
    ("encoded", "you built a message from its fields with encode"),
    ("listen_started", "you started a listener of your own"),
    (
        "trace_seen",
        "you watched live lightning messages in the trace",
    ),
    (
        "channel_pending",
        "you took a channel with LDK all the way to pending",
    ),
];

/// The file (in the data dir) that holds the finished exercise ids.
pub const PROGRESS_FILE: &str = "progress.txt";

/// The largest progress file we read; anything bigger is not ours.
const MAX_PROGRESS_BYTES: u64 = 64 * 1024;

/// The lesson files, in order. `lessons_match_the_directory` keeps this complete.
const FILES: &[(&str, &str)] = &[
    ("01-async-io.md", include_str!("../lessons/01-async-io.md")),
    ("02-tcp.md", include_str!("../lessons/02-tcp.md")),
    (
        "03-the-listener.md",
        include_str!("../lessons/03-the-listener.md"),
    ),
    (
        "04-first-peer.md",
        include_str!("../lessons/04-first-peer.md"),
    ),
    ("05-framing.md", include_str!("../lessons/05-framing.md")),
    (
        "06-open-channel.md",
        include_str!("../lessons/06-open-channel.md"),
    ),
    ("07-bolt8.md", include_str!("../lessons/07-bolt8.md")),
    (
        "08-two-nodes.md",
        include_str!("../lessons/08-two-nodes.md"),
    ),
    ("09-trace.md", include_str!("../lessons/09-trace.md")),
    (
        "10-ldk-answers.md",
        include_str!("../lessons/10-ldk-answers.md"),
    ),
];

/// One lesson.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// Its number (from the file name): `lesson 5` shows lesson 5.
    pub number: u32,
    /// The file name without number and extension, e.g. `framing`.
    pub slug: &'static str,
    /// The first `# ` heading.
    pub title: String,
    /// The whole file.
    pub markdown: &'static str,
    /// The exercises it declares, in order.
    pub exercises: Vec<Exercise>,
}

/// One exercise: something the shell can see the learner do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exercise {
    /// One of the ids in [`EXERCISES`].
    pub id: String,
    /// What to do, in a few words.
    pub description: String,
}

impl Lesson {
    /// The lesson for the terminal, with exercises ticked from `progress`.
    pub fn render(&self, width: usize, color: bool, progress: Option<&Progress>) -> String {
        render_with(
            self.markdown,
            &RenderOptions {
                width,
                color,
                show_answers: false,
                lesson: Some(self.number),
                progress,
            },
        )
    }

    /// Only the questions and their answers, for `lesson N answers`.
    pub fn render_answers(&self, width: usize, color: bool) -> String {
        answers(
            self.markdown,
            &RenderOptions {
                width,
                color,
                show_answers: true,
                lesson: Some(self.number),
                progress: None,
            },
        )
    }

    /// How many of its exercises are done.
    pub fn done_count(&self, progress: &Progress) -> usize {
        self.exercises
            .iter()
            .filter(|e| progress.is_done(&e.id))
            .count()
    }

    /// Whether every exercise is done.
    pub fn is_complete(&self, progress: &Progress) -> bool {
        self.done_count(progress) == self.exercises.len()
    }
}

/// Every lesson, sorted by number.
pub fn all() -> Vec<Lesson> {
    let mut lessons: Vec<Lesson> = FILES
        .iter()
        .filter_map(|(name, markdown)| {
            let (number, slug) = parse_file_name(name)?;
            Some(Lesson {
                number,
                slug,
                title: title(markdown),
                markdown,
                exercises: exercises(markdown),
            })
        })
        .collect();
    lessons.sort_by_key(|l| l.number);
    lessons
}

/// Lesson `number`, if there is one.
pub fn get(number: u32) -> Option<Lesson> {
    all().into_iter().find(|l| l.number == number)
}

/// `05-framing.md` → `(5, "framing")`.
fn parse_file_name(name: &'static str) -> Option<(u32, &'static str)> {
    let stem = name.strip_suffix(".md")?;
    let (num, slug) = stem.split_once('-')?;
    Some((num.parse().ok()?, slug))
}

/// The text of the first `# ` heading.
fn title(markdown: &str) -> String {
    markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
        .unwrap_or_else(|| "(untitled)".to_string())
}

/// The exercises a lesson declares with `<!-- exercise: id | description -->`.
pub fn exercises(markdown: &str) -> Vec<Exercise> {
    let mut out = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find("<!--") {
        let after = &rest[start + 4..];
        let Some(end) = after.find("-->") else { break };
        if let Some(ex) = parse_exercise_comment(&after[..end]) {
            out.push(ex);
        }
        rest = &after[end + 3..];
    }
    out
}

fn parse_exercise_comment(body: &str) -> Option<Exercise> {
    let body = body.trim().strip_prefix("exercise:")?;
    let (id, description) = body.split_once('|').unwrap_or((body, ""));
    Some(Exercise {
        id: id.trim().to_string(),
        description: description.split_whitespace().collect::<Vec<_>>().join(" "),
    })
}

// ---------------------------------------------------------------------------
// Progress

/// The finished exercises, by id.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    done: BTreeSet<String>,
    warning: Option<String>,
}

impl Progress {
    /// No exercise done.
    pub fn new() -> Progress {
        Progress::default()
    }

    /// Reads `progress.txt` from `data_dir`. A missing file is a fresh start; a
    /// file that cannot be read or is not ours also starts afresh, and
    /// [`Progress::warning`] says why (it is overwritten at the next save).
    pub fn load(data_dir: &Path) -> Progress {
        let path = data_dir.join(PROGRESS_FILE);
        match read_progress(&path) {
            Ok(done) => Progress {
                done,
                warning: None,
            },
            Err(None) => Progress::new(),
            Err(Some(why)) => Progress {
                done: BTreeSet::new(),
                warning: Some(format!(
                    "ignoring the lesson progress file {}: {why}; starting with no exercise done \
                     (the file is rewritten when you finish the next one)",
                    path.display()
                )),
            },
        }
    }

    /// Why the file could not be used, if it could not.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    /// Writes `progress.txt` in `data_dir`, atomically (a temporary file, then a
    /// rename). Ids already in the file (another shell on the same data dir) are
    /// kept: progress only grows.
    pub fn save(&self, data_dir: &Path) -> io::Result<()> {
        let path = data_dir.join(PROGRESS_FILE);
        let mut all = self.done.clone();
        if let Ok(on_disk) = read_progress(&path) {
            all.extend(on_disk);
        }
        let mut text = String::from(
            "# lnshell lesson progress: one finished exercise id per line (`lessons` shows them)\n",
        );
        for id in &all {
            text.push_str(id);
            text.push('\n');
        }
        let tmp = data_dir.join(format!("{PROGRESS_FILE}.tmp-{}", std::process::id()));
        let result = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// Whether exercise `id` is done.
    pub fn is_done(&self, id: &str) -> bool {
        self.done.contains(id)
    }

    /// Marks `id` done; true if it was not done before.
    pub fn mark(&mut self, id: &str) -> bool {
        self.done.insert(id.to_string())
    }

    /// The finished ids, sorted.
    pub fn done(&self) -> impl Iterator<Item = &str> {
        self.done.iter().map(String::as_str)
    }

    /// What the shell calls when it sees an exercise happen: marks `id`, saves,
    /// and returns the words to print, or `None` if it was already done.
    ///
    /// The words are [`praise`], then which lesson is next when this finished one;
    /// if saving failed, they say so (the progress still counts for this session).
    pub fn record(&mut self, data_dir: &Path, id: &str) -> Option<String> {
        if !self.mark(id) {
            return None;
        }
        let mut text = praise(id);
        let finished: Vec<Lesson> = all()
            .into_iter()
            .filter(|l| l.exercises.iter().any(|e| e.id == id) && l.is_complete(self))
            .collect();
        for l in &finished {
            let _ = write!(text, "\nLesson {} is complete.", l.number);
        }
        if !finished.is_empty() {
            match next(self) {
                Some(n) => {
                    let _ = write!(text, " Next: `lesson {n}`.");
                }
                None => text.push_str(" That was the last exercise of every lesson: well done!"),
            }
        }
        if let Err(e) = self.save(data_dir) {
            let _ = write!(
                text,
                "\nwarning: could not save lesson progress in {}: {e}",
                data_dir.join(PROGRESS_FILE).display()
            );
        }
        Some(text)
    }
}

/// The ids in the file; `Err(None)` if there is no file, `Err(Some(why))` if it is
/// unusable.
fn read_progress(path: &Path) -> Result<BTreeSet<String>, Option<String>> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(None),
        Err(e) => return Err(Some(format!("cannot read it ({e})"))),
    };
    let mut bytes = Vec::new();
    file.take(MAX_PROGRESS_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Some(format!("cannot read it ({e})")))?;
    if bytes.len() as u64 > MAX_PROGRESS_BYTES {
        return Err(Some(format!(
            "it is larger than {MAX_PROGRESS_BYTES} bytes"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| Some("it is not text".to_string()))?;
    let mut done = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !is_id(line) {
            return Err(Some(format!(
                "line {} is not an exercise id: {:?}",
                i + 1,
                line.chars().take(40).collect::<String>()
            )));
        }
        done.insert(line.to_string());
    }
    Ok(done)
}

/// An exercise id: lowercase letters, digits and `_`, at most 64 of them. Ids a
/// newer lnshell knows are kept even if this one does not.
fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A short word of praise naming what was done.
pub fn praise(id: &str) -> String {
    match EXERCISES.iter().find(|(known, _)| *known == id) {
        Some((_, what)) => format!("✓ Well done: {what} (exercise {id})."),
        None => format!("✓ Exercise {id} done."),
    }
}

/// The first lesson with an unfinished exercise.
pub fn next(progress: &Progress) -> Option<u32> {
    all()
        .into_iter()
        .find(|l| !l.is_complete(progress))
        .map(|l| l.number)
}

/// The `lessons` command: every lesson with its progress.
pub fn list(progress: &Progress) -> String {
    let lessons = all();
    let next = next(progress);
    let title_width = lessons
        .iter()
        .map(|l| l.title.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    if let Some(w) = progress.warning() {
        let _ = writeln!(out, "warning: {w}");
    }
    let _ = writeln!(
        out,
        "     {:<title_width$}  exercises",
        "lesson",
        title_width = title_width
    );
    for l in &lessons {
        let done = l.done_count(progress);
        let mark = if l.is_complete(progress) {
            "✓"
        } else if Some(l.number) == next {
            "←"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:>3}  {:<title_width$}  {done}/{}  {mark}",
            l.number,
            l.title,
            l.exercises.len(),
            title_width = title_width
        );
    }
    match next {
        Some(n) => {
            let _ = write!(
                out,
                "next: `lesson {n}` (or `lesson next`). `lesson <n>` shows any lesson, \
                 `lesson <n> answers` its answers."
            );
        }
        None => {
            out.push_str("Every exercise is done: well done! `lesson <n>` shows any lesson again.")
        }
    }
    out
}

/// The `lesson ...` command: `lesson` or `lesson next` (the first unfinished),
/// `lesson <n>`, `lesson <n> answers`. `width` is the terminal's width.
pub fn lesson_command(
    args: &[&str],
    progress: &Progress,
    width: usize,
    color: bool,
) -> Result<String, String> {
    let lessons = all();
    let range = match (lessons.first(), lessons.last()) {
        (Some(a), Some(b)) => format!("{}-{}", a.number, b.number),
        _ => "none".to_string(),
    };
    let pick = |word: &str| -> Result<Lesson, String> {
        if word == "next" {
            return match next(progress) {
                Some(n) => get(n).ok_or_else(|| format!("no lesson {n}")),
                None => Err(
                    "every exercise is done: `lesson <n>` shows any lesson, `lessons` lists them"
                        .to_string(),
                ),
            };
        }
        let n: u32 = word.trim_start_matches('#').parse().map_err(|_| {
            format!("{word:?} is not a lesson number. Usage: lesson [<n> | next] [answers]")
        })?;
        get(n)
            .ok_or_else(|| format!("no lesson {n}: the lessons are {range}; `lessons` lists them"))
    };
    match args {
        [] => pick("next").map(|l| l.render(width, color, Some(progress))),
        [word] => pick(word).map(|l| l.render(width, color, Some(progress))),
        [word, "answers"] => pick(word).map(|l| l.render_answers(width, color)),
        _ => Err("usage: lesson [<n> | next] [answers]".to_string()),
    }
}

// ---------------------------------------------------------------------------
// Rendering

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
fn answers(markdown: &str, opts: &RenderOptions) -> String {
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
    Exercise(Exercise),
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
    format!(
        "{}{}",
        " ".repeat(indent + 4),
        style(&text, Style::DIM, opts.color)
    )
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
            let done = opts.progress.map(|p| p.is_done(&ex.id));
            let mark = match done {
                Some(true) => "✓ done",
                Some(false) => "○ to do",
                None => "",
            };
            let head = style("★ Exercise:", Style::BOLD, opts.color);
            let body = wrap(
                &format!("{} ({})", ex.description, ex.id),
                width.saturating_sub(12).max(10),
                opts.color,
            );
            let mut s = format!("{pad}{head} {}", body.join(&format!("\n{pad}            ")));
            if !mark.is_empty() {
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
fn inline_plain(text: &str) -> String {
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

// ---------------------------------------------------------------------------
// Noticing exercises

/// Watches what happens in the shell and records the exercises it completes.
///
/// Shared by the printer (background events) and the executor (commands).
pub struct Tracker {
    data_dir: std::path::PathBuf,
    progress: std::sync::Mutex<Progress>,
}

impl Tracker {
    /// Loads progress from `data_dir`.
    pub fn load(data_dir: &Path) -> Tracker {
        Tracker {
            data_dir: data_dir.to_path_buf(),
            progress: std::sync::Mutex::new(Progress::load(data_dir)),
        }
    }

    /// Runs `f` with the current progress.
    pub fn with<T>(&self, f: impl FnOnce(&Progress) -> T) -> T {
        f(&self.progress.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Marks `id` done; the words of praise if it was new.
    pub fn record(&self, id: &str) -> Option<String> {
        self.progress
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .record(&self.data_dir, id)
    }

    /// Marks every exercise `event` completes; the praise to print.
    pub fn observe(&self, event: &crate::events::Event) -> Vec<String> {
        exercises_in(event)
            .into_iter()
            .filter_map(|id| self.record(id))
            .collect()
    }
}

/// The exercises a background event completes.
pub fn exercises_in(event: &crate::events::Event) -> Vec<&'static str> {
    use crate::events::Event;
    match event {
        Event::NetcatConnected { .. } => vec!["netcat_connected"],
        Event::NetcatLine {
            decoded, answer, ..
        } => {
            let mut ids = Vec::new();
            if decoded.is_ok() {
                ids.push("netcat_decoded");
                let funding = decoded.field("funding_satoshis").map(|f| f.value);
                if decoded.msg_type == Some(32)
                    && matches!(funding, Some(crate::wire::decode::Value::Uint(v)) if v >= 100_000)
                {
                    ids.push("netcat_open_channel_100k");
                }
            }
            if matches!(answer, Some(crate::events::NetcatAnswer::Pong { .. })) {
                ids.push("ping_answered");
            }
            ids
        }
        Event::PeerConnected { .. } => vec!["peer_connected"],
        Event::Message { .. } => vec!["trace_seen"],
        Event::ChannelPending { .. } => vec!["channel_pending"],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// The lessons' directory in the source tree.
    fn source_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons")
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "lnshell-lessons-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

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

    #[test]
    fn lessons_match_the_directory() {
        let mut on_disk: Vec<String> = std::fs::read_dir(source_dir())
            .expect("lessons/ exists")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".md") && n != "README.md")
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = FILES.iter().map(|(n, _)| n.to_string()).collect();
        listed.sort();
        assert_eq!(
            listed, on_disk,
            "FILES in src/lessons.rs must list every lessons/NN-*.md"
        );
        for (name, text) in FILES {
            let disk = std::fs::read_to_string(source_dir().join(name)).expect("read");
            assert_eq!(&disk, text, "{name} embedded text is stale");
        }
    }

    #[test]
    fn lessons_are_numbered_titled_and_have_known_exercises() {
        let lessons = all();
        assert_eq!(lessons.len(), FILES.len(), "every file name parses");
        for (i, l) in lessons.iter().enumerate() {
            assert_eq!(l.number as usize, i + 1, "lessons are numbered 1, 2, ...");
            assert!(!l.slug.is_empty());
            assert_ne!(l.title, "(untitled)", "lesson {} has a # title", l.number);
            assert!(
                !l.exercises.is_empty(),
                "lesson {} has an exercise",
                l.number
            );
            for e in &l.exercises {
                assert!(
                    EXERCISES.iter().any(|(id, _)| *id == e.id),
                    "lesson {}: unknown exercise id {:?}",
                    l.number,
                    e.id
                );
                assert!(!e.description.is_empty(), "{} has a description", e.id);
            }
        }
    }

    #[test]
    fn file_names() {
        assert_eq!(parse_file_name("05-framing.md"), Some((5, "framing")));
        assert_eq!(
            parse_file_name("10-ldk-answers.md"),
            Some((10, "ldk-answers"))
        );
        assert_eq!(parse_file_name("README.md"), None);
    }

    #[test]
    fn exercise_comments() {
        let md = "x\n<!-- exercise: ping_answered | Ping your\n node -->\n<!-- other -->\n<!--exercise:decoded-->";
        assert_eq!(
            exercises(md),
            vec![
                Exercise {
                    id: "ping_answered".into(),
                    description: "Ping your node".into()
                },
                Exercise {
                    id: "decoded".into(),
                    description: String::new()
                }
            ]
        );
    }

    const SAMPLE: &str = "# Title here\n\nSome **bold** and `code` and _em_ words, funding_satoshis stays as it is, \
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

    #[test]
    fn render_colour_and_answers() {
        let mut progress = Progress::new();
        progress.mark("decoded");
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

    /// Tables are not wrapped: a line of one is any line that some table row became.
    fn is_table_line(_rendered: &str, line: &str) -> bool {
        let t = line.trim();
        all().iter().any(|l| {
            l.markdown
                .lines()
                .filter(|m| m.trim_start().starts_with('|'))
                .any(|m| {
                    let first = m
                        .trim()
                        .trim_start_matches('|')
                        .split('|')
                        .next()
                        .unwrap_or("");
                    let first = inline_plain(first.trim());
                    !first.is_empty() && t.starts_with(&first)
                })
        })
    }

    #[test]
    fn every_lesson_renders() {
        for l in all() {
            let r = l.render(72, false, None);
            assert!(r.contains(&l.title), "lesson {}", l.number);
            assert!(!r.contains("<details"), "lesson {}", l.number);
            for line in r.lines() {
                // Code may be wider; prose must not be.
                if !line.starts_with("    ") && !is_table_line(&r, line) {
                    assert!(line.chars().count() <= 72, "lesson {}: {line:?}", l.number);
                }
            }
            let a = l.render_answers(72, false);
            assert!(a.contains("Answers to lesson"), "lesson {}", l.number);
        }
    }

    #[test]
    fn answers_show_questions_with_answers() {
        let lesson = Lesson {
            number: 3,
            slug: "x",
            title: "Title here".into(),
            markdown: SAMPLE,
            exercises: vec![],
        };
        let a = lesson.render_answers(80, false);
        assert!(a.contains("Answers to lesson 3: Title here"), "{a}");
        assert!(a.contains("Question: Why?\n\n▾ Answer:\n  Because."), "{a}");
        assert!(!a.contains("Some bold"), "{a}");
    }

    #[test]
    fn progress_round_trip() {
        let dir = temp_dir("roundtrip");
        let mut p = Progress::load(&dir);
        assert!(p.warning().is_none());
        assert!(!p.is_done("decoded"));
        assert!(p.mark("decoded"));
        assert!(!p.mark("decoded"));
        p.save(&dir).expect("save");
        let q = Progress::load(&dir);
        assert!(q.is_done("decoded"));
        assert!(q.warning().is_none());
        // Another shell on the same data dir: saves merge.
        let mut other = Progress::new();
        other.mark("encoded");
        other.save(&dir).expect("save");
        let r = Progress::load(&dir);
        assert!(r.is_done("decoded") && r.is_done("encoded"));
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary files left");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn corrupt_progress_starts_empty_with_a_warning() {
        let dir = temp_dir("corrupt");
        let path = dir.join(PROGRESS_FILE);
        for bad in [
            &b"decoded\nnot an id!\n"[..],
            &[0xff, 0xfe, 0x00][..],
            &vec![b'a'; MAX_PROGRESS_BYTES as usize + 10][..],
        ] {
            std::fs::write(&path, bad).expect("write");
            let p = Progress::load(&dir);
            assert!(!p.is_done("decoded"));
            let w = p.warning().expect("a warning");
            assert!(w.contains("progress.txt"), "{w}");
            assert!(list(&p).starts_with("warning:"), "the list shows it");
            // And saving replaces the damaged file.
            let mut p = p;
            p.mark("encoded");
            p.save(&dir).expect("save");
            let q = Progress::load(&dir);
            assert!(q.warning().is_none() && q.is_done("encoded"));
        }
        // A directory where the file should be: unreadable, still no crash.
        std::fs::remove_file(&path).expect("rm");
        std::fs::create_dir(&path).expect("mkdir");
        let p = Progress::load(&dir);
        assert!(p.warning().is_some());
        assert!(p.save(&dir).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn record_praises_once_and_saves() {
        let dir = temp_dir("record");
        let mut p = Progress::new();
        let first = all()[0].exercises[0].id.clone();
        let text = p.record(&dir, &first).expect("newly done");
        assert!(text.contains(&first), "{text}");
        assert!(p.record(&dir, &first).is_none());
        assert!(Progress::load(&dir).is_done(&first));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn next_and_list() {
        let mut p = Progress::new();
        assert_eq!(next(&p), Some(1));
        let lessons = all();
        for e in &lessons[0].exercises {
            p.mark(&e.id);
        }
        assert_eq!(next(&p), Some(2));
        let l = list(&p);
        assert!(l.contains(&lessons[0].title), "{l}");
        assert!(l.contains("✓"), "{l}");
        assert!(l.contains("next: `lesson 2`"), "{l}");
        for (id, _) in EXERCISES {
            p.mark(id);
        }
        assert_eq!(next(&p), None);
        assert!(list(&p).contains("Every exercise is done"));
    }

    #[test]
    fn lesson_commands() {
        let p = Progress::new();
        let one = lesson_command(&["1"], &p, 80, false).expect("lesson 1");
        assert!(one.contains(&all()[0].title));
        assert_eq!(lesson_command(&[], &p, 80, false), Ok(one.clone()));
        assert_eq!(lesson_command(&["next"], &p, 80, false), Ok(one));
        let a = lesson_command(&["1", "answers"], &p, 80, false).expect("answers");
        assert!(a.contains("Answers to lesson 1"));
        assert!(lesson_command(&["99"], &p, 80, false)
            .unwrap_err()
            .contains("no lesson 99"));
        assert!(lesson_command(&["x"], &p, 80, false).is_err());
        assert!(lesson_command(&["1", "x"], &p, 80, false).is_err());
    }

    #[test]
    fn praise_names_every_exercise() {
        for (id, what) in EXERCISES {
            let p = praise(id);
            assert!(p.contains(what) && p.contains(id), "{p}");
        }
        assert!(praise("something_new").contains("something_new"));
    }
}
