//! Files csdeck writes hold customer data (books, exports, error reports): only their owner
//! may read them.

use std::fs::OpenOptions;

/// Options that open a file for writing, creating it readable by its owner alone (0600).
pub fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}
