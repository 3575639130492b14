//! TEMPORARY stand-in for the wire module while it is being written.
pub mod features {
    pub fn describe(be: &[u8]) -> Vec<String> {
        let n = be.len() * 8;
        (0..n)
            .filter(|b| be[be.len() - 1 - b / 8] & (1 << (b % 8)) != 0)
            .map(|b| format!("bit {b}"))
            .collect()
    }
}
pub mod catalog {
    pub fn message_names() -> Vec<&'static str> {
        vec!["ping", "pong", "init"]
    }
}
pub mod example {
    pub fn example(_n: &str, _net: bitcoin::Network) -> Result<Vec<u8>, String> {
        Err("todo".into())
    }
}
pub mod encode {
    pub fn encode(
        _n: &str,
        _a: &[(String, String)],
        _net: bitcoin::Network,
    ) -> Result<Vec<u8>, String> {
        Err("todo".into())
    }
}
#[derive(Clone, Copy, Debug)]
pub struct DecodeOptions {
    pub ldk_check: bool,
}
pub struct Decoded {
    pub msg_type: Option<u16>,
    pub size: usize,
    pub errors: Vec<String>,
}
impl Decoded {
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
    pub fn summary(&self) -> String {
        match self.msg_type {
            Some(t) => format!("type {t}, {} bytes", self.size),
            None => format!("error: {}", self.errors.join("; ")),
        }
    }
}
pub fn decode_hex(s: &str, _o: DecodeOptions) -> Decoded {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect();
    match hex::decode(clean.trim_start_matches("0x")) {
        Ok(b) if b.len() >= 2 => Decoded {
            msg_type: Some(u16::from_be_bytes([b[0], b[1]])),
            size: b.len(),
            errors: vec![],
        },
        Ok(_) => Decoded {
            msg_type: None,
            size: 0,
            errors: vec!["too short".into()],
        },
        Err(e) => Decoded {
            msg_type: None,
            size: 0,
            errors: vec![format!("not hex: {e}")],
        },
    }
}
pub mod render {
    pub struct RenderOptions {
        pub full: bool,
    }
    pub fn text(d: &super::Decoded, _o: &RenderOptions) -> String {
        d.summary()
    }
    pub fn json(d: &super::Decoded) -> serde_json::Value {
        serde_json::json!({"type": d.msg_type, "errors": d.errors})
    }
}
