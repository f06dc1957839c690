//! Writing command output: stdout that tolerates a closed pipe (`csdeck accounts | head`).

use crate::error::{Error, Result};
use std::io::Write;

/// Writes text to stdout; a reader that went away early is not an error.
pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::runtime(format!("cannot write output: {e}"))),
    }
}

/// Pads or cuts text to a display width, for aligned tables.
pub use crate::domain::width::pad as fit;
