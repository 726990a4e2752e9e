//! `relais run` with a `[matrix]` section: the Matrix bot on its async runtime until Ctrl-C or
//! SIGTERM, or, in a build without the `matrix` feature, a refusal saying how to build it. Part
//! of the binary, not the library.

#[cfg(not(feature = "matrix"))]
use anyhow::bail;
#[cfg(feature = "matrix")]
use anyhow::Context;
use anyhow::Result;
use relais::app::App;
use relais::config;
#[cfg(feature = "matrix")]
use relais::platform::matrix::{Credentials, MatrixOptions, StorePassphrase};

/// Without the `matrix` feature, a `[matrix]` section cannot be served: says how to build it.
#[cfg(not(feature = "matrix"))]
pub fn run_matrix(_app: &App, _matrix: &config::Matrix) -> Result<()> {
    bail!(
        "this build of Relais has no Matrix adapter (built without the `matrix` feature): build it with \
         `cargo build --release` (every platform is on by default), or remove the [matrix] section"
    )
}

/// Runs the Matrix bot until Ctrl-C or SIGTERM.
#[cfg(feature = "matrix")]
pub fn run_matrix(app: &App, matrix: &config::Matrix) -> Result<()> {
    let credentials = Credentials::from_env(matrix, |name| std::env::var(name).ok());
    let store_passphrase = StorePassphrase::from_env(matrix, |name| std::env::var(name).ok())?;
    // One thread: the adapter handles events in order and its sends are I/O; matrix-sdk's
    // SQLite work goes to the blocking pool. Threads handing work to each other cost more.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let options = MatrixOptions {
        claim_reactions: matrix.claim_reactions.clone(),
        ignored_users: matrix.ignored_users.clone(),
        store_passphrase,
        ..MatrixOptions::default()
    };
    runtime.block_on(relais::platform::matrix::run(
        app,
        matrix,
        &options,
        credentials,
        shutdown_requested(),
    ))?;
    Ok(())
}

/// Completes on Ctrl-C or (on Unix) SIGTERM.
#[cfg(feature = "matrix")]
async fn shutdown_requested() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM; stop with Ctrl-C");
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("stopping");
}
