//! One way to run work on several threads.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to every item, `jobs` items at a time, in the items' order.
/// Each thread takes the next item when it is free, so one slow item does
/// not hold up the others.
pub fn map<T: Sync, R: Send>(items: &[T], jobs: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(items.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    results.lock().expect("no poisoned lock")[i] = Some(r);
                }
            });
        }
    });
    let results = results.into_inner().expect("no poisoned lock");
    results.into_iter().map(|r| r.expect("every item was mapped")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_in_the_items_order_whatever_the_number_of_threads() {
        let items: Vec<u64> = (0..50).collect();
        for jobs in [0, 1, 2, 7, 100] {
            let out = super::map(&items, jobs, |x| x * x);
            assert_eq!(out, items.iter().map(|x| x * x).collect::<Vec<_>>(), "jobs = {jobs}");
        }
        assert!(super::map(&[] as &[u8], 4, |x| *x).is_empty());
    }
}
