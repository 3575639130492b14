//! The same sequence diagram as [`super::diagram`], as a picture for a browser:
//! a standalone SVG (`diagram --svg FILE`) and a self-contained HTML page
//! (`diagram --html FILE`) with every message's field table under the picture.
//!
//! Both are written from the same [`Picture`] the terminal drawing uses, so the
//! three never disagree about what was said, in which order, in which
//! direction. The SVG needs nothing but itself: no script, no font file, no
//! network. Each arrow carries a `<title>` with the decoder's one-line summary,
//! which a browser shows on hover; the HTML page adds the full table for each
//! message, anchored from its arrow.
//!
//! Every piece of text from the wire (an `error`'s data, a node alias) is
//! escaped here: a peer's bytes never become markup.

use std::fmt::Write as _;

use super::diagram::{elapsed, is_alarm, label, Group, Picture};
use crate::events::Direction;
use crate::wire::{self, render};

/// Pixels left of the first lane, for the times.
const LEFT: usize = 90;
/// Pixels between two lanes.
const LANE_GAP: usize = 300;
/// Pixels above the first arrow, for the lane names.
const TOP: usize = 60;
/// Pixels from one arrow to the next.
const STEP: usize = 34;

/// Text safe inside an XML element or attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 has no place for other control characters.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The colour of a message group, the same families as the terminal's.
fn colour(g: Group) -> &'static str {
    match g {
        Group::Setup => "#0e7c86",
        Group::Channel => "#2e7d32",
        Group::Commitment => "#b26a00",
        Group::Gossip => "#8e24aa",
    }
}

/// The x of lane `i`'s line.
fn lane_x(i: usize) -> usize {
    LEFT + 40 + i * LANE_GAP
}

/// The picture as a standalone SVG document. `link` makes each arrow a link to
/// `#m<n>` (the HTML page's tables).
fn svg_with(picture: &Picture, link: bool) -> String {
    let lanes = picture.lanes.len().max(2);
    let width = lane_x(lanes - 1) + 80;
    let height = TOP + STEP * (picture.arrows.len() + 1) + 20 * picture.notes.len() + 20;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="monospace" font-size="13">"#
    );
    out.push_str(
        r#"<title>lnshell: a conversation, drawn from the messages that went over the wire</title>"#,
    );
    out.push_str(r#"<defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="context-stroke"/></marker></defs>"#);
    out.push_str(r#"<rect width="100%" height="100%" fill="white"/>"#);
    let bottom = TOP + STEP * picture.arrows.len() + 10;
    for (i, name) in picture.lanes.iter().enumerate() {
        let x = lane_x(i);
        let _ = write!(
            out,
            r##"<text class="lane" x="{x}" y="{}" text-anchor="middle" font-weight="bold">{}</text><line class="lane" x1="{x}" y1="{}" x2="{x}" y2="{bottom}" stroke="#555" stroke-width="1"/>"##,
            TOP - 28,
            escape(name),
            TOP - 16,
        );
    }
    let start = picture.arrows.iter().find_map(|a| a.at);
    for (n, a) in picture.arrows.iter().enumerate() {
        let d = wire::decode_bytes(&a.bytes, wire::DecodeOptions { ldk_check: false });
        let y = TOP + STEP * n + 14;
        let (from, to) = match a.direction {
            Direction::Inbound => (lane_x(a.lane), lane_x(0)),
            Direction::Outbound => (lane_x(0), lane_x(a.lane)),
        };
        let alarm = is_alarm(&d);
        let stroke = if alarm {
            "#c62828"
        } else {
            colour(Group::of(d.msg_type))
        };
        let group = Group::of(d.msg_type).name();
        if link {
            let _ = write!(out, r##"<a href="#m{n}">"##);
        }
        let _ = write!(
            out,
            r#"<g class="arrow {group}{}"><title>{}</title>"#,
            if alarm { " alarm" } else { "" },
            escape(&d.summary())
        );
        if let (Some(at), Some(start)) = (a.at, start) {
            let t = at.duration_since(start).unwrap_or_default();
            let _ = write!(
                out,
                r##"<text class="time" x="{}" y="{}" text-anchor="end" fill="#777">{}</text>"##,
                LEFT,
                y + 4,
                elapsed(t)
            );
        }
        let _ = write!(
            out,
            r#"<line class="arrow" x1="{from}" y1="{y}" x2="{to}" y2="{y}" stroke="{stroke}" stroke-width="{}" marker-end="url(#head)"/>"#,
            if alarm { 2.5 } else { 1.5 }
        );
        let mid = (from + to) / 2;
        let _ = write!(
            out,
            r#"<text class="label" x="{mid}" y="{}" text-anchor="middle" fill="{stroke}">{}</text></g>"#,
            y - 5,
            escape(&label(&d))
        );
        if link {
            out.push_str("</a>");
        }
    }
    for (i, note) in picture.notes.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text class="note" x="10" y="{}" fill="#555">{}</text>"##,
            bottom + 24 + 20 * i,
            escape(note)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// The picture as a standalone SVG document (`diagram --svg FILE`).
pub fn svg(picture: &Picture) -> String {
    svg_with(picture, false)
}

/// A self-contained page: the SVG, then each message's full field table, with
/// each arrow linking to its table (`diagram --html FILE`).
pub fn html(picture: &Picture) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>lnshell: a conversation</title>\
         <style>body{font-family:monospace;margin:2em}pre{background:#f6f6f6;padding:1em;overflow-x:auto}\
         h2{font-size:1em;margin-top:2em}</style></head><body>\n<h1>A conversation, as it went over the wire</h1>\n",
    );
    out.push_str(&svg_with(picture, true));
    for (n, a) in picture.arrows.iter().enumerate() {
        let d = wire::decode_bytes(&a.bytes, wire::DecodeOptions { ldk_check: false });
        let (from, to) = match a.direction {
            Direction::Inbound => (
                &picture.lanes[a.lane.min(picture.lanes.len() - 1)],
                &picture.lanes[0],
            ),
            Direction::Outbound => (
                &picture.lanes[0],
                &picture.lanes[a.lane.min(picture.lanes.len() - 1)],
            ),
        };
        let _ = write!(
            out,
            "<h2 id=\"m{n}\">{}. {} &#8594; {}: {}</h2>\n<pre>{}</pre>\n",
            n + 1,
            escape(from),
            escape(to),
            escape(&d.summary()),
            escape(&render::text(
                &d,
                &render::RenderOptions {
                    full: true,
                    width: None
                }
            ))
        );
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::diagram::Arrow;

    #[test]
    fn text_from_the_wire_is_escaped() {
        assert_eq!(
            escape("<a & 'b'>\u{1}"),
            "&lt;a &amp; &#39;b&#39;&gt;\u{fffd}"
        );
        let mut error = hex::decode("0011").unwrap();
        error.extend([0u8; 32]);
        let data = b"</svg><script>x</script>";
        error.extend((data.len() as u16).to_be_bytes());
        error.extend(data);
        let picture = Picture {
            lanes: vec!["this node".into(), "peer <1>".into()],
            arrows: vec![Arrow {
                at: None,
                lane: 1,
                direction: Direction::Inbound,
                bytes: error,
            }],
            notes: vec!["a & b".into()],
        };
        for page in [svg(&picture), html(&picture)] {
            assert!(!page.contains("<script>"), "{page}");
            assert!(page.contains("peer &lt;1&gt;"));
            assert!(page.contains("a &amp; b"));
        }
    }
}
