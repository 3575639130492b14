//! `diagram` and `trace save`: two shells open a channel over real BOLT 8 on
//! 127.0.0.1 (trace off), each draws the conversation from its own record, one
//! saves it, and the other decodes and draws the saved file. The SVG is read by an
//! XML parser and rendered by resvg (a real SVG renderer) from a bundled font.

mod common;

use common::Shell;

/// Sends `cmd` and returns the lines it printed, up to the one `last` matches.
fn output(shell: &mut Shell, cmd: &str, last: impl Fn(&str) -> bool) -> Vec<String> {
    let start = shell.seen.lock().unwrap().len();
    shell.send(cmd);
    shell.wait_for(cmd, |l| last(l));
    // The reader thread pushes to `seen` before it hands the line on.
    shell.seen.lock().unwrap()[start..].to_vec()
}

/// The diagram of the record ends with what the record cannot see. Events
/// (`[ldk] …`) printed meanwhile are left out.
fn diagram(shell: &mut Shell, cmd: &str) -> Vec<String> {
    let mut lines = output(shell, cmd, |l| l.ends_with("trace`)."));
    // An event's continuation lines are indented words: `their init features: …`,
    // `hex: 0200…`.
    lines.retain(|l| {
        let t = l.trim_start();
        !(l.starts_with('[') || t.starts_with("their init features") || t.starts_with("hex: "))
    });
    lines
}

/// The arrow lines of `steps`, in order; each must point the given way: `->`
/// from this node (lane 0, on the left) to the peer, `<-` back.
fn in_order(lines: &[String], steps: &[(&str, &str)]) {
    let mut pos = 0;
    for (dir, name) in steps {
        let found = lines[pos..]
            .iter()
            .position(|l| l.contains(&format!(" {name}")));
        let Some(i) = found else {
            panic!("no {name} after line {pos}:\n{}", lines.join("\n"));
        };
        let line = &lines[pos + i];
        let ok = match *dir {
            "->" => line.contains("s |--") && line.ends_with("->|"),
            _ => line.contains("s |<-") && line.ends_with("-|"),
        };
        assert!(
            ok,
            "{name} should point {dir}: {line:?}\n{}",
            lines.join("\n")
        );
        pos += i + 1;
    }
}

/// Renders `svg` with resvg, from the one bundled font (a fresh CI machine may have
/// no system fonts), and checks that each of `labels` is a text node of usvg's
/// tree whose glyphs put ink on the white page.
fn render(svg: &str, labels: &[String]) {
    use resvg::{tiny_skia, usvg};
    let font = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/fonts/DejaVuSansMono.ttf"
    );
    let mut options = usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_font_data(std::fs::read(font).expect("the bundled font"));
    assert_eq!(fonts.len(), 1, "only the bundled font");
    // `diagram --svg` asks for `font-family="monospace"`.
    fonts.set_monospace_family("DejaVu Sans Mono");
    let tree = usvg::Tree::from_str(svg, &options).expect("usvg parses the SVG");

    // Every text node, with its words (the chunks' text) and where it was laid out.
    fn texts(group: &usvg::Group, out: &mut Vec<(String, usvg::Rect)>) {
        for node in group.children() {
            match node {
                usvg::Node::Group(g) => texts(g, out),
                usvg::Node::Text(t) => {
                    let words: String = t.chunks().iter().map(|c| c.text()).collect();
                    out.push((words, t.abs_bounding_box()));
                }
                _ => {}
            }
        }
    }
    let mut found = Vec::new();
    texts(tree.root(), &mut found);

    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).expect("a pixmap");
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    let ink = |r: &usvg::Rect| {
        // The top 60 % of the text's box: the glyphs' bodies, above the baseline and
        // clear of the arrow's line under the label.
        let (x0, x1) = (
            r.left().max(0.0) as u32,
            (r.right() as u32).min(size.width()),
        );
        let y0 = r.top().max(0.0) as u32;
        let y1 = ((r.top() + 0.6 * r.height()) as u32).min(size.height());
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let p = pixmap.pixel(x, y).expect("inside the pixmap");
                (p.red(), p.green(), p.blue()) != (255, 255, 255)
            })
            .count()
    };

    assert!(!labels.is_empty());
    for label in labels {
        let Some((_, rect)) = found.iter().find(|(words, _)| words == label) else {
            panic!("{label:?} is not a text node of the rendered tree: {found:?}");
        };
        let letters = label.chars().filter(|c| !c.is_whitespace()).count();
        assert!(
            rect.width() >= 4.0 * letters as f32,
            "{label:?} laid out {rect:?}: narrower than its {letters} letters"
        );
        let inked = ink(rect);
        assert!(
            inked >= 3 * letters,
            "{label:?}: {inked} pixels of ink in {rect:?}, fewer than 3 for each of {letters} letters"
        );
    }
    // The page around the text stays white: the ink is where the words are.
    let corner = pixmap.pixel(1, 1).expect("a pixel");
    assert_eq!(
        (corner.red(), corner.green(), corner.blue()),
        (255, 255, 255)
    );
}

#[test]
fn both_sides_draw_the_channel_open_and_a_saved_trace_replays() {
    let mut a = Shell::start_env("diag-a", &["--listen", "127.0.0.1:0"], &[("COLUMNS", "40")]);
    let mut b = Shell::start_env("diag-b", &["--listen", "127.0.0.1:0"], &[("COLUMNS", "80")]);
    let a_id = a.node_id();
    let b_id = b.node_id();
    let b_addr = b.addr();

    // Nothing yet: said in words, not drawn.
    let empty = output(&mut a, "diagram", |l| {
        l.contains("record holds no messages")
    });
    assert!(empty.iter().any(|l| l.contains("`connect`")), "{empty:?}");

    // The opener draws each message live; the acceptor traces nothing, and still
    // keeps the record.
    a.send("trace diagram");
    a.wait_for_text("trace on (diagram)");
    a.send(&format!("connect {b_id}@{b_addr}"));
    a.wait_for_text(&format!("connected to {b_id}"));
    a.send(&format!("openchannel {b_id} 200000"));
    a.wait_for_text("sent; ChannelPending");
    b.wait_for_text("[ldk] ChannelPending");

    let peer_lane = format!("| {}…", &b_id[..8]);
    let live = a.wait_for_line("a live arrow", |l| {
        l.starts_with("[trace] |-- open_channel") && l.ends_with(&peer_lane)
    });
    assert!(live.chars().count() <= 40, "{live:?}");
    a.wait_for_line("a live arrow back", |l| {
        l.starts_with("[trace] |<- funding_signed") && l.ends_with(&peer_lane)
    });

    // The opener, at 40 columns: every line fits, and the four steps go right, left,
    // right, left.
    let lines = diagram(&mut a, "diagram");
    for l in &lines {
        assert!(
            l.chars().count() <= 40,
            "{l:?} is wider than 40:\n{}",
            lines.join("\n")
        );
    }
    assert!(
        lines.iter().all(|l| !l.contains('\x1b')),
        "no colour in a pipe"
    );
    assert!(
        lines[0].starts_with("         this node"),
        "{}",
        lines.join("\n")
    );
    in_order(
        &lines,
        &[
            ("<-", "init"),
            ("->", "open_channel 200000"),
            ("<-", "accept_channel"),
            ("->", "funding_created"),
            ("<-", "funding_signed"),
        ],
    );

    // The acceptor, at 80 columns, naming the peer: the mirror image, whole labels.
    let lines = diagram(&mut b, &format!("diagram {a_id}"));
    in_order(
        &lines,
        &[
            ("<-", "open_channel 200000 sat"),
            ("->", "accept_channel minimum_depth"),
            ("<-", "funding_created"),
            ("->", "funding_signed channel"),
        ],
    );
    assert!(lines[0].contains(&a_id[..8]), "{}", lines.join("\n"));

    // --last keeps the end, and says so.
    let last = diagram(&mut b, &format!("diagram {a_id} --last 1"));
    assert!(last.iter().any(|l| l.contains("The last 1 of")), "{last:?}");
    assert!(!last.iter().any(|l| l.contains("open_channel")), "{last:?}");

    // Saved by one shell...
    let path = a.data_dir.path().join("open.jsonl");
    let path = path.to_str().unwrap().to_string();
    let saved = output(&mut a, &format!("trace save {path}"), |l| {
        l.starts_with("saved ")
    });
    assert!(
        saved.last().unwrap().contains("with 1 peer(s)"),
        "{saved:?}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let first_open = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["name"] == "open_channel")
        .expect("open_channel saved");
    assert_eq!(first_open["type"], 32);
    assert_eq!(first_open["direction"], "out");
    assert_eq!(first_open["peer"], b_id.as_str());
    assert!(first_open["time"].as_str().unwrap().ends_with(" UTC"));

    // ...decoded by another...
    let decoded = output(&mut b, &format!("decode --file {path}"), |l| {
        l.contains("decoded cleanly")
    });
    let all = decoded.join("\n");
    assert!(all.contains("open_channel (type 32"), "{all}");
    assert!(all.contains("funding_signed (type 35"), "{all}");

    // ...and drawn there as the saving node saw it.
    let drawn = output(&mut b, &format!("diagram --file {path}"), |l| {
        l.contains("funding_signed")
    });
    assert!(
        drawn.iter().any(|l| l.contains("the saving node")),
        "{drawn:?}"
    );
    // Lesson 9's exercise: save a trace and draw it.
    b.wait_for_stderr("(exercise trace_replayed)");
    in_order(
        &drawn,
        &[
            ("->", "open_channel 200000 sat"),
            ("<-", "accept_channel minimum_depth"),
            ("->", "funding_created"),
            ("<-", "funding_signed"),
        ],
    );

    // The same picture for a browser: an SVG an XML parser reads, with one arrow
    // a message, its label, and the decoder's summary as the arrow's title; and a
    // page with every message's table.
    let svg_path = a.data_dir.path().join("open.svg");
    let html_path = a.data_dir.path().join("open.html");
    output(
        &mut a,
        &format!(
            "diagram {b_id} --svg {} --html {}",
            svg_path.display(),
            html_path.display()
        ),
        |l| l.starts_with("wrote "),
    );
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let arrows: Vec<_> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("g") && n.attribute("class").is_some_and(|c| c.starts_with("arrow"))
        })
        .collect();
    let text_of = |n: &roxmltree::Node, tag: &str| {
        n.children()
            .find(|c| c.has_tag_name(tag) && c.attribute("class") != Some("time"))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    let titles: Vec<String> = arrows.iter().map(|g| text_of(g, "title")).collect();
    let labels: Vec<String> = arrows.iter().map(|g| text_of(g, "text")).collect();
    let at = |needle: &str| titles.iter().position(|t| t.starts_with(needle));
    let order = [
        at("open_channel (type 32"),
        at("accept_channel (type 33"),
        at("funding_created (type 34"),
        at("funding_signed (type 35"),
    ];
    assert!(order.iter().all(Option::is_some), "{titles:?}");
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{titles:?}");
    let open = order[0].unwrap();
    assert!(
        labels[open].starts_with("open_channel 200000 sat"),
        "{labels:?}"
    );
    // The opener's open_channel runs from this node's lane (left) to the peer's.
    let line = arrows[open]
        .children()
        .find(|c| c.has_tag_name("line"))
        .expect("an arrow's line");
    let x = |a: &str| line.attribute(a).unwrap().parse::<f64>().unwrap();
    assert!(x("x1") < x("x2"), "{svg}");
    let accept = arrows[order[1].unwrap()]
        .children()
        .find(|c| c.has_tag_name("line"))
        .unwrap();
    let ax = |a: &str| accept.attribute(a).unwrap().parse::<f64>().unwrap();
    assert!(ax("x1") > ax("x2"), "accept_channel points back: {svg}");
    // And drawn by a real SVG renderer: every label laid out as text, with ink.
    render(&svg, &labels);
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg"));
    assert!(
        html.contains("funding_satoshis"),
        "the open_channel's table"
    );
    assert!(html.contains("href=\"#m0\""), "arrows link to their tables");
}

#[test]
fn a_netcat_sessions_conversation_is_drawn_too() {
    use std::io::{BufRead, Write};
    let mut shell = Shell::start_env(
        "diag-nc",
        &["--listen", "127.0.0.1:0"],
        &[("COLUMNS", "60")],
    );
    let (mut reader, mut writer) = common::netcat(&shell.addr());
    let greeting = common::read_greeting(&mut reader);
    let side = greeting
        .split_whitespace()
        .find(|w| w.len() == 66 && w.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(|| panic!("no node id in the greeting: {greeting}"))
        .to_string();
    // A pasted ping and the session's pong are drawn too.
    writeln!(writer, "0012000400020000").unwrap();
    common::read_line(&mut reader);
    common::read_line(&mut reader);
    writeln!(writer, "open_channel").unwrap();
    writer.flush().unwrap();
    loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "the session closed"
        );
        if line.contains("<- node: accept_channel (type 33") {
            break;
        }
    }
    // Drawn from the node's side: the session's side sent open_channel, the node
    // answered accept_channel. Trace was never on.
    let mut lines = diagram(&mut shell, "diagram #1");
    // The shell prints the session's pasted ping (its field table) as an event, which
    // can arrive just before the picture: the picture starts at its lanes' line.
    if let Some(head) = lines
        .iter()
        .position(|l| l.trim_start().starts_with("this node"))
    {
        lines.drain(..head);
    }
    assert!(lines[0].contains(&side[..8]), "{}", lines.join("\n"));
    in_order(
        &lines,
        &[
            ("<-", "ping"),
            ("->", "pong"),
            ("<-", "open_channel"),
            ("->", "accept_channel minimum_depth"),
        ],
    );
}
