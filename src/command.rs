//! Parsing a line into a [`Command`]: one parser for the REPL, `--exec` and piped
//! stdin, so the three can never disagree about what a line means.
//!
//! The help text lives here too, in `COMMANDS`, beside the grammar it describes.
//!
//! This is the shell's language, and it sits below everyone who speaks it: the
//! executor (`shell`) takes a [`Command`], the prompt (`repl`) parses lines into
//! one and completes its words. It used to live inside `repl`, so `shell`
//! imported `repl` and `repl` imported `shell`; here it imports neither (it needs
//! only `std`, the key type and `wire`'s peer address), and every import points
//! down to it.

use std::path::PathBuf;
use std::str::FromStr;

use bitcoin::secp256k1::PublicKey;

use crate::wire::address::PeerAddress;

/// A parsed command, ready for [`crate::shell::Shell::execute`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `help [command]`
    Help(Option<String>),
    /// `info [--json]`
    Info {
        /// Print JSON.
        json: bool,
    },
    /// `peers [--json]`
    Peers {
        /// Print JSON.
        json: bool,
    },
    /// `listen`, `listen <port|addr>`, `listen stop <port|addr>`
    Listen(ListenCommand),
    /// `connect <node_id>@<host>:<port>`
    Connect {
        /// Who we expect at the address.
        node_id: PublicKey,
        /// Where: an IP address, a DNS name or an onion service.
        addr: PeerAddress,
    },
    /// `socks5 [--json] <host>:<port>`: what `connect` would send a SOCKS5 proxy.
    Socks5 {
        /// Where the proxy would be asked to go.
        target: PeerAddress,
        /// Print JSON.
        json: bool,
    },
    /// `disconnect <#n|node_id>`
    Disconnect(PeerRef),
    /// `decode [--json] [--full] <hex>` or `decode --file PATH [--json]`
    Decode(DecodeCommand),
    /// `encode <message> [field=value ...]`
    Encode {
        /// Message name, e.g. `open_channel`.
        name: String,
        /// `field=value` pairs.
        assignments: Vec<(String, String)>,
    },
    /// `example [message]`
    Example(Option<String>),
    /// `log [lines]`
    Log(usize),
    /// `trace [on|full|off] [peer]`, `trace save FILE [peer]`
    Trace(TraceCommand),
    /// `diagram [#n|node_id ...] [--last N] [--file FILE]`
    Diagram(DiagramCommand),
    /// `openchannel <peer> <sats> [push_msat]`
    OpenChannel {
        /// A connected lightning peer.
        peer: PeerRef,
        /// Channel capacity.
        sats: u64,
        /// Amount given to the peer at open.
        push_msat: u64,
    },
    /// `channels [--json]`
    Channels {
        /// Print JSON.
        json: bool,
    },
    /// `closechannel <channel_id>`
    CloseChannel(String),
    /// `forceclose <channel_id>`
    ForceClose(String),
    /// `respond <hex of an open_channel>`
    Respond(String),
    /// `mine [n]`
    Mine(u32),
    /// `chain [--json]`
    Chain {
        /// Print JSON.
        json: bool,
    },
    /// `confirm <tx hex>`
    Confirm(String),
    /// `keysend <peer> <msat>`
    Keysend {
        /// Who to pay (over a usable channel).
        peer: PeerRef,
        /// How much.
        amount_msat: u64,
    },
    /// `events [brief|full]`: how netcat sessions' messages print in the shell.
    Events(EventsCommand),
    /// `lessons`
    Lessons,
    /// `lessons reset`
    LessonsReset,
    /// `lesson [<n>|next] [answers]`
    Lesson(Vec<String>),
    /// `quit` / `exit`
    Quit,
}

/// What `trace` should do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceCommand {
    /// Show whether tracing is on.
    Show,
    /// One line per message (`full`: the whole field table), for one peer or all.
    On {
        /// Whole field tables.
        full: bool,
        /// Only this peer.
        peer: Option<PeerRef>,
    },
    /// Stop tracing.
    Off,
    /// Each message drawn as an arrow, as it goes by, for one peer or all.
    Diagram {
        /// Only this peer.
        peer: Option<PeerRef>,
    },
    /// Write the record (of one peer, or all) as JSON Lines.
    Save {
        /// Where.
        path: PathBuf,
        /// Only this peer.
        peer: Option<PeerRef>,
    },
}

/// What `events` should do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventsCommand {
    /// Say how events print now.
    Show,
    /// One line per message a netcat session receives.
    Brief,
    /// The whole field table per message (the default).
    Full,
}

/// What `diagram` should draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagramCommand {
    /// The peers (none: every peer in the record).
    pub peers: Vec<PeerRef>,
    /// Only the last N messages.
    pub last: Option<usize>,
    /// A file saved by `trace save` instead of the record.
    pub file: Option<PathBuf>,
    /// Write the picture as a standalone SVG here instead of drawing it.
    pub svg: Option<PathBuf>,
    /// Write a self-contained HTML page (the SVG and every message's table) here.
    pub html: Option<PathBuf>,
}

/// What `listen` should do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListenCommand {
    /// Show the listeners.
    Show,
    /// Start one more.
    Start(String),
    /// Stop one.
    Stop(String),
}

/// A connection named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeerRef {
    /// `#3` (or `3`): a connection id from `peers`.
    Id(u64),
    /// A lightning peer's node id.
    NodeId(PublicKey),
}

/// What to decode and how to print it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeCommand {
    /// Hex on the line, or a file of lines.
    pub input: DecodeInput,
    /// JSON (JSON Lines for a file) instead of text.
    pub json: bool,
    /// Do not shorten long raw hex.
    pub full: bool,
}

/// Where `decode` reads from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeInput {
    /// The hex given on the line.
    Hex(String),
    /// One message per line of a file.
    File(PathBuf),
}

/// A line the parser could not make sense of. The text says what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

/// One command's help entry.
pub(crate) struct CommandHelp {
    /// The command word.
    pub name: &'static str,
    /// Its synopsis.
    pub usage: &'static str,
    /// One line.
    pub summary: &'static str,
    /// The rest of `help <name>`.
    pub details: &'static str,
}

/// Every command, in the order `help` lists them.
pub(crate) const COMMANDS: &[CommandHelp] = &[
    CommandHelp {
        name: "info",
        usage: "info [--json]",
        summary: "this node: node id, network, listeners, connection counts, data dir",
        details: "Your node id is what another node needs (with an address) to `connect` to you.\n\
                  --json prints {\"node_id\", \"network\", \"listening\": [..], \"peers\": {\"lightning\", \"netcat\"}, \"data_dir\"}.",
    },
    CommandHelp {
        name: "listen",
        usage: "listen [<port|addr> | stop <port|addr>]",
        summary: "show, start or stop listeners",
        details: "A listener accepts both kinds of client on one port: a BOLT 8 peer (its first byte is 0x00,\n\
                  the start of act one) goes to LDK's PeerManager; anything else is a plaintext netcat session.\n\
                  `listen 9736` listens on 127.0.0.1:9736; `listen 0.0.0.0:9736` on every interface (anyone who\n\
                  can reach this machine can then connect). Port 0 picks a free port.",
    },
    CommandHelp {
        name: "peers",
        usage: "peers [--json]",
        summary: "every live connection: lightning peers and netcat sessions",
        details: "Columns: id (#n, for `disconnect`), kind (lightning/netcat), direction (in/out), remote address,\n\
                  node id and init features (lightning, once the handshake is done), time connected, lines received\n\
                  (netcat). --json prints an array of {\"id\", \"kind\", \"direction\", \"address\", \"node_id\",\n\
                  \"features\", \"connected_secs\", \"received\", \"guest\"}.\n\
                  A guest is an inbound peer that came when LDK's ChannelManager already had 250 peers without\n\
                  channels (its limit): lnshell holds the connection itself, and the peer can ping and gossip; its\n\
                  open_channel is handed to LDK if there is room by then, and answered with an error if not.",
    },
    CommandHelp {
        name: "connect",
        usage: "connect <node_id>@<host>:<port>",
        summary: "open a BOLT 8 connection to another node and exchange init",
        details: "Waits until the BOLT 8 handshake and the init exchange are done (or 10 s), then shows the peer's\n\
                  init features. The node id is not optional: act one is encrypted to it, so BOLT 8 cannot start\n\
                  without knowing who should answer. Another lnshell prints its node id at start and in `info`.\n\
                  The address: IPv4 (127.0.0.1:9736), IPv6 in brackets ([::1]:9736), a DNS name (localhost:9736:\n\
                  each address it resolves to is tried in turn), or a Tor v3 onion service (<56 base32\n\
                  characters>.onion:9735), which goes through the SOCKS5 proxy of --proxy 127.0.0.1:9050 with\n\
                  fresh credentials each time (stream isolation). With --always-use-proxy every address does.\n\
                  `socks5 <host>:<port>` shows the bytes the proxy would get.",
    },
    CommandHelp {
        name: "socks5",
        usage: "socks5 [--json] <host>:<port>",
        summary: "the bytes `connect` would send a SOCKS5 proxy (Tor) for this address, annotated",
        details: "Sends nothing: it lays out the exchange (RFC 1928, RFC 1929) field by field, as `decode` does a\n\
                  message: the greeting, the username/password (random, new for every connection, so Tor gives each\n\
                  its own circuit), the CONNECT request (an onion or DNS name goes as a domain name, address type 3,\n\
                  never resolved on this machine), and what a proxy that agrees answers. Useful without Tor.\n\
                  --json prints {\"target\", \"proxy\", \"steps\": [{\"from\", \"name\", \"hex\", \"fields\": [{\"name\", \"hex\"}]}]}.",
    },
    CommandHelp {
        name: "disconnect",
        usage: "disconnect <#n|node_id>",
        summary: "close a connection (ids from `peers`)",
        details: "Closes a netcat session or a lightning peer by its #id, or a lightning peer by its node id.",
    },
    CommandHelp {
        name: "decode",
        usage: "decode [--json] [--full] <hex> | --file PATH",
        summary: "explain a BOLT message byte by byte (a line of bare hex does the same)",
        details: "Input is type (2 bytes, big-endian) || payload, as inside a BOLT 8 frame; case, 0x, spaces and\n\
                  colons do not matter. Example: `decode 0012000400020000` (a ping). --full shows long fields whole;\n\
                  --json prints one JSON object. --file decodes one message per line: bare hex, a node's log\n\
                  (Core Lightning's `[IN]`/`[OUT]` io lines, timestamps, peer ids, 0x), JSON log entries, or all of\n\
                  `lightning-cli getlog io`; direction, time and peer are kept. Lines with no message are counted\n\
                  and skipped (blank lines and # comments are not counted); text ends with a summary; with --json,\n\
                  one JSON object per line. Outside the shell: `lnshell decode` (no node).",
    },
    CommandHelp {
        name: "encode",
        usage: "encode <message> [field=value ...]",
        summary: "build a message's hex from field values (defaults for the rest)",
        details: "Example: `encode ping num_pong_bytes=4`. Omitted fields get sensible defaults: valid keys, this\n\
                  node's chain_hash, placeholder signatures. The result decodes cleanly and can be pasted into nc.",
    },
    CommandHelp {
        name: "example",
        usage: "example [message]",
        summary: "a ready-to-paste example of a message (or the list of messages)",
        details: "`example open_channel` prints valid hex for open_channel; `example` alone lists every message name.",
    },
    CommandHelp {
        name: "diagram",
        usage: "diagram [#n|node_id ...] [--last N] [--file FILE] [--svg FILE] [--html FILE]",
        summary: "draw the conversation with a peer as a sequence diagram",
        details: "One lane for this node and one for each peer named (every peer in the record if none is), one\n\
                  arrow per message in the order they went, pointing the way it went, labelled with its name and\n\
                  key values; the time since the first message drawn is on the left; errors and warnings are drawn\n\
                  with = and a !. Colour by group (setup, channel, commitment, gossip) on a colour terminal, plain\n\
                  ASCII anywhere else; it fits $COLUMNS, shortening labels. --last N draws the last N messages;\n\
                  --file FILE draws a file written by `trace save` (or any log `decode --file` reads whose lines\n\
                  say the direction). --svg FILE writes the picture as a standalone SVG (hover an arrow for its\n\
                  summary), --html FILE a page with the SVG and every message's field table; both open offline.\n\
                  It draws what `trace` sees: not a BOLT 8 peer's ping/pong or warnings, nor our init.",
    },
    CommandHelp {
        name: "trace",
        usage: "trace [on|full|diagram] [#n|node_id] | trace off | trace save FILE [#n|node_id]",
        summary: "show every message to and from lightning peers as it happens; save the record",
        details: "`trace on` prints one line per message (direction, peer, name, key fields); `trace full` the whole\n\
                  field table; `trace diagram` draws each message as an arrow between this node's lane and the\n\
                  peer's; add a peer (#n or node id) to follow only that one; `trace off` stops, for every peer\n\
                  (it takes no peer: to follow fewer peers, `trace on #n` follows just that one).\n\
                  Trace on or off, the node keeps a record of every conversation (the last 512 messages a peer,\n\
                  20000 in all; `diagram` says when older ones were dropped). `trace save FILE` writes it as JSON\n\
                  Lines, one message a line: {\"direction\", \"hex\", \"name\", \"peer\", \"time\", \"type\"}; `decode --file FILE`\n\
                  decodes it and `diagram --file FILE` draws it, in this shell or another.\n\
                  LDK hands out no raw bytes, so lnshell stands between LDK's PeerManager and its handlers and\n\
                  re-encodes each typed message. What it cannot see: ping/pong (answered inside PeerManager),\n\
                  warnings from the peer (PeerManager only logs them; see `log`), our own init (built inside\n\
                  PeerManager), and gossip LDK relays by itself.",
    },
    CommandHelp {
        name: "openchannel",
        usage: "openchannel <#n|node_id> <sats> [push_msat]",
        summary: "open a channel to a connected peer, up to \"pending\"",
        details: "Runs open_channel -> accept_channel -> funding_created -> funding_signed with LDK's ChannelManager.\n\
                  The funding transaction is built here, spending a made-up input, and goes to the shell's regtest\n\
                  chain after funding_signed: `mine 6` makes the channel ready (the other shell needs it too:\n\
                  `confirm <tx hex>` there, then `mine 6`). `trace on` first to watch the messages.",
    },
    CommandHelp {
        name: "channels",
        usage: "channels [--json]",
        summary: "channels LDK knows: state, capacity, counterparty, funding outpoint",
        details: "--json prints an array of {\"channel_id\", \"state\", \"capacity_sat\", \"counterparty\", \"funding_txo\",\n\
                  \"outbound\", \"balance_msat\", \"inbound_msat\", \"channel_ready\", \"usable\", \"confirmations\",\n\
                  \"confirmations_required\"}. balance_msat and inbound_msat are what the node can send and receive now.",
    },
    CommandHelp {
        name: "closechannel",
        usage: "closechannel <channel_id>",
        summary: "close a channel cooperatively (sends shutdown)",
        details: "A unique prefix of the channel id is enough.",
    },
    CommandHelp {
        name: "forceclose",
        usage: "forceclose <channel_id>",
        summary: "force-close a channel (LDK broadcasts its commitment to the shell's chain)",
        details: "A unique prefix of the channel id is enough.",
    },
    CommandHelp {
        name: "mine",
        usage: "mine [n]",
        summary: "make n blocks (default 1) on the shell's in-memory regtest chain",
        details: "The first block confirms everything in the mempool (`chain` lists it). Every block goes to every\n\
                  LDK ChannelManager and ChainMonitor in the shell, the node's and each netcat session's side, so\n\
                  LDK's own depth rule (minimum_depth, 6 by default) decides when channel_ready goes out: `mine 6`.\n\
                  The chain is the shell's own: no proof of work, no script or input checks, no bitcoind.\n\
                  It starts at height 1: block 1 is made empty at start, because on a young test chain LDK gives every channel's made-up alias (scid_alias) block 1, and a funding confirmed there could take another channel's alias.\n\
                  Like a pruned node it forgets old transactions: it refuses a copy of a confirmed transaction, or a second spend of its outputs, while it is at most 144 blocks deep (a day of blocks), and takes either as new after that.",
    },
    CommandHelp {
        name: "chain",
        usage: "chain [--json]",
        summary: "the shell's regtest chain: height, mempool, recent blocks",
        details: "--json prints {\"network\", \"height\", \"tip\", \"mempool\": [{\"txid\", \"from\", ..}], \"blocks\": [{\"height\", \"hash\", \"confirmed\": [..]}], \"remembered\"}: remembered counts the confirmed transactions the chain still knows (`help mine`).",
    },
    CommandHelp {
        name: "confirm",
        usage: "confirm <tx hex>",
        summary: "put a transaction made elsewhere in the mempool (then `mine`)",
        details: "For a channel between two shells: the funder's shell prints its funding transaction's hex when it\n\
                  broadcasts; paste it here in the other shell, then `mine 6` in both.",
    },
    CommandHelp {
        name: "keysend",
        usage: "keysend <#n|node_id> <msat>",
        summary: "pay a peer msat over a usable channel (a spontaneous payment, BOLT 4 keysend)",
        details: "Needs a usable channel with the peer (`channels`: usable). Then `trace on` shows the commitment\n\
                  dance: update_add_htlc, commitment_signed, revoke_and_ack both ways, update_fulfill_htlc.",
    },
    CommandHelp {
        name: "respond",
        usage: "respond <hex of an open_channel>",
        summary: "what would LDK answer to this open_channel? (accept_channel, or error and why)",
        details: "Feeds the message to a throwaway LDK ChannelManager as if a connected peer had sent it, and shows\n\
                  the reply: the decoded accept_channel, or the error with the rule it broke, in plain words.\n\
                  Try `respond` with `example open_channel`, then change fields with `encode open_channel ...`.",
    },
    CommandHelp {
        name: "events",
        usage: "events [brief|full]",
        summary: "how a netcat session's messages print here: a field table each (full), or one line (brief)",
        details: "Each line pasted into a netcat session is shown here decoded: `events full` (the default) prints\n\
                  its whole field table, as `decode` does; `events brief` one line a message (its name, size and\n\
                  whether it is valid, and the session's answer), for pasting many. `decode` shows any of them in\n\
                  full again. `events` alone says which is on. It lasts until the shell ends.",
    },
    CommandHelp {
        name: "log",
        usage: "log [lines]",
        summary: "the tail of LDK's log file (default 20 lines)",
        details: "LDK logs to lnshell.log in the data dir rather than over your prompt; times are UTC.\n\
                  At 8 MiB the file is set aside as lnshell.log.1 (replacing the one before) and a new one started, so the log never takes more than 16 MiB; `log` reads across both.\n\
                  `respond`'s throwaway ChannelManager logs to respond.log beside it, apart from the node's.",
    },
    CommandHelp {
        name: "lessons",
        usage: "lessons [reset]",
        summary: "the lessons, with your progress (`lessons reset`: start over)",
        details: "The shell notices when you do an exercise (a netcat session, a ping answered, two nodes\n\
                  connected...) and remembers it in progress.txt in the data dir. An exercise counts once\n\
                  its lesson is open (`lesson N`): one done before (the README walkthrough does several) is\n\
                  shown as done before you opened the lesson, and counts when you do it again.\n\
                  `lessons reset` forgets every exercise and opened lesson, and says how many.",
    },
    CommandHelp {
        name: "lesson",
        usage: "lesson [<n>|next] [answers]",
        summary: "show a lesson (`lesson next`: the first with something left to do)",
        details: "`lesson 4` shows lesson 4, paged when longer than the screen ($PAGER, or `less -R -F -X`);\n\
                  events that arrive meanwhile wait and print when the pager is closed. `lesson 4 answers`\n\
                  shows its answers. Showing a lesson opens it: from then on its exercises count (`help lessons`).\n\
                  The lessons are also Markdown files in lessons/.",
    },
    CommandHelp {
        name: "help",
        usage: "help [command]",
        summary: "this list, or one command in detail",
        details: "Tab completes command names, message names and peer ids.",
    },
    CommandHelp {
        name: "quit",
        usage: "quit | exit",
        summary: "disconnect everything, stop listening and leave (Ctrl-D too)",
        details: "Peers are disconnected, listeners stopped and the history saved.",
    },
];

/// Command words, with aliases, for completion and suggestions.
pub(crate) fn command_words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = COMMANDS.iter().map(|c| c.name).collect();
    words.push("exit");
    words
}

/// The shell's prompt without its space: a pasted `lnshell> decode …` runs `decode …`.
const PROMPT_WORD: &str = "lnshell>";

/// Parses one line. `Ok(None)` for a blank line or a `#` comment.
pub fn parse(line: &str) -> Result<Option<Command>, ParseError> {
    let line = line.trim();
    // A line copied from a lesson or the README with its prompt: the prompt is not
    // part of the command.
    let line = line.strip_prefix(PROMPT_WORD).map_or(line, str::trim_start);
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let mut words = line.split_whitespace();
    let Some(head) = words.next() else {
        return Ok(None);
    };
    let rest: Vec<&str> = words.collect();
    let cmd = match head {
        "help" | "?" => Command::Help(rest.first().map(|s| s.to_string())),
        "info" => Command::Info {
            json: json_flag("info", &rest)?,
        },
        "peers" => Command::Peers {
            json: json_flag("peers", &rest)?,
        },
        "listen" => Command::Listen(parse_listen(&rest)?),
        "connect" => parse_connect(&rest)?,
        "socks5" => parse_socks5(&rest)?,
        "disconnect" => parse_disconnect(&rest)?,
        "decode" => Command::Decode(parse_decode(&rest)?),
        "encode" => parse_encode(&rest)?,
        "example" => match rest.as_slice() {
            [] => Command::Example(None),
            [name] => Command::Example(Some(name.to_string())),
            _ => return Err(usage("example")),
        },
        "events" => Command::Events(match rest.as_slice() {
            [] => EventsCommand::Show,
            ["brief"] => EventsCommand::Brief,
            ["full"] => EventsCommand::Full,
            _ => return Err(usage("events")),
        }),
        "log" => match rest.as_slice() {
            [] => Command::Log(20),
            [n] => Command::Log(n.parse().map_err(|_| {
                ParseError(format!(
                    "log takes a number of lines, not {n:?}. Usage: {}",
                    usage_of("log")
                ))
            })?),
            _ => return Err(usage("log")),
        },
        "quit" | "exit" => Command::Quit,
        "lessons" => match rest.as_slice() {
            [] => Command::Lessons,
            ["reset"] => Command::LessonsReset,
            [which] => {
                return Err(ParseError(format!(
                    "`lessons` takes nothing: it lists the lessons. Did you mean `lesson {which}`? \
                     (`lesson` opens one)"
                )))
            }
            _ => return Err(usage("lessons")),
        },
        "lesson" => Command::Lesson(rest.iter().map(|s| s.to_string()).collect()),
        "trace" => Command::Trace(parse_trace(&rest)?),
        "diagram" => Command::Diagram(parse_diagram(&rest)?),
        "openchannel" => parse_open_channel(&rest)?,
        "channels" => Command::Channels {
            json: json_flag("channels", &rest)?,
        },
        "closechannel" => match rest.as_slice() {
            [id] => Command::CloseChannel(id.to_string()),
            _ => return Err(usage("closechannel")),
        },
        "forceclose" => match rest.as_slice() {
            [id] => Command::ForceClose(id.to_string()),
            _ => return Err(usage("forceclose")),
        },
        "mine" => match rest.as_slice() {
            [] => Command::Mine(1),
            [n] => match n.parse::<u32>() {
                Ok(n) if (1..=1000).contains(&n) => Command::Mine(n),
                _ => {
                    return Err(ParseError(format!(
                        "mine takes a number of blocks from 1 to 1000, not {n:?}. Usage: {}",
                        usage_of("mine")
                    )))
                }
            },
            _ => return Err(usage("mine")),
        },
        "chain" => Command::Chain {
            json: json_flag("chain", &rest)?,
        },
        "confirm" => match rest.as_slice() {
            [tx] => Command::Confirm(tx.to_string()),
            _ => return Err(usage("confirm")),
        },
        "keysend" => match rest.as_slice() {
            [peer, msat] => Command::Keysend {
                peer: parse_peer_ref(peer)?,
                amount_msat: msat.replace('_', "").parse().map_err(|_| {
                    ParseError(format!(
                        "msat must be a whole number, not {msat:?}. Usage: {}",
                        usage_of("keysend")
                    ))
                })?,
            },
            _ => return Err(usage("keysend")),
        },
        "respond" => {
            if rest.is_empty() {
                return Err(ParseError(format!(
                    "respond needs an open_channel in hex; try: respond <output of `example open_channel`>. Usage: {}",
                    usage_of("respond")
                )));
            }
            Command::Respond(rest.join(" "))
        }
        _ if looks_like_hex(line) => Command::Decode(DecodeCommand {
            input: DecodeInput::Hex(line.to_string()),
            json: false,
            full: false,
        }),
        _ => return Err(not_for_this_window(line, head).unwrap_or_else(|| unknown_command(head))),
    };
    Ok(Some(cmd))
}

/// True if the line asks for JSON (`--json` among its words): its errors are then
/// printed as JSON too, whether the line parsed or not.
pub fn wants_json(line: &str) -> bool {
    line.split_whitespace().any(|w| w == "--json")
}

/// A line that belongs in a netcat session, or came out of one: a message name
/// (`ping`, which a session sends), or a session's own line (`pong: 0013…`,
/// `<- node: accept_channel … | 0021…`). Such a line gets a pointer, not "unknown
/// command".
fn not_for_this_window(line: &str, head: &str) -> Option<ParseError> {
    let hex_after = |text: &str| {
        text.split_whitespace()
            .last()
            .filter(|w| looks_like_hex(w))
            .map(|w| format!("`decode {w}`"))
            .unwrap_or_else(|| "`decode <its hex>`".to_string())
    };
    if matches!(head, "->" | "<-") && line.contains(" | ") {
        return Some(ParseError(format!(
            "that is a line a netcat session printed (a message to or from the node). To see its message here: {}",
            hex_after(line.rsplit(" | ").next().unwrap_or_default())
        )));
    }
    let name = head.strip_suffix(':').unwrap_or(head);
    crate::wire::catalog::by_name(name)?;
    Some(ParseError(if head.ends_with(':') {
        format!(
            "that is a line a netcat session printed (`{name}: <hex>`, its answer). To see the message here: {}",
            hex_after(line)
        )
    } else {
        format!(
            "`{name}` is a BOLT message, not a command: `example {name}` prints one to paste into `nc` \
             (a netcat session with this shell), and `encode {name} field=value …` builds one"
        )
    }))
}

/// True for a line made only of hex digits (an optional `0x`, spaces, colons):
/// such a line is decoded as if `decode` had been typed.
fn looks_like_hex(line: &str) -> bool {
    // `0x` on the whole line or on each byte (`0x00 0x12`), as the decoder takes it.
    let body = line.replace("0x", "").replace("0X", "");
    body.chars().any(|c| c.is_ascii_hexdigit())
        && body
            .chars()
            .all(|c| c.is_ascii_hexdigit() || matches!(c, ' ' | ':' | '\t' | ','))
        && body.chars().filter(|c| c.is_ascii_hexdigit()).count() >= 4
}

fn usage_of(name: &str) -> &'static str {
    COMMANDS
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.usage)
        .unwrap_or("")
}

fn usage(name: &str) -> ParseError {
    ParseError(format!("usage: {}", usage_of(name)))
}

fn json_flag(name: &str, rest: &[&str]) -> Result<bool, ParseError> {
    match rest {
        [] => Ok(false),
        ["--json"] => Ok(true),
        _ => Err(usage(name)),
    }
}

fn parse_listen(rest: &[&str]) -> Result<ListenCommand, ParseError> {
    match rest {
        [] => Ok(ListenCommand::Show),
        ["stop", addr] => Ok(ListenCommand::Stop(addr.to_string())),
        ["stop"] => Err(ParseError(
            "listen stop needs the address to stop, e.g. `listen stop 127.0.0.1:9736` (see `listen`)".into(),
        )),
        [addr] => Ok(ListenCommand::Start(addr.to_string())),
        _ => Err(usage("listen")),
    }
}

fn parse_connect(rest: &[&str]) -> Result<Command, ParseError> {
    let [target] = rest else {
        return Err(ParseError(format!(
            "usage: {} (e.g. connect 02ab…@127.0.0.1:9736)",
            usage_of("connect")
        )));
    };
    match target.split_once('@') {
        Some((id, addr)) => {
            let node_id = parse_node_id(id)?;
            let addr = addr
                .parse::<PeerAddress>()
                .map_err(|e| ParseError(format!("cannot connect to {addr:?}: {e}")))?;
            Ok(Command::Connect { node_id, addr })
        }
        None if PublicKey::from_str(target).is_ok() => Err(ParseError(format!(
            "connect needs an address too: {target}@<host>:<port> (LDK has no gossip here to look it up)"
        ))),
        None => Err(ParseError(format!(
            "connect needs the node id of whoever listens at {target}: connect <node_id>@{target}. \
             BOLT 8's act one is encrypted to the responder's node id, so no handshake can start without it \
             (that is also how you know you reached the right node). Ask the other shell's `info`."
        ))),
    }
}

fn parse_socks5(rest: &[&str]) -> Result<Command, ParseError> {
    let (json, target) = match rest {
        ["--json", target] | [target, "--json"] => (true, target),
        [target] if !target.starts_with("--") => (false, target),
        _ => {
            return Err(ParseError(format!(
                "usage: {} (e.g. socks5 2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion:9735)",
                usage_of("socks5")
            )))
        }
    };
    let target = target
        .split_once('@')
        .map_or(*target, |(_, addr)| addr)
        .parse::<PeerAddress>()
        .map_err(|e| ParseError(e.to_string()))?;
    Ok(Command::Socks5 { target, json })
}

fn parse_node_id(s: &str) -> Result<PublicKey, ParseError> {
    if s.len() != 66 || !s.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ParseError(format!(
            "{s:?} is not a node id: a node id is a compressed public key, 66 hex characters starting with 02 or 03"
        )));
    }
    PublicKey::from_str(s).map_err(|_| {
        ParseError(format!(
            "{s} is not a valid node id: it is not a point on the secp256k1 curve"
        ))
    })
}

fn parse_peer_ref(target: &str) -> Result<PeerRef, ParseError> {
    let digits = target.strip_prefix('#').unwrap_or(target);
    if let Ok(id) = digits.parse::<u64>() {
        return Ok(PeerRef::Id(id));
    }
    Ok(PeerRef::NodeId(parse_node_id(target)?))
}

fn parse_disconnect(rest: &[&str]) -> Result<Command, ParseError> {
    let [target] = rest else {
        return Err(usage("disconnect"));
    };
    Ok(Command::Disconnect(parse_peer_ref(target)?))
}

fn parse_trace(rest: &[&str]) -> Result<TraceCommand, ParseError> {
    let peer = |p: Option<&&str>| p.map(|t| parse_peer_ref(t)).transpose();
    match rest {
        [] => Ok(TraceCommand::Show),
        ["off"] => Ok(TraceCommand::Off),
        // Tracing follows every peer or one; there is no "all but this one" to
        // stop, so say what `trace off` does instead of a usage line that lists it.
        ["off", _peer] => Err(ParseError(
            "`trace off` takes no peer: it stops tracing every peer. Tracing follows every peer or \
             just one: `trace on #n` follows only #n"
                .into(),
        )),
        ["diagram", more @ ..] if more.len() <= 1 => Ok(TraceCommand::Diagram {
            peer: peer(more.first())?,
        }),
        ["save", path, more @ ..] if more.len() <= 1 => Ok(TraceCommand::Save {
            path: PathBuf::from(path),
            peer: peer(more.first())?,
        }),
        ["on", more @ ..] if more.len() <= 1 => Ok(TraceCommand::On {
            full: false,
            peer: peer(more.first())?,
        }),
        ["full", more @ ..] if more.len() <= 1 => Ok(TraceCommand::On {
            full: true,
            peer: peer(more.first())?,
        }),
        _ => Err(usage("trace")),
    }
}

fn parse_diagram(rest: &[&str]) -> Result<DiagramCommand, ParseError> {
    let mut cmd = DiagramCommand {
        peers: Vec::new(),
        last: None,
        file: None,
        svg: None,
        html: None,
    };
    let mut words = rest.iter();
    while let Some(word) = words.next() {
        match *word {
            "--last" => {
                let n = words.next().ok_or_else(|| usage("diagram"))?;
                cmd.last = Some(n.parse().ok().filter(|&n: &usize| n > 0).ok_or_else(|| {
                    ParseError(format!(
                        "--last takes a number of messages, not {n:?}. Usage: {}",
                        usage_of("diagram")
                    ))
                })?);
            }
            "--file" => {
                let f = words.next().ok_or_else(|| usage("diagram"))?;
                cmd.file = Some(PathBuf::from(f));
            }
            "--svg" => {
                let f = words.next().ok_or_else(|| usage("diagram"))?;
                cmd.svg = Some(PathBuf::from(f));
            }
            "--html" => {
                let f = words.next().ok_or_else(|| usage("diagram"))?;
                cmd.html = Some(PathBuf::from(f));
            }
            w if w.starts_with("--") => return Err(usage("diagram")),
            w => cmd.peers.push(parse_peer_ref(w)?),
        }
    }
    if cmd.file.is_some() && !cmd.peers.is_empty() {
        return Err(ParseError(format!(
            "diagram --file draws the whole file; it takes no peer. Usage: {}",
            usage_of("diagram")
        )));
    }
    Ok(cmd)
}

fn parse_open_channel(rest: &[&str]) -> Result<Command, ParseError> {
    let (peer, sats, push) = match rest {
        [peer, sats] => (peer, sats, None),
        [peer, sats, push] => (peer, sats, Some(push)),
        _ => return Err(usage("openchannel")),
    };
    let number = |what: &str, s: &str| {
        s.replace('_', "").parse::<u64>().map_err(|_| {
            ParseError(format!(
                "{what} must be a whole number, not {s:?}. Usage: {}",
                usage_of("openchannel")
            ))
        })
    };
    Ok(Command::OpenChannel {
        peer: parse_peer_ref(peer)?,
        sats: number("sats", sats)?,
        push_msat: push
            .map(|p| number("push_msat", p))
            .transpose()?
            .unwrap_or(0),
    })
}

fn parse_decode(rest: &[&str]) -> Result<DecodeCommand, ParseError> {
    let mut json = false;
    let mut full = false;
    let mut file = None;
    let mut hex = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        match rest[i] {
            "--json" => json = true,
            "--full" => full = true,
            "--file" => {
                i += 1;
                let path = rest.get(i).ok_or_else(|| {
                    ParseError("decode --file needs a path: decode --file messages.txt".into())
                })?;
                file = Some(PathBuf::from(path));
            }
            flag if flag.starts_with("--") => {
                return Err(ParseError(format!(
                    "decode has no option {flag}. Usage: {}",
                    usage_of("decode")
                )))
            }
            word => hex.push(word),
        }
        i += 1;
    }
    let input = match (file, hex.is_empty()) {
        (Some(path), true) => DecodeInput::File(path),
        (Some(_), false) => {
            return Err(ParseError(
                "decode takes either hex or --file PATH, not both".into(),
            ))
        }
        (None, true) => {
            return Err(ParseError(format!(
                "decode needs a message in hex, e.g. `decode 0012000400020000` (a ping). Usage: {}",
                usage_of("decode")
            )))
        }
        (None, false) => DecodeInput::Hex(hex.join(" ")),
    };
    Ok(DecodeCommand { input, json, full })
}

fn parse_encode(rest: &[&str]) -> Result<Command, ParseError> {
    let Some((name, fields)) = rest.split_first() else {
        return Err(ParseError(format!(
            "encode needs a message name, e.g. `encode ping num_pong_bytes=4`. Usage: {}",
            usage_of("encode")
        )));
    };
    Ok(Command::Encode {
        name: name.to_string(),
        assignments: assignments(fields)?,
    })
}

/// `encode`'s `field=value` words as pairs (also for `lnshell encode`).
pub fn assignments<S: AsRef<str>>(words: &[S]) -> Result<Vec<(String, String)>, ParseError> {
    words
        .iter()
        .map(|f| match f.as_ref().split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(ParseError(format!(
                "{:?} is not field=value (e.g. funding_satoshis=200000)",
                f.as_ref()
            ))),
        })
        .collect()
}

/// The command word closest to `word` (a typo, or the start of one), if any is close.
pub(crate) fn closest_command(word: &str) -> Option<&'static str> {
    crate::wire::suggest::closest(word, command_words())
}

fn unknown_command(word: &str) -> ParseError {
    // What a terminal user types by habit: the line editor does it with a key.
    if matches!(word, "clear" | "cls") {
        return ParseError(format!(
            "unknown command {word:?}: Ctrl-L clears the screen (`help` lists every command)"
        ));
    }
    match closest_command(word) {
        Some(w) => ParseError(format!(
            "unknown command {word:?}. Did you mean `{w}`? (`help` lists every command)"
        )),
        None => ParseError(format!(
            "unknown command {word:?}. `help` lists every command; a line of hex is decoded as a BOLT message"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

    #[test]
    fn clear_points_at_ctrl_l() {
        for word in ["clear", "cls"] {
            let err = parse(word).expect_err("not a command");
            assert!(err.0.contains("Ctrl-L clears the screen"), "{}", err.0);
        }
    }

    #[test]
    fn parses_the_basic_commands() {
        assert_eq!(parse("  ").unwrap(), None);
        assert_eq!(parse("# note").unwrap(), None);
        assert_eq!(
            parse("peers --json").unwrap(),
            Some(Command::Peers { json: true })
        );
        assert_eq!(parse("info").unwrap(), Some(Command::Info { json: false }));
        assert_eq!(
            parse("listen 9736").unwrap(),
            Some(Command::Listen(ListenCommand::Start("9736".into())))
        );
        assert_eq!(
            parse("listen stop 127.0.0.1:9736").unwrap(),
            Some(Command::Listen(ListenCommand::Stop(
                "127.0.0.1:9736".into()
            )))
        );
        assert_eq!(
            parse("disconnect #3").unwrap(),
            Some(Command::Disconnect(PeerRef::Id(3)))
        );
        assert_eq!(parse("exit").unwrap(), Some(Command::Quit));
    }

    #[test]
    fn connect_needs_node_id_and_port() {
        let ok = parse(&format!("connect {ID}@127.0.0.1:9736")).unwrap();
        assert!(
            matches!(ok, Some(Command::Connect { ref addr, .. }) if addr.to_string() == "127.0.0.1:9736")
        );
        let v6 = parse(&format!("connect {ID}@[::1]:9736")).unwrap();
        assert!(matches!(v6, Some(Command::Connect { ref addr, .. }) if addr.is_ipv6()));
        let bare_v6 = parse(&format!("connect {ID}@::1:9736")).unwrap_err();
        assert!(bare_v6.0.contains("[::1]:9736"), "{bare_v6}");
        let v2 = parse(&format!("connect {ID}@expyuzz4wqqyqhjn.onion:9735")).unwrap_err();
        assert!(v2.0.contains("Tor v2"), "{v2}");
        let short = parse(&format!("connect {ID}@abcdef.onion:9735")).unwrap_err();
        assert!(short.0.contains("56 base32 characters"), "{short}");
        let no_id = parse("connect 127.0.0.1:9736").unwrap_err();
        assert!(no_id.0.contains("act one is encrypted"), "{no_id}");
        let no_port = parse(&format!("connect {ID}@127.0.0.1")).unwrap_err();
        assert!(no_port.0.contains("no port"), "{no_port}");
        let bad_id = parse("connect 02zz@127.0.0.1:1").unwrap_err();
        assert!(bad_id.0.contains("not a node id"), "{bad_id}");
    }

    #[test]
    fn socks5_takes_an_address_and_json() {
        let onion = "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion:9735";
        assert!(matches!(
            parse(&format!("socks5 {onion}")).unwrap(),
            Some(Command::Socks5 { ref target, json: false }) if target.is_onion()
        ));
        // The node id of a `connect` line may be left on.
        assert!(matches!(
            parse(&format!("socks5 --json {ID}@{onion}")).unwrap(),
            Some(Command::Socks5 { json: true, .. })
        ));
        assert!(parse("socks5").is_err());
        let bad = parse(&format!("socks5 {}.onion:1", "0".repeat(56))).unwrap_err();
        assert!(bad.0.contains("not base32"), "{bad}");
    }

    #[test]
    fn bare_hex_is_decode() {
        assert!(matches!(
            parse("0012000400020000").unwrap(),
            Some(Command::Decode(DecodeCommand {
                input: DecodeInput::Hex(_),
                ..
            }))
        ));
        assert!(matches!(
            parse("0x00 12 00 04").unwrap(),
            Some(Command::Decode(_))
        ));
        // A command word made of hex letters is still a command.
        assert!(parse("add").is_err());
    }

    #[test]
    fn decode_flags() {
        assert_eq!(
            parse("decode --json --full 0012").unwrap(),
            Some(Command::Decode(DecodeCommand {
                input: DecodeInput::Hex("0012".into()),
                json: true,
                full: true
            }))
        );
        assert_eq!(
            parse("decode --file x.txt").unwrap(),
            Some(Command::Decode(DecodeCommand {
                input: DecodeInput::File("x.txt".into()),
                json: false,
                full: false
            }))
        );
        assert!(parse("decode").is_err());
        assert!(parse("decode --bogus 00").is_err());
    }

    #[test]
    fn channel_commands() {
        assert_eq!(
            parse("openchannel #2 100_000").unwrap(),
            Some(Command::OpenChannel {
                peer: PeerRef::Id(2),
                sats: 100_000,
                push_msat: 0
            })
        );
        assert_eq!(
            parse("trace full #1").unwrap(),
            Some(Command::Trace(TraceCommand::On {
                full: true,
                peer: Some(PeerRef::Id(1))
            }))
        );
        assert_eq!(
            parse("trace off").unwrap(),
            Some(Command::Trace(TraceCommand::Off))
        );
        let e = parse("trace off #3").unwrap_err();
        assert!(e.0.contains("`trace off` takes no peer"), "{e}");
        assert!(
            !usage_of("trace").contains("off] [#n"),
            "{}",
            usage_of("trace")
        );
        assert_eq!(
            parse("events brief").unwrap(),
            Some(Command::Events(EventsCommand::Brief))
        );
        assert_eq!(
            parse("events").unwrap(),
            Some(Command::Events(EventsCommand::Show))
        );
        assert!(parse("events short").is_err());
        assert!(parse("openchannel #2 lots").is_err());
        assert!(parse("respond").is_err());
        assert_eq!(
            parse("channels --json").unwrap(),
            Some(Command::Channels { json: true })
        );
    }

    #[test]
    fn unknown_command_suggests_closest() {
        let e = parse("peer").unwrap_err();
        assert!(e.0.contains("`peers`"), "{e}");
        let e = parse("conect").unwrap_err();
        assert!(e.0.contains("`connect`"), "{e}");
        let e = parse("xyzzy").unwrap_err();
        assert!(e.0.contains("help"), "{e}");
        assert_eq!(closest_command("conect"), Some("connect"));
        assert_eq!(closest_command("xyzzy"), None);
        let e = parse("lessons 3").unwrap_err();
        assert!(e.0.contains("Did you mean `lesson 3`?"), "{e}");
        // A prompt pasted with the command is dropped.
        assert_eq!(parse("lnshell> peers").unwrap(), parse("peers").unwrap());
        assert_eq!(parse("  lnshell>peers").unwrap(), parse("peers").unwrap());
        assert_eq!(parse("lnshell> ").unwrap(), None);
        // Bytes written as code writes them are a line of hex too.
        for line in [
            "0x00 0x12 0x00 0x04",
            "0x00, 0x12, 0x00, 0x04",
            "00,12,00,04",
        ] {
            assert!(
                matches!(parse(line), Ok(Some(Command::Decode(_)))),
                "{line:?}"
            );
        }
        let e = parse("lessons 3").unwrap_err();
        assert!(e.0.contains("Did you mean `lesson 3`?"), "{e}");
    }

    #[test]
    fn every_command_has_help() {
        for w in command_words() {
            assert!(
                COMMANDS.iter().any(|c| c.name == w) || w == "exit",
                "{w} has no help"
            );
        }
    }
}
