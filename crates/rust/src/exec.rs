//! The little executor work this crate needs: discovery runs a workflow function to completion from sync
//! code, panics in user futures fail their run instead of the server, and blocking calls to the Novu API run
//! off the async threads.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

/// A boxed, `Send` future, as workflow functions and step calls are stored.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs `future` to completion on this thread, parking it while the future waits.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(value) => return value,
            Poll::Pending => thread::park(),
        }
    }
}

/// A future whose panics are caught and returned as the panic's message.
struct CatchUnwind<F>(F);

impl<F: Future + Unpin> Future for CatchUnwind<F> {
    type Output = Result<F::Output, String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match catch_unwind(AssertUnwindSafe(|| Pin::new(&mut self.0).poll(cx))) {
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(panic) => Poll::Ready(Err(panic_message(panic))),
        }
    }
}

/// Starts a future with `start` and runs it, catching panics in either: a workflow function may panic before
/// it returns its future as well as while it runs.
pub(crate) async fn caught<T>(start: impl FnOnce() -> BoxFuture<'static, T>) -> Result<T, String> {
    match catch_unwind(AssertUnwindSafe(start)) {
        Ok(future) => CatchUnwind(future).await,
        Err(panic) => Err(panic_message(panic)),
    }
}

fn panic_message(panic: Box<dyn Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

/// Runs a blocking call (ureq, to the Novu API) where it cannot stall async work: on tokio's blocking pool
/// inside a tokio runtime, on a thread of its own otherwise. Errs with the panic's message if `f` panics.
pub(crate) async fn blocking<T, F>(f: F) -> Result<T, String>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        return runtime.spawn_blocking(f).await.map_err(|e| match e.try_into_panic() {
            Ok(panic) => panic_message(panic),
            Err(e) => e.to_string(),
        });
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    thread::Builder::new()
        .name("novu-framework-api".into())
        .spawn(move || {
            let _ = tx.send(catch_unwind(AssertUnwindSafe(f)).map_err(panic_message));
        })
        .map_err(|e| format!("could not start a thread for the Novu API call: {e}"))?;
    rx.await.map_err(|_| "the Novu API call's thread ended without an answer".to_string())?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_on_waits_for_wakeups_from_other_threads() {
        let (tx, rx) = tokio::sync::oneshot::channel();
        thread::spawn(move || {
            thread::sleep(std::time::Duration::from_millis(20));
            let _ = tx.send(7);
        });
        assert_eq!(block_on(rx), Ok(7));
    }

    #[test]
    fn blocking_work_runs_with_and_without_a_runtime() {
        assert_eq!(block_on(blocking(|| 1 + 1)), Ok(2));
        let panicked = block_on(blocking(|| -> u8 { panic!("api bug") }));
        assert_eq!(panicked, Err("api bug".to_string()));
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let worker = runtime.block_on(blocking(|| thread::current().id())).unwrap();
        assert_ne!(worker, thread::current().id());
    }

    #[test]
    fn panics_in_futures_and_before_them_are_caught() {
        let future: BoxFuture<'static, ()> = Box::pin(async { panic!("resolver bug") });
        assert_eq!(block_on(caught(|| future)), Err("resolver bug".to_string()));
        let never = || -> BoxFuture<'static, ()> { panic!("workflow bug") };
        assert_eq!(block_on(caught(never)), Err("workflow bug".to_string()));
        assert_eq!(block_on(caught(|| Box::pin(async { 3 }))), Ok(3));
    }
}
