//! The lessons: Markdown files in `lessons/`, built into the binary, shown in the
//! terminal, with the learner's exercise progress kept in the data dir.
//!
//! This file is the catalogue, the face the shell talks to; each other concern
//! has a room of its own below it:
//!
//! * here: `all` lists the lessons, embedded at compile time from a fixed list
//!   (a unit test checks the list against the directory, so a new file cannot be
//!   forgotten). A lesson's number and slug come from its file name
//!   (`05-framing.md`), its title from its first `# ` heading, its exercises from
//!   comments of the form `<!-- exercise: ping_answered | Ping your node by hand -->`.
//!   `list`, `next`, `lesson_command` and `praise` are what the `lessons`
//!   and `lesson ...` commands print; [`Tracker`] is what the shell holds to
//!   notice exercises and praise them.
//! * `markdown`: `render_with` turns a lesson's Markdown into terminal text:
//!   headings, wrapped prose, indented code, ANSI styles when asked; answers in
//!   `<details>` stay hidden unless asked for (`RenderOptions::show_answers`,
//!   `lesson N answers`).
//! * `progress`: `Progress` is the set of finished exercises, saved
//!   atomically in `progress.txt` in the data dir; a damaged file never stops
//!   the shell.
//! * `exercises`: [`Exercise`], the one list of exercises (its text form is the
//!   id lesson files and `progress.txt` use), `detect`, which exercises an
//!   event completes, and `Watch`, which also remembers earlier events (is this
//!   channel a netcat session's?).
//!
//! The imports point down: the catalogue uses the renderer, the renderer ticks
//! exercises from progress, progress stores exercises; none of them knows the
//! shell, and only `detect` and `Watch` read events. Everything is plain `std`: no I/O
//! except `Progress::load` and `Progress::save`.

pub(crate) mod exercises;
pub(crate) mod markdown;
pub(crate) mod progress;

use std::fmt::Write as _;
use std::path::Path;

/// The old name of `detect`, kept for the fuzz target that calls it.
pub use exercises::detect as exercises_in;
pub(crate) use exercises::{exercises, praise, LessonExercise, Watch};
pub use exercises::{Exercise, UnknownExercise};
pub(crate) use markdown::{render_with, terminal_width, use_color, RenderOptions};
pub(crate) use progress::{Progress, PROGRESS_FILE};

use markdown::title;

/// The lesson files, in order. `lessons_match_the_directory` keeps this complete.
const FILES: &[(&str, &str)] = &[
    (
        "01-async-io.md",
        include_str!("../../lessons/01-async-io.md"),
    ),
    ("02-tcp.md", include_str!("../../lessons/02-tcp.md")),
    (
        "03-the-listener.md",
        include_str!("../../lessons/03-the-listener.md"),
    ),
    (
        "04-first-peer.md",
        include_str!("../../lessons/04-first-peer.md"),
    ),
    ("05-framing.md", include_str!("../../lessons/05-framing.md")),
    (
        "06-open-channel.md",
        include_str!("../../lessons/06-open-channel.md"),
    ),
    ("07-bolt8.md", include_str!("../../lessons/07-bolt8.md")),
    (
        "08-two-nodes.md",
        include_str!("../../lessons/08-two-nodes.md"),
    ),
    ("09-trace.md", include_str!("../../lessons/09-trace.md")),
    (
        "10-ldk-answers.md",
        include_str!("../../lessons/10-ldk-answers.md"),
    ),
    (
        "11-be-the-other-node.md",
        include_str!("../../lessons/11-be-the-other-node.md"),
    ),
];

/// One lesson.
#[derive(Clone, Debug)]
pub(crate) struct Lesson {
    /// Its number (from the file name): `lesson 5` shows lesson 5.
    pub number: u32,
    /// The file name without number and extension, e.g. `framing`.
    #[cfg_attr(
        not(test),
        allow(
            dead_code,
            reason = "the tests check every file name has one; nothing shows it yet"
        )
    )]
    pub slug: &'static str,
    /// The first `# ` heading.
    pub title: String,
    /// The whole file.
    pub markdown: &'static str,
    /// The exercises it declares, in order.
    pub exercises: Vec<LessonExercise>,
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
        markdown::answers(
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
            .filter(|e| progress.is_done(e.id))
            .count()
    }

    /// How many of its exercises were done before it was opened (and not since).
    pub fn seen_count(&self, progress: &Progress) -> usize {
        self.exercises
            .iter()
            .filter(|e| progress.was_seen(e.id))
            .count()
    }

    /// Whether every exercise is done.
    pub fn is_complete(&self, progress: &Progress) -> bool {
        self.done_count(progress) == self.exercises.len()
    }
}

/// Every lesson, sorted by number.
pub(crate) fn all() -> Vec<Lesson> {
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
pub(crate) fn get(number: u32) -> Option<Lesson> {
    all().into_iter().find(|l| l.number == number)
}

/// `05-framing.md` → `(5, "framing")`.
fn parse_file_name(name: &'static str) -> Option<(u32, &'static str)> {
    let stem = name.strip_suffix(".md")?;
    let (num, slug) = stem.split_once('-')?;
    Some((num.parse().ok()?, slug))
}

// ---------------------------------------------------------------------------
// Recording progress

/// The lesson that assigns exercise `id` (each exercise belongs to one lesson;
/// `every_exercise_belongs_to_one_lesson` keeps it so).
pub(crate) fn lesson_of(id: Exercise) -> Option<u32> {
    all()
        .into_iter()
        .find(|l| l.exercises.iter().any(|e| e.id == id))
        .map(|l| l.number)
}

/// Reads the progress in `data_dir`, as the shell holds it. A file from before
/// lessons were opened holds finished exercises and no `opened_lesson_` lines:
/// the lessons of its exercises count as opened, so its progress means what it
/// meant (and the next exercise of such a lesson counts too).
pub(crate) fn load_progress(data_dir: &Path) -> Progress {
    let mut progress = Progress::load(data_dir);
    for l in all() {
        if l.exercises.iter().any(|e| progress.is_done(e.id)) {
            progress.open(l.number);
        }
    }
    progress
}

/// Recording an exercise speaks of lessons (which one it completes, which is
/// next), so it lives here with the catalogue; `progress` itself knows only
/// the sets and their file.
impl Progress {
    /// What the shell calls when it sees an exercise happen: marks `id`, saves,
    /// and returns the words to print, or `None` if there is nothing new to say.
    ///
    /// An exercise counts once its lesson is opened. Done before that (the README
    /// walkthrough does the exercises of lessons 1, 4 and 7–10), it is noted as
    /// done before, once, and counts when done again after `lesson N`: finishing
    /// a lesson means doing its exercises with its explanation in front of you,
    /// and every exercise is quick to do again.
    ///
    /// The words are `praise`, then which lesson is next when this finished one;
    /// if saving failed, they say so (the progress still counts for this session).
    pub fn record(&mut self, data_dir: &Path, id: Exercise) -> Option<String> {
        if self.is_done(id) {
            return None;
        }
        let lesson = lesson_of(id);
        let mut text = match lesson {
            Some(n) if !self.is_opened(n) => {
                if !self.mark_seen(id) {
                    return None;
                }
                format!(
                    "◦ Noted: {} (exercise {id}). It is an exercise of lesson {n}, which you have \
                     not opened: it counts when you do it again after `lesson {n}`.",
                    id.what()
                )
            }
            _ => {
                self.mark(id);
                let mut text = praise(id);
                if let Some(l) = lesson.and_then(get).filter(|l| l.is_complete(self)) {
                    let _ = write!(
                        text,
                        "\nLesson {} is complete. {}",
                        l.number,
                        what_next(self, l.number)
                    );
                }
                text
            }
        };
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

/// After lesson `finished` is complete: the next lesson, in words that stay true
/// whatever else is done. Next is the first unfinished lesson after it, so a
/// learner going in order goes on in order; unfinished earlier lessons are named
/// too ("Next: `lesson 8`. Lessons 2–5 still have exercises too."). Only when no
/// lesson is unfinished does it say "every lesson".
fn what_next(progress: &Progress, finished: u32) -> String {
    let open: Vec<u32> = all()
        .into_iter()
        .filter(|l| !l.is_complete(progress))
        .map(|l| l.number)
        .collect();
    let later = open.iter().copied().find(|&n| n > finished);
    let earlier: Vec<u32> = open.iter().copied().filter(|&n| n < finished).collect();
    match (later, earlier.as_slice()) {
        (None, []) => "That was the last exercise of every lesson: well done!".into(),
        (Some(n), []) => format!("Next: `lesson {n}`."),
        (Some(n), [one]) => format!("Next: `lesson {n}`. Lesson {one} still has exercises too."),
        (Some(n), many) => format!(
            "Next: `lesson {n}`. Lessons {} still have exercises too.",
            number_list(many)
        ),
        (None, [one]) => format!("Lesson {one} still has exercises: `lesson {one}` is next."),
        (None, many) => format!(
            "Lessons {} still have exercises: `lesson {}` is next.",
            number_list(many),
            many[0]
        ),
    }
}

/// `1–6`, `1, 3 and 5–6`: sorted numbers, runs shortened.
fn number_list(numbers: &[u32]) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &n in numbers {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == n => *end = n,
            _ => runs.push((n, n)),
        }
    }
    let mut words: Vec<String> = Vec::new();
    for (a, b) in runs {
        match b - a {
            0 => words.push(a.to_string()),
            1 => words.extend([a.to_string(), b.to_string()]),
            _ => words.push(format!("{a}–{b}")),
        }
    }
    match words.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The first lesson with an unfinished exercise.
pub(crate) fn next(progress: &Progress) -> Option<u32> {
    all()
        .into_iter()
        .find(|l| !l.is_complete(progress))
        .map(|l| l.number)
}

/// The `lessons` command: every lesson with its progress.
pub(crate) fn list(progress: &Progress) -> String {
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
    let mut any_seen = false;
    for l in &lessons {
        let done = l.done_count(progress);
        let mut notes: Vec<String> = Vec::new();
        if l.is_complete(progress) {
            notes.push("✓".into());
        } else if Some(l.number) == next {
            notes.push("←".into());
        }
        if !progress.is_opened(l.number) {
            notes.push("not opened".into());
        }
        let seen = l.seen_count(progress);
        if seen > 0 {
            any_seen = true;
            notes.push(format!("({seen} done before you opened it)"));
        }
        let line = format!(
            "{:>3}  {:<title_width$}  {done}/{}  {}",
            l.number,
            l.title,
            l.exercises.len(),
            notes.join(" "),
            title_width = title_width
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    if any_seen {
        out.push_str(
            "An exercise counts once its lesson is open: one done before (the README\n\
             walkthrough does several) counts when you do it again after `lesson <n>`.\n",
        );
    }
    match next {
        Some(n) => {
            let _ = write!(
                out,
                "next: `lesson {n}` (or `lesson next`). `lesson <n>` shows any lesson,\n\
                 `lesson <n> answers` its answers, `lessons reset` starts over."
            );
        }
        None => out.push_str(
            "Every exercise is done: well done! `lesson <n>` shows any lesson again,\n\
             `lessons reset` starts over.",
        ),
    }
    out
}

/// What opening `lesson` says first, in Markdown: the exercises done before it
/// was opened, if any.
fn opening_note(lesson: &Lesson, progress: &Progress) -> Option<String> {
    let seen: Vec<String> = lesson
        .exercises
        .iter()
        .filter(|e| progress.was_seen(e.id))
        .map(|e| format!("`{}` ({})", e.id, e.description))
        .collect();
    let (last, rest) = seen.split_last()?;
    let list = if rest.is_empty() {
        last.clone()
    } else {
        format!("{} and {last}", rest.join(", "))
    };
    let (them, count) = if rest.is_empty() {
        ("it", "it counts")
    } else {
        ("them", "they count")
    };
    Some(format!(
        "**Already done before you opened this lesson:** {list}. Marked ◦ below; \
         {count} when you do {them} again, now that the lesson is open.\n\n---\n"
    ))
}

/// The `lesson ...` command: `lesson` or `lesson next` (the first unfinished),
/// `lesson <n>`, `lesson <n> answers`. `width` is the terminal's width.
///
/// Showing a lesson opens it (saved in `data_dir`): from then on its exercises
/// count. The answers alone do not open it.
pub(crate) fn lesson_command(
    args: &[&str],
    progress: &mut Progress,
    data_dir: &Path,
    width: usize,
    color: bool,
) -> Result<String, String> {
    let lessons = all();
    let range = match (lessons.first(), lessons.last()) {
        (Some(a), Some(b)) => format!("{}-{}", a.number, b.number),
        _ => "none".to_string(),
    };
    let pick = |word: &str, progress: &Progress| -> Result<Lesson, String> {
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
    let open = |l: Lesson, progress: &mut Progress| -> String {
        let mut text = String::new();
        if let Some(note) = opening_note(&l, progress) {
            text.push_str(&render_with(
                &note,
                &RenderOptions {
                    width,
                    color,
                    ..RenderOptions::default()
                },
            ));
            if !text.ends_with('\n') {
                text.push('\n');
            }
        }
        if progress.open(l.number) {
            if let Err(e) = progress.save(data_dir) {
                let _ = writeln!(
                    text,
                    "warning: could not save lesson progress in {}: {e}",
                    data_dir.join(PROGRESS_FILE).display()
                );
            }
        }
        text.push_str(&l.render(width, color, Some(progress)));
        text
    };
    match args {
        [] => pick("next", progress).map(|l| open(l, progress)),
        [word] => pick(word, progress).map(|l| open(l, progress)),
        [word, "answers"] => pick(word, progress).map(|l| l.render_answers(width, color)),
        _ => Err("usage: lesson [<n> | next] [answers]".to_string()),
    }
}

/// The `lessons reset` command: forgets every exercise and opened lesson.
pub(crate) fn reset(progress: &mut Progress, data_dir: &Path) -> Result<String, String> {
    let path = data_dir.join(PROGRESS_FILE);
    let f = progress
        .reset(data_dir)
        .map_err(|e| format!("could not reset lesson progress in {}: {e}", path.display()))?;
    let seen = match f.seen {
        1 => "1 exercise done before its lesson was opened".to_string(),
        n => format!("{n} exercises done before their lesson was opened"),
    };
    Ok(format!(
        "Lesson progress reset: forgot {} finished {}, {seen}, and {} opened {}.\n\
         {} now holds none; `lesson 1` starts again.",
        f.done,
        plural(f.done, "exercise", "exercises"),
        f.opened,
        plural(f.opened, "lesson", "lessons"),
        path.display()
    ))
}

/// `one` for 1, `many` otherwise.
fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

// ---------------------------------------------------------------------------
// Noticing exercises

/// Watches what happens in the shell and records the exercises it completes.
///
/// Shared by the printer (background events) and the executor (commands).
pub struct Tracker {
    data_dir: std::path::PathBuf,
    progress: std::sync::Mutex<Progress>,
    /// What earlier events said, for exercises one event cannot show alone.
    watch: std::sync::Mutex<Watch>,
}

impl Tracker {
    /// Loads progress from `data_dir`.
    pub fn load(data_dir: &Path) -> Tracker {
        Tracker {
            data_dir: data_dir.to_path_buf(),
            progress: std::sync::Mutex::new(load_progress(data_dir)),
            watch: std::sync::Mutex::new(Watch::new()),
        }
    }

    /// Runs `f` with the current progress.
    pub fn with<T>(&self, f: impl FnOnce(&Progress) -> T) -> T {
        f(&self.progress.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// The `lesson ...` command (which opens the lesson it shows).
    pub(crate) fn lesson(
        &self,
        args: &[&str],
        width: usize,
        color: bool,
    ) -> Result<String, String> {
        let mut progress = self.progress.lock().unwrap_or_else(|p| p.into_inner());
        lesson_command(args, &mut progress, &self.data_dir, width, color)
    }

    /// The `lessons reset` command.
    pub(crate) fn reset(&self) -> Result<String, String> {
        let mut progress = self.progress.lock().unwrap_or_else(|p| p.into_inner());
        reset(&mut progress, &self.data_dir)
    }

    /// Marks `id` done; the words of praise if it was new.
    pub fn record(&self, id: Exercise) -> Option<String> {
        self.progress
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .record(&self.data_dir, id)
    }

    /// Marks every exercise `event` completes; the praise to print.
    pub fn observe(&self, event: &crate::events::Event) -> Vec<String> {
        let done = self
            .watch
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .observe(event);
        done.into_iter().filter_map(|id| self.record(id)).collect()
    }
}

#[cfg(test)]
#[cfg(test)]
mod tests {
    use super::markdown::inline_plain;
    use super::markdown::tests::SAMPLE;
    use super::progress::tests::temp_dir;
    use super::progress::MAX_PROGRESS_BYTES;
    use super::*;
    use std::path::PathBuf;

    /// The lessons' directory in the source tree.
    fn source_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons")
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
            "FILES in src/lessons/mod.rs must list every lessons/NN-*.md"
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
                    Exercise::ALL.contains(&e.id),
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
            assert!(!p.is_done(Exercise::Decoded));
            let w = p.warning().expect("a warning");
            assert!(w.contains("progress.txt"), "{w}");
            assert!(list(&p).starts_with("warning:"), "the list shows it");
            // And saving replaces the damaged file.
            let mut p = p;
            p.mark(Exercise::Encoded);
            p.save(&dir).expect("save");
            let q = Progress::load(&dir);
            assert!(q.warning().is_none() && q.is_done(Exercise::Encoded));
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
        let first = all()[0].exercises[0].id;
        p.open(1);
        let text = p.record(&dir, first).expect("newly done");
        assert!(text.contains(first.as_str()), "{text}");
        assert!(p.record(&dir, first).is_none());
        assert!(Progress::load(&dir).is_done(first));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Each exercise belongs to one lesson, so "which lesson does this complete"
    /// and "has its lesson been opened" have one answer.
    #[test]
    fn every_exercise_belongs_to_one_lesson() {
        for id in Exercise::ALL {
            let owners: Vec<u32> = all()
                .iter()
                .filter(|l| l.exercises.iter().any(|e| e.id == id))
                .map(|l| l.number)
                .collect();
            assert_eq!(owners.len(), 1, "{id} is in lessons {owners:?}");
            assert_eq!(lesson_of(id), owners.first().copied());
        }
    }

    /// An exercise done before its lesson is opened is noted once, does not
    /// count, and is shown as done before when the lesson opens; done again
    /// after, it counts.
    #[test]
    fn an_exercise_counts_once_its_lesson_is_open() {
        let dir = temp_dir("record-unopened");
        let mut p = Progress::new();
        let said = p
            .record(&dir, Exercise::NetcatDecoded)
            .expect("noted the first time");
        assert!(
            said.contains("lesson 4, which you have not opened"),
            "{said}"
        );
        assert!(said.contains("(exercise netcat_decoded)"), "{said}");
        assert!(!p.is_done(Exercise::NetcatDecoded));
        assert!(p.record(&dir, Exercise::NetcatDecoded).is_none(), "once");
        let list_text = list(&p);
        let row = list_text
            .lines()
            .find(|l| l.contains("Your first peer"))
            .expect("lesson 4's row");
        assert!(row.contains("0/1") && row.contains("not opened"), "{row}");
        assert!(row.contains("(1 done before you opened it)"), "{row}");

        let shown = lesson_command(&["4"], &mut p, &dir, 80, false).expect("lesson 4");
        assert!(
            shown.starts_with("Already done before you opened this lesson: `netcat_decoded`"),
            "{shown}"
        );
        assert!(
            shown.contains("◦ done before you opened this lesson"),
            "{shown}"
        );
        assert!(Progress::load(&dir).is_opened(4), "opening is saved");
        let said = p.record(&dir, Exercise::NetcatDecoded).expect("counts now");
        assert!(said.contains("✓ Well done"), "{said}");
        assert!(
            said.contains(
                "Lesson 4 is complete. Next: `lesson 5`. Lessons 1–3 still have exercises too."
            ),
            "{said}"
        );
        let again = lesson_command(&["4"], &mut p, &dir, 80, false).expect("lesson 4");
        assert!(!again.contains("Already done before"), "{again}");
        // The answers alone do not open a lesson.
        lesson_command(&["5", "answers"], &mut p, &dir, 80, false).expect("answers");
        assert!(!p.is_opened(5));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A progress file from before lessons were opened: its exercises count, and
    /// their lessons read as opened.
    #[test]
    fn an_old_file_opens_the_lessons_of_its_exercises() {
        let dir = temp_dir("old-opens");
        std::fs::write(dir.join(PROGRESS_FILE), "decoded\n").expect("write");
        let mut p = load_progress(&dir);
        assert!(p.is_done(Exercise::Decoded) && p.is_opened(2) && !p.is_opened(1));
        let said = p.record(&dir, Exercise::Ipv6Connected).expect("counts");
        assert!(said.contains("✓ Well done"), "{said}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn what_next_names_the_next_and_unfinished_earlier_lessons() {
        let lessons = all();
        let mut p = Progress::new();
        let finish = |p: &mut Progress, n: usize| {
            for e in &lessons[n - 1].exercises {
                p.mark(e.id);
            }
        };
        finish(&mut p, 1);
        assert_eq!(what_next(&p, 1), "Next: `lesson 2`.");
        finish(&mut p, 7);
        assert_eq!(
            what_next(&p, 7),
            "Next: `lesson 8`. Lessons 2–6 still have exercises too."
        );
        for n in [2, 3, 5, 6] {
            finish(&mut p, n);
        }
        assert_eq!(
            what_next(&p, 6),
            "Next: `lesson 8`. Lesson 4 still has exercises too."
        );
        for n in 8..=lessons.len() {
            finish(&mut p, n);
        }
        assert_eq!(
            what_next(&p, 11),
            "Lesson 4 still has exercises: `lesson 4` is next."
        );
        finish(&mut p, 4);
        assert_eq!(
            what_next(&p, 7),
            "That was the last exercise of every lesson: well done!"
        );
        assert_eq!(number_list(&[1, 2, 3, 4, 5, 6]), "1–6");
        assert_eq!(number_list(&[1, 3, 5, 6]), "1, 3, 5 and 6");
        assert_eq!(number_list(&[1, 3, 4, 5, 9]), "1, 3–5 and 9");
    }

    /// The README walkthrough first, then lessons 1–6 in order: lesson 6 is not
    /// "the last exercise of every lesson" (the newcomer was told so with
    /// lessons 7–10 unread), and lessons 7–10 are not complete.
    #[test]
    fn the_walkthrough_first_completes_nothing() {
        let dir = temp_dir("walkthrough");
        let mut p = Progress::new();
        for id in [
            Exercise::NetcatConnected,
            Exercise::NetcatDecoded,
            Exercise::PingAnswered,
            Exercise::PeerConnected,
            Exercise::OutboundConnected,
            Exercise::TraceSeen,
            Exercise::ChannelPending,
        ] {
            p.record(&dir, id);
        }
        assert_eq!(all().iter().filter(|l| l.is_complete(&p)).count(), 0);
        let mut said = String::new();
        for n in 1..=6u32 {
            lesson_command(&[&n.to_string()], &mut p, &dir, 80, false).expect("lesson");
            for e in get(n).expect("lesson").exercises {
                if let Some(text) = p.record(&dir, e.id) {
                    said = text;
                }
            }
        }
        assert!(
            said.contains("Lesson 6 is complete. Next: `lesson 7`."),
            "{said}"
        );
        assert!(!said.contains("every lesson"), "{said}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn next_and_list() {
        let mut p = Progress::new();
        assert_eq!(next(&p), Some(1));
        let lessons = all();
        for e in &lessons[0].exercises {
            p.mark(e.id);
        }
        assert_eq!(next(&p), Some(2));
        let l = list(&p);
        assert!(l.contains(&lessons[0].title), "{l}");
        assert!(l.contains("✓"), "{l}");
        assert!(l.contains("next: `lesson 2`"), "{l}");
        for id in Exercise::ALL {
            p.mark(id);
        }
        assert_eq!(next(&p), None);
        assert!(list(&p).contains("Every exercise is done"));
    }

    #[test]
    fn lesson_commands() {
        let dir = temp_dir("lesson-commands");
        let mut p = Progress::new();
        let one = lesson_command(&["1"], &mut p, &dir, 80, false).expect("lesson 1");
        assert!(one.contains(&all()[0].title));
        assert_eq!(
            lesson_command(&[], &mut p, &dir, 80, false),
            Ok(one.clone())
        );
        assert_eq!(lesson_command(&["next"], &mut p, &dir, 80, false), Ok(one));
        let a = lesson_command(&["1", "answers"], &mut p, &dir, 80, false).expect("answers");
        assert!(a.contains("Answers to lesson 1"));
        assert!(lesson_command(&["99"], &mut p, &dir, 80, false)
            .unwrap_err()
            .contains("no lesson 99"));
        assert!(lesson_command(&["x"], &mut p, &dir, 80, false).is_err());
        assert!(lesson_command(&["1", "x"], &mut p, &dir, 80, false).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn reset_says_what_it_forgot() {
        let dir = temp_dir("reset-words");
        let mut p = Progress::new();
        p.open(1);
        p.record(&dir, Exercise::NetcatConnected);
        p.record(&dir, Exercise::Decoded);
        let said = reset(&mut p, &dir).expect("reset");
        assert!(
            said.starts_with(
                "Lesson progress reset: forgot 1 finished exercise, 1 exercise done before its \
                 lesson was opened, and 1 opened lesson."
            ),
            "{said}"
        );
        assert!(!load_progress(&dir).is_done(Exercise::NetcatConnected));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
