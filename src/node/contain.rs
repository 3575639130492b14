//! A panic stays in its task.
//!
//! Every connection runs on a task of its own, and so do the node's timer, event loop
//! and matcher. A panic there is a bug, but it must not take the shell with it, leave a
//! ghost in `peers`, or pass in silence. So each of those tasks runs inside
//! [`contained`]: a panic while polling it is caught at that boundary
//! (`catch_unwind` around each poll), the task's own values are dropped as the stack
//! unwinds (its [`Registration`](super::peers::Registration) leaves the registry, a
//! netcat session's side leaves the node), a lightning peer is disconnected in LDK,
//! and [`Event::TaskPanicked`] reports it once, with the panic's message and place.
//!
//! Rust's default panic hook would print that message to stderr as well, with a
//! "note: run with `RUST_BACKTRACE=1`" line, before the event says it again: the hook
//! [`install_hook`] sets keeps the message (and place) for the boundary instead, for
//! panics inside a boundary only; any other panic is printed as before.
//!
//! **Test only**: `LNSHELL_TEST_PANIC=netcat|peer|side`, read once when the node
//! starts, makes the first task of that kind to reach its spot panic (once per shell):
//! `netcat` a netcat session on its first line, `peer` a lightning connection once
//! its `init` is done, `side` a session's own node ("your side") when the node's first
//! message reaches it. It exists for `tests/panic.rs`; unset (always, outside tests),
//! nothing from the network can reach it.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once, OnceLock};
use std::task::{Context, Poll};

use bitcoin::secp256k1::PublicKey;
use tokio::sync::watch;

use super::shared::Shared;
use crate::events::{Event, EventSender, PanickedTask};

/// The environment variable of the test-only hook.
pub const TEST_PANIC_ENV: &str = "LNSHELL_TEST_PANIC";

/// Where the test-only hook can make a task panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    /// A netcat session, on its first line.
    Netcat,
    /// A lightning connection, once its `init` is done.
    Peer,
    /// A session's own node, when the node's first message reaches it.
    Side,
}

impl Site {
    /// The word `LNSHELL_TEST_PANIC` takes for it.
    pub fn name(self) -> &'static str {
        match self {
            Site::Netcat => "netcat",
            Site::Peer => "peer",
            Site::Side => "side",
        }
    }
}

static ARMED: OnceLock<Option<Site>> = OnceLock::new();
static FIRED: AtomicBool = AtomicBool::new(false);

/// Reads [`TEST_PANIC_ENV`] (once per process) and installs the panic hook.
pub(crate) fn init() {
    ARMED.get_or_init(|| {
        let word = std::env::var(TEST_PANIC_ENV).ok()?;
        [Site::Netcat, Site::Peer, Site::Side]
            .into_iter()
            .find(|s| s.name() == word)
    });
    install_hook();
}

/// The test-only hook: panics if [`TEST_PANIC_ENV`] names `site` and it has not
/// fired yet in this shell.
pub(crate) fn test_panic(site: Site) {
    if ARMED.get().copied().flatten() == Some(site) && !FIRED.swap(true, Ordering::Relaxed) {
        panic!(
            "{TEST_PANIC_ENV}={}: a panic forced for a test",
            site.name()
        );
    }
}

thread_local! {
    /// Set while a contained task is being polled on this thread.
    static INSIDE: Cell<bool> = const { Cell::new(false) };
    /// The message and place of the panic the hook saw inside a boundary.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Chains a hook before the one already set (Rust's default): a panic inside a
/// boundary is kept for the boundary to report; any other goes to the old hook.
pub fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if INSIDE.with(Cell::get) {
                let place = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                let text = format!("{}{place}", payload_text(info.payload()));
                CAUGHT.with(|c| *c.borrow_mut() = Some(text));
            } else {
                previous(info);
            }
        }));
    });
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// A future that turns a panic in `inner` into `Err(message)`.
struct CatchUnwind<F> {
    inner: Pin<Box<F>>,
}

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let was = INSIDE.with(|i| i.replace(true));
        let inner = self.inner.as_mut();
        let polled = panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx)));
        INSIDE.with(|i| i.set(was));
        match polled {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Err(payload) => {
                let text = CAUGHT
                    .with(|c| c.borrow_mut().take())
                    .unwrap_or_else(|| payload_text(&*payload));
                Poll::Ready(Err(text))
            }
        }
    }
}

/// Runs `fut` (a connection's task); if it panics, reports it once as `task`, and
/// disconnects the peer in LDK if `node_id` (the connection's) is known by then.
pub(crate) async fn contained<F: Future<Output = ()>>(
    shared: &Arc<Shared>,
    task: PanickedTask,
    node_id: Option<watch::Receiver<Option<PublicKey>>>,
    fut: F,
) {
    let caught = CatchUnwind {
        inner: Box::pin(fut),
    }
    .await;
    if let Err(message) = caught {
        // The task's registration left the registry as its stack unwound; LDK still
        // holds a lightning peer until told (its socket task is its own).
        if let Some(id) = node_id.and_then(|rx| *rx.borrow()) {
            shared.peer_manager.disconnect_by_node_id(id);
        }
        let _ = shared.events.send(Event::TaskPanicked { task, message });
    }
}

/// [`contained`] for a background task of the node, named `name` in the report.
pub(crate) async fn contained_background<F: Future<Output = ()>>(
    events: EventSender,
    name: &'static str,
    fut: F,
) {
    if let Err(message) = (CatchUnwind {
        inner: Box::pin(fut),
    })
    .await
    {
        let _ = events.send(Event::TaskPanicked {
            task: PanickedTask::Background(name),
            message,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_in_a_contained_future_is_its_message_and_place() {
        install_hook();
        let caught = CatchUnwind {
            inner: Box::pin(async {
                tokio::task::yield_now().await;
                panic!("boom");
            }),
        }
        .await;
        let text = caught.unwrap_err();
        assert!(text.starts_with("boom at src/node/contain.rs:"), "{text}");
        let fine = CatchUnwind {
            inner: Box::pin(async { 7 }),
        }
        .await;
        assert_eq!(fine, Ok(7));
    }

    #[test]
    fn the_hook_is_armed_by_nothing_by_default() {
        // No LNSHELL_TEST_PANIC in the unit tests' environment: no site fires.
        if std::env::var(TEST_PANIC_ENV).is_err() {
            ARMED.get_or_init(|| None);
            test_panic(Site::Netcat);
            test_panic(Site::Peer);
            test_panic(Site::Side);
        }
    }
}
