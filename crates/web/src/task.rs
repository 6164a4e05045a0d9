//! Blocking work (the store's database calls) run off the async runtime, on tokio's
//! blocking pool.

/// A blocking task that did not finish: it panicked, or the runtime is shutting down.
#[derive(Debug, thiserror::Error)]
#[error("a background task failed: {0}")]
pub struct TaskFailed(#[from] tokio::task::JoinError);

/// Runs `f` on the blocking pool and waits for it.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, TaskFailed> {
    Ok(tokio::task::spawn_blocking(f).await?)
}
