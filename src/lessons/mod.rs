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

/// Recording an exercise speaks of lessons (which one it completes, which is
/// next), so it lives here with the catalogue; `progress` itself knows only
/// the set and its file.
impl Progress {
    /// What the shell calls when it sees an exercise happen: marks `id`, saves,
    /// and returns the words to print, or `None` if it was already done.
    ///
    /// The words are `praise`, then which lesson is next when this finished one;
    /// if saving failed, they say so (the progress still counts for this session).
    pub fn record(&mut self, data_dir: &Path, id: Exercise) -> Option<String> {
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
        if let Some(last) = finished.iter().map(|l| l.number).max() {
            text.push(' ');
            text.push_str(&what_next(self, last));
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

/// After lesson `finished` is complete: the next lesson, in words that stay true
/// when earlier lessons are unfinished ("Lessons 1–6 still have exercises: `lesson 1`
/// is next.", not a bare "Next: `lesson 1`" after lesson 7).
fn what_next(progress: &Progress, finished: u32) -> String {
    let open: Vec<u32> = all()
        .into_iter()
        .filter(|l| !l.is_complete(progress))
        .map(|l| l.number)
        .collect();
    let earlier: Vec<u32> = open.iter().copied().filter(|&n| n < finished).collect();
    match (open.first(), earlier.as_slice()) {
        (None, _) => "That was the last exercise of every lesson: well done!".into(),
        (Some(n), []) => format!("Next: `lesson {n}`."),
        (Some(n), [one]) => format!("Lesson {one} still has exercises: `lesson {n}` is next."),
        (Some(n), many) => format!(
            "Lessons {} still have exercises: `lesson {n}` is next.",
            number_list(many)
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
pub(crate) fn lesson_command(
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
            progress: std::sync::Mutex::new(Progress::load(data_dir)),
            watch: std::sync::Mutex::new(Watch::new()),
        }
    }

    /// Runs `f` with the current progress.
    pub fn with<T>(&self, f: impl FnOnce(&Progress) -> T) -> T {
        f(&self.progress.lock().unwrap_or_else(|p| p.into_inner()))
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
        let text = p.record(&dir, first).expect("newly done");
        assert!(text.contains(first.as_str()), "{text}");
        assert!(p.record(&dir, first).is_none());
        assert!(Progress::load(&dir).is_done(first));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn what_next_names_unfinished_earlier_lessons() {
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
            "Lessons 2–6 still have exercises: `lesson 2` is next."
        );
        for n in [2, 3, 5, 6] {
            finish(&mut p, n);
        }
        assert_eq!(
            what_next(&p, 7),
            "Lesson 4 still has exercises: `lesson 4` is next."
        );
        for n in 1..=lessons.len() {
            finish(&mut p, n);
        }
        assert_eq!(
            what_next(&p, 7),
            "That was the last exercise of every lesson: well done!"
        );
        assert_eq!(number_list(&[1, 2, 3, 4, 5, 6]), "1–6");
        assert_eq!(number_list(&[1, 3, 5, 6]), "1, 3, 5 and 6");
        assert_eq!(number_list(&[1, 3, 4, 5, 9]), "1, 3–5 and 9");
    }

    /// Finishing lesson 7 first, through `record`, says which earlier lessons wait.
    #[test]
    fn record_after_a_later_lesson() {
        let dir = temp_dir("record-later");
        let mut p = Progress::new();
        let seventh = &all()[6];
        let mut said = String::new();
        for e in &seventh.exercises {
            if let Some(text) = p.record(&dir, e.id) {
                said = text;
            }
        }
        assert!(said.contains("Lesson 7 is complete."), "{said}");
        assert!(
            said.contains("Lessons 1–6 still have exercises: `lesson 1` is next."),
            "{said}"
        );
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
}
