//! The thread a simulator delivers notifications from: MAPI and Outlook call sinks from
//! threads of their own, never from the one that caused the event, and so does every simulator.

use std::sync::mpsc::{self, Sender};
use std::thread::{self, JoinHandle};

type Job = Box<dyn FnOnce() + Send>;

/// A named thread running jobs one at a time, in order, until it is dropped.
pub(super) struct Worker {
    jobs: Option<Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts the thread.
    ///
    /// # Panics
    /// When the thread cannot be started.
    pub(super) fn spawn(name: &str) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = thread::Builder::new()
            .name(name.into())
            .spawn(move || queue.into_iter().for_each(|job| job()))
            .unwrap_or_else(|error| panic!("{name}: cannot start the delivery thread: {error}"));
        Self {
            jobs: Some(jobs),
            thread: Some(thread),
        }
    }

    /// Queues `job`; it runs after the jobs queued before it.
    pub(super) fn run(&self, job: impl FnOnce() + Send + 'static) {
        let jobs = self.jobs.as_ref().expect("jobs are only taken by Drop");
        jobs.send(Box::new(job))
            .expect("the delivery thread lives as long as its Worker");
    }

    /// Queues `job` and waits until it has run.
    ///
    /// # Panics
    /// When called from the worker's own thread (it would wait for itself).
    pub(super) fn run_and_wait(&self, job: impl FnOnce() + Send + 'static) {
        assert!(
            !self.is_current(),
            "a simulator cannot wait for its delivery thread from inside a notification"
        );
        let (done, finished) = mpsc::sync_channel(1);
        self.run(move || {
            job();
            let _ = done.send(());
        });
        let _ = finished.recv();
    }

    /// Whether the caller is running on the worker's thread (inside a notification).
    pub(super) fn is_current(&self) -> bool {
        self.thread
            .as_ref()
            .is_some_and(|worker| worker.thread().id() == thread::current().id())
    }
}

impl Worker {
    /// Lets the job in hand finish and the thread end; waits for it, unless this *is* it (the
    /// last reference to a simulator released from inside a notification). No job can be
    /// queued afterwards. Dropping the worker does the same.
    pub(super) fn stop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            if thread.thread().id() != thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop();
    }
}
