//! What the `relais` binary writes: log set-up (filters, colours, known-benign library events left
//! out) and standard output that a closed pipe cannot crash. Part of the binary, not the library.

use relais::config::LogFormat;
use relais::platform::log_filter::BenignEvents;
use std::io::IsTerminal;

/// Whether `error` comes from writing to a pipe whose reader has gone.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Writes `text` and a newline to standard output; an error (a closed pipe) is returned, where
/// `println!` would panic.
pub fn print_line(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()
}

/// Logs go to standard error as text or JSON lines; `RUST_LOG` sets the level (default: `default_filter`).
/// Known-benign library events are left out ([`BenignEvents`]): an ERROR line means something is wrong.
pub fn init_logging(format: LogFormat, default_filter: &str) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| default_filter.into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(log_colours())
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.finish().with(BenignEvents::default()).try_init(),
        LogFormat::Json => builder.json().finish().with(BenignEvents::default()).try_init(),
    };
}

/// Colours in log lines only for someone reading a terminal: never in a file or the journal, nor
/// when `NO_COLOR` is set to anything but the empty string (<https://no-color.org>).
fn log_colours() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

/// Default log filter of the report and `check-config`: warnings only.
pub const QUIET_LOGS: &str = "warn";
/// Default log filter of the demo: errors only, so that its transcript on the same terminal stays
/// readable (`RUST_LOG=warn` shows the warnings too).
pub const DEMO_LOGS: &str = "error";
/// Default log filter of the bot: what Relais does (logins, joins, retries), warnings of libraries.
pub const BOT_LOGS: &str = "warn,relais=info";
