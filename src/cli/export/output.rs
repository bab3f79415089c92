//! Where an export's bytes go: stdout, passed on page by page, or `--output FILE`,
//! written whole or not at all (`atomic_file`). A reader that goes away (`| head`)
//! ends the export quietly: what it read is what it wanted.

use std::cell::Cell;
use std::io::{self, BufWriter, Stdout, Write};
use std::path::Path;
use std::rc::Rc;

use crate::atomic_file::AtomicFile;

pub enum Out {
    Stdout {
        out: BufWriter<Stdout>,
        /// The reader closed the pipe (shared, to be read after the writer is gone).
        gone: Rc<Cell<bool>>,
    },
    File(AtomicFile),
}

impl Out {
    pub fn open(file: Option<&Path>) -> io::Result<Out> {
        Ok(match file {
            Some(path) => Out::File(AtomicFile::create(path)?),
            None => Out::Stdout {
                out: BufWriter::new(io::stdout()),
                gone: Rc::default(),
            },
        })
    }

    /// Tells whether stdout's reader went away (never, for a file).
    pub fn reader_gone(&self) -> Rc<Cell<bool>> {
        match self {
            Out::Stdout { gone, .. } => gone.clone(),
            Out::File(_) => Rc::default(),
        }
    }

    /// Puts a file in place; stdout has nothing left to do.
    pub fn commit(self) -> io::Result<()> {
        match self {
            Out::Stdout { .. } => Ok(()),
            Out::File(file) => file.commit(),
        }
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Out::Stdout { out, gone } => noting_gone(out.write(buf), gone),
            Out::File(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Out::Stdout { out, gone } => noting_gone(out.flush(), gone),
            Out::File(file) => file.flush(),
        }
    }
}

fn noting_gone<T>(result: io::Result<T>, gone: &Cell<bool>) -> io::Result<T> {
    if let Err(e) = &result
        && e.kind() == io::ErrorKind::BrokenPipe
    {
        gone.set(true);
    }
    result
}
