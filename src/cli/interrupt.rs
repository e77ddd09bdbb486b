//! SIGINT, SIGTERM and SIGHUP end a run cleanly: the temporary files of the
//! outputs and reports not finished yet are removed (what is written under
//! its own name is complete, and stays), the user is told, and the process
//! exits with 128 + the signal's number. The signals are taken by a thread
//! of their own (`sigwait`), so the cleanup runs as ordinary code.

use crate::cli::{count, messages};

/// Takes over SIGINT, SIGTERM and SIGHUP for the rest of the process. Call
/// it before any other thread starts: threads inherit the blocked signals,
/// so only the waiting thread receives them.
#[cfg(unix)]
pub fn install() {
    // SAFETY: the signal set is initialized by sigemptyset before use, and
    // the mask is changed on this thread only.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&mut set, sig);
        }
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        let waiter = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                loop {
                    let mut sig = 0;
                    // SAFETY: `set` is initialized and outlives the call.
                    if libc::sigwait(&set, &mut sig) == 0 {
                        stop(sig);
                    }
                }
            });
        if waiter.is_err() {
            // No thread to take them: the signals act as they did.
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        }
    }
}

#[cfg(not(unix))]
pub fn install() {}

/// Removes the run's temporary files and exits.
#[cfg(unix)]
fn stop(sig: libc::c_int) -> ! {
    let removed = sapu::input::remove_temporaries();
    messages::clear_progress();
    let name = match sig {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        _ => "a signal",
    };
    messages::error(format!(
        "interrupted by {name}: {} removed; what was written under its own name is complete",
        count(
            removed.len() as u64,
            "unfinished temporary file",
            "unfinished temporary files"
        )
    ));
    std::process::exit(128 + sig)
}

/// Whether process `pid` is running (or may be: when it cannot be told).
#[cfg(unix)]
pub fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    // SAFETY: signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    let exists = r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH);
    exists && !is_zombie(pid)
}

/// A process that has ended and was not waited for yet (Linux).
#[cfg(unix)]
fn is_zombie(pid: libc::pid_t) -> bool {
    // The state follows the command name, which is in parentheses.
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with(['Z', 'X']))
    })
}

#[cfg(not(unix))]
pub fn process_alive(_pid: u32) -> bool {
    true
}
