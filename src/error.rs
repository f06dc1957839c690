//! One error type for the whole crate, carrying whether the user or the machine is at fault,
//! so the CLI can pick exit code 2 or 1 and print one clear sentence without a backtrace.

use std::fmt;

/// Who has to act: the user (bad input, exit 2) or the environment (I/O, database, exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad input or usage: the user can fix it. Exit code 2.
    Usage,
    /// Something failed at run time (disk, database). Exit code 1.
    Runtime,
}

/// An error with a message already written for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

impl Error {
    /// A user error: bad input, unknown name, malformed file.
    pub fn usage(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Usage,
            message: message.into(),
        }
    }

    /// A run-time failure the user did not cause.
    pub fn runtime(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Runtime,
            message: message.into(),
        }
    }

    /// The process exit code DESIGN.md assigns to this kind of error.
    pub fn exit_code(&self) -> i32 {
        match self.kind {
            ErrorKind::Usage => 2,
            ErrorKind::Runtime => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Error {
        if err.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
            // The change was one transaction, so SQLite rolled all of it back.
            return Error::runtime(
                "the disk is full: nothing was written and the book is as it was; \
                 free some space and run it again",
            );
        }
        Error::runtime(format!("database error: {err}"))
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
