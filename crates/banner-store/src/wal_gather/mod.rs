//! The writer's WAL writes, gathered: one write per commit, not two per page.
//!
//! SQLite writes each frame of its write-ahead log with two calls, the
//! frame's 24-byte header and then its page, and a group commit under load
//! writes ~50 frames. Each call pays a system call and the file system's
//! per-write work (the inode's lock, finding the page in the cache, the
//! file's times): `pwrite` was 13.5 % of the server's CPU in the load
//! benchmark's closed loop, more than any other single thing it does
//! (docs/benchmarks-journal.md, "The log's writes gathered").
//!
//! This VFS wraps the platform's default one. For WAL files only, it keeps
//! consecutive writes in a buffer ([`Gathered`]) that goes to the file as
//! one write before anything that needs it there: a sync, a read or a map of
//! the buffered range, a truncation, a size query, a file control, a close;
//! or when the next write does not follow on, or the buffer is full. Every
//! other file (the database, temporary files) and every other call passes
//! straight through.
//!
//! Why nothing acknowledged can be lost: SQLite counts a commit as written
//! only once the log is synced (`synchronous=FULL`, the writer's setting in
//! `connection.rs`; the writer is the only connection opened with this VFS),
//! and the sync flushes the buffer first. Other connections learn of a
//! commit only from the WAL index's header, which SQLite writes around a
//! shared-memory barrier; the barrier flushes the buffer too, so no
//! connection is ever told of a frame that is not in the file, whatever
//! the sync setting. A process killed with frames still in the buffer loses
//! part of a commit that had not been synced: one nobody was told of, as if
//! the machine had lost power before the sync, which SQLite's recovery
//! already handles (a frame counts only with a valid checksum chain ending
//! in a commit frame). A failed write keeps its bytes for the next flush
//! point to try again (see [`flush`]).
//!
//! The crate denies `unsafe` everywhere else. A VFS is a table of C function
//! pointers over memory SQLite allocates, so this module cannot avoid it; it
//! is kept to delegating calls and to the one struct SQLite sizes for us.

#![allow(unsafe_code)]

use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;
use std::sync::OnceLock;

use rusqlite::ffi;

mod gathered;

use gathered::Gathered;

/// The VFS's registered name.
const NAME: &CStr = c"banner-wal-gather";

/// The name to open the writer's connection with, registering the VFS on
/// first use; `None` when it could not be registered (no default VFS), and
/// the writer then opens with SQLite's default.
pub(crate) fn vfs_name() -> Option<&'static CStr> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    REGISTERED.get_or_init(register).then_some(NAME)
}

fn register() -> bool {
    // SAFETY: `sqlite3_vfs_find(NULL)` returns the default VFS, which SQLite
    // never frees; reading it and registering a VFS that lives for the
    // process (leaked below) is what SQLite's documentation asks for.
    unsafe {
        let base = ffi::sqlite3_vfs_find(ptr::null());
        if base.is_null() {
            return false;
        }
        let inner_size = (*base).szOsFile;
        let vfs = Box::new(ffi::sqlite3_vfs {
            iVersion: (*base).iVersion.min(3),
            szOsFile: INNER_OFFSET as c_int + inner_size,
            mxPathname: (*base).mxPathname,
            pNext: ptr::null_mut(),
            zName: NAME.as_ptr(),
            pAppData: base.cast(),
            xOpen: Some(x_open),
            xDelete: Some(x_delete),
            xAccess: Some(x_access),
            xFullPathname: Some(x_full_pathname),
            xDlOpen: Some(x_dl_open),
            xDlError: Some(x_dl_error),
            xDlSym: Some(x_dl_sym),
            xDlClose: Some(x_dl_close),
            xRandomness: Some(x_randomness),
            xSleep: Some(x_sleep),
            xCurrentTime: Some(x_current_time),
            xGetLastError: Some(x_get_last_error),
            xCurrentTimeInt64: Some(x_current_time_int64),
            xSetSystemCall: Some(x_set_system_call),
            xGetSystemCall: Some(x_get_system_call),
            xNextSystemCall: Some(x_next_system_call),
        });
        ffi::sqlite3_vfs_register(Box::into_raw(vfs), 0) == ffi::SQLITE_OK
    }
}

/// What SQLite allocates for each open file (`szOsFile` bytes): this header,
/// then the default VFS's own file at [`INNER_OFFSET`].
#[repr(C)]
struct File {
    /// What SQLite reads: the methods table. Must come first.
    base: ffi::sqlite3_file,
    /// The default VFS's file, in the same allocation.
    inner: *mut ffi::sqlite3_file,
    /// The kept writes of a WAL file; null for every other file.
    gathered: *mut Gathered,
    /// On a database file: its WAL, opened by the same connection, whose
    /// kept writes go out at the shared memory's barrier. Null otherwise.
    wal: *mut ffi::sqlite3_file,
    /// On a WAL file: the database file that points at it, told on close.
    db: *mut ffi::sqlite3_file,
}

/// Where the inner file starts: after [`File`], 8-byte aligned.
const INNER_OFFSET: usize = std::mem::size_of::<File>().next_multiple_of(8);

// SAFETY (for every function below): SQLite calls a VFS's functions with the
// `sqlite3_vfs` it registered, whose `pAppData` is the default VFS, and a
// file's methods with the `sqlite3_file` it allocated with `szOsFile` bytes
// and passed to `x_open`, which filled in the `File` header; SQLite does not
// call one file's methods from two threads at once.

unsafe fn base(vfs: *mut ffi::sqlite3_vfs) -> *mut ffi::sqlite3_vfs {
    unsafe { (*vfs).pAppData.cast() }
}

unsafe fn inner(file: *mut ffi::sqlite3_file) -> *mut ffi::sqlite3_file {
    unsafe { (*file.cast::<File>()).inner }
}

unsafe fn inner_methods(file: *mut ffi::sqlite3_file) -> *const ffi::sqlite3_io_methods {
    unsafe { (*inner(file)).pMethods }
}

unsafe fn gathered<'a>(file: *mut ffi::sqlite3_file) -> Option<&'a mut Gathered> {
    unsafe { (*file.cast::<File>()).gathered.as_mut() }
}

/// Writes out what `file` keeps, if anything, and empties the buffer once
/// written. A failed write keeps the bytes: SQLite does not always abandon
/// the transaction on an error (a statement that fails to read a page back
/// is rolled back alone), and frames it already counts must still reach the
/// file, so every later flush point (the commit's sync at the latest)
/// tries again, and fails the commit while the write fails.
unsafe fn flush(file: *mut ffi::sqlite3_file) -> c_int {
    unsafe {
        let Some(kept) = gathered(file) else {
            return ffi::SQLITE_OK;
        };
        if kept.is_empty() {
            return ffi::SQLITE_OK;
        }
        let Some(write) = (*inner_methods(file)).xWrite else {
            return ffi::SQLITE_IOERR_WRITE;
        };
        // At most CAPACITY bytes: fits a c_int.
        let rc = write(
            inner(file),
            kept.bytes.as_ptr().cast(),
            kept.bytes.len() as c_int,
            kept.start,
        );
        #[cfg(test)]
        counts::inner_write();
        if rc == ffi::SQLITE_OK {
            kept.bytes.clear();
        }
        rc
    }
}

/// The methods of every file this VFS opens, one table per version of the
/// default VFS's (a file claims only what its inner file has).
static METHODS: [ffi::sqlite3_io_methods; 3] = [methods(1), methods(2), methods(3)];

/// Whether `file` was opened by this VFS (its methods are ours).
unsafe fn is_ours(file: *mut ffi::sqlite3_file) -> bool {
    let methods = unsafe { (*file).pMethods };
    METHODS.iter().any(|ours| ptr::eq(ours, methods))
}

const fn methods(version: c_int) -> ffi::sqlite3_io_methods {
    ffi::sqlite3_io_methods {
        iVersion: version,
        xClose: Some(x_close),
        xRead: Some(x_read),
        xWrite: Some(x_write),
        xTruncate: Some(x_truncate),
        xSync: Some(x_sync),
        xFileSize: Some(x_file_size),
        xLock: Some(x_lock),
        xUnlock: Some(x_unlock),
        xCheckReservedLock: Some(x_check_reserved_lock),
        xFileControl: Some(x_file_control),
        xSectorSize: Some(x_sector_size),
        xDeviceCharacteristics: Some(x_device_characteristics),
        xShmMap: if version >= 2 { Some(x_shm_map) } else { None },
        xShmLock: if version >= 2 { Some(x_shm_lock) } else { None },
        xShmBarrier: if version >= 2 {
            Some(x_shm_barrier)
        } else {
            None
        },
        xShmUnmap: if version >= 2 {
            Some(x_shm_unmap)
        } else {
            None
        },
        xFetch: if version >= 3 { Some(x_fetch) } else { None },
        xUnfetch: if version >= 3 { Some(x_unfetch) } else { None },
    }
}

unsafe extern "C" fn x_open(
    vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    unsafe {
        let base = base(vfs);
        let header = file.cast::<File>();
        let inner = file
            .cast::<u8>()
            .add(INNER_OFFSET)
            .cast::<ffi::sqlite3_file>();
        (*header).base.pMethods = ptr::null();
        (*header).inner = inner;
        (*header).gathered = ptr::null_mut();
        (*header).wal = ptr::null_mut();
        (*header).db = ptr::null_mut();
        (*inner).pMethods = ptr::null();
        let Some(open) = (*base).xOpen else {
            return ffi::SQLITE_CANTOPEN;
        };
        let rc = open(base, name, inner, flags, out_flags);
        let methods = (*inner).pMethods;
        if rc != ffi::SQLITE_OK {
            // An open that failed but left its file something to close
            // (SQLite may or may not call close then): closed here, and
            // ours left without methods, so SQLite never calls them.
            if let Some(close) = methods.as_ref().and_then(|m| m.xClose) {
                close(inner);
            }
            return rc;
        }
        if !methods.is_null() {
            let version = (*methods).iVersion.clamp(1, 3) as usize;
            (*header).base.pMethods = &METHODS[version - 1];
            if flags & ffi::SQLITE_OPEN_WAL != 0 {
                (*header).gathered = Box::into_raw(Box::new(Gathered::new()));
                // SQLite passes a WAL the name it derived from its
                // database's, which leads back to the database's file.
                let db = ffi::sqlite3_database_file_object(name);
                if !db.is_null() && is_ours(db) {
                    (*db.cast::<File>()).wal = file;
                    (*header).db = db;
                }
            }
        }
        rc
    }
}

unsafe extern "C" fn x_close(file: *mut ffi::sqlite3_file) -> c_int {
    unsafe {
        let flushed = flush(file);
        let header = file.cast::<File>();
        let db = (*header).db;
        if !db.is_null() && (*db.cast::<File>()).wal == file {
            (*db.cast::<File>()).wal = ptr::null_mut();
        }
        if !(*header).gathered.is_null() {
            drop(Box::from_raw((*header).gathered));
            (*header).gathered = ptr::null_mut();
        }
        let closed = match (*inner_methods(file)).xClose {
            Some(close) => close(inner(file)),
            None => ffi::SQLITE_OK,
        };
        if flushed != ffi::SQLITE_OK {
            flushed
        } else {
            closed
        }
    }
}

unsafe extern "C" fn x_read(
    file: *mut ffi::sqlite3_file,
    out: *mut c_void,
    amount: c_int,
    offset: ffi::sqlite3_int64,
) -> c_int {
    unsafe {
        if gathered(file).is_some_and(|kept| kept.overlaps(offset, i64::from(amount))) {
            let rc = flush(file);
            if rc != ffi::SQLITE_OK {
                return rc;
            }
        }
        match (*inner_methods(file)).xRead {
            Some(read) => read(inner(file), out, amount, offset),
            None => ffi::SQLITE_IOERR_READ,
        }
    }
}

unsafe extern "C" fn x_write(
    file: *mut ffi::sqlite3_file,
    data: *const c_void,
    amount: c_int,
    offset: ffi::sqlite3_int64,
) -> c_int {
    unsafe {
        if amount > 0 && gathered(file).is_some() {
            #[cfg(test)]
            counts::asked_write();
            let bytes = std::slice::from_raw_parts(data.cast::<u8>(), amount as usize);
            if gathered(file).is_some_and(|kept| kept.keep(offset, bytes)) {
                return ffi::SQLITE_OK;
            }
            let rc = flush(file);
            if rc != ffi::SQLITE_OK {
                return rc;
            }
            if gathered(file).is_some_and(|kept| kept.keep(offset, bytes)) {
                return ffi::SQLITE_OK;
            }
            // Larger than a whole buffer: straight to the file.
            #[cfg(test)]
            counts::inner_write();
        }
        match (*inner_methods(file)).xWrite {
            Some(write) => write(inner(file), data, amount, offset),
            None => ffi::SQLITE_IOERR_WRITE,
        }
    }
}

/// Flushes, then passes the call on: the shape of every call that needs the
/// kept writes in the file first.
macro_rules! flushed_then {
    ($file:ident, $method:ident, $missing:expr, |$call:ident| $body:expr) => {{
        let rc = flush($file);
        if rc != ffi::SQLITE_OK {
            return rc;
        }
        match (*inner_methods($file)).$method {
            Some($call) => $body,
            None => $missing,
        }
    }};
}

unsafe extern "C" fn x_truncate(file: *mut ffi::sqlite3_file, size: ffi::sqlite3_int64) -> c_int {
    unsafe {
        flushed_then!(file, xTruncate, ffi::SQLITE_IOERR_TRUNCATE, |truncate| {
            truncate(inner(file), size)
        })
    }
}

unsafe extern "C" fn x_sync(file: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    unsafe {
        flushed_then!(file, xSync, ffi::SQLITE_IOERR_FSYNC, |sync| sync(
            inner(file),
            flags
        ))
    }
}

unsafe extern "C" fn x_file_size(
    file: *mut ffi::sqlite3_file,
    size: *mut ffi::sqlite3_int64,
) -> c_int {
    unsafe {
        flushed_then!(file, xFileSize, ffi::SQLITE_IOERR_FSTAT, |file_size| {
            file_size(inner(file), size)
        })
    }
}

unsafe extern "C" fn x_file_control(
    file: *mut ffi::sqlite3_file,
    op: c_int,
    arg: *mut c_void,
) -> c_int {
    unsafe {
        flushed_then!(file, xFileControl, ffi::SQLITE_NOTFOUND, |control| {
            control(inner(file), op, arg)
        })
    }
}

unsafe extern "C" fn x_fetch(
    file: *mut ffi::sqlite3_file,
    offset: ffi::sqlite3_int64,
    amount: c_int,
    out: *mut *mut c_void,
) -> c_int {
    unsafe {
        flushed_then!(
            file,
            xFetch,
            {
                *out = ptr::null_mut();
                ffi::SQLITE_OK
            },
            |fetch| fetch(inner(file), offset, amount, out)
        )
    }
}

unsafe extern "C" fn x_unfetch(
    file: *mut ffi::sqlite3_file,
    offset: ffi::sqlite3_int64,
    page: *mut c_void,
) -> c_int {
    unsafe {
        match (*inner_methods(file)).xUnfetch {
            Some(unfetch) => unfetch(inner(file), offset, page),
            None => ffi::SQLITE_OK,
        }
    }
}

/// Passes a file call straight on (`$missing` when the inner file lacks it).
macro_rules! pass_file {
    ($name:ident, $method:ident, $missing:expr, ($($arg:ident: $ty:ty),*) -> $ret:ty) => {
        unsafe extern "C" fn $name(file: *mut ffi::sqlite3_file $(, $arg: $ty)*) -> $ret {
            unsafe {
                match (*inner_methods(file)).$method {
                    Some(call) => call(inner(file) $(, $arg)*),
                    None => $missing,
                }
            }
        }
    };
}

pass_file!(x_lock, xLock, ffi::SQLITE_OK, (level: c_int) -> c_int);
pass_file!(x_unlock, xUnlock, ffi::SQLITE_OK, (level: c_int) -> c_int);
pass_file!(x_check_reserved_lock, xCheckReservedLock, ffi::SQLITE_IOERR_CHECKRESERVEDLOCK, (out: *mut c_int) -> c_int);
pass_file!(x_sector_size, xSectorSize, 4096, () -> c_int);
pass_file!(x_device_characteristics, xDeviceCharacteristics, 0, () -> c_int);
pass_file!(x_shm_map, xShmMap, ffi::SQLITE_IOERR_SHMMAP, (page: c_int, size: c_int, extend: c_int, out: *mut *mut c_void) -> c_int);
pass_file!(x_shm_lock, xShmLock, ffi::SQLITE_IOERR_SHMLOCK, (offset: c_int, n: c_int, flags: c_int) -> c_int);
pass_file!(x_shm_unmap, xShmUnmap, ffi::SQLITE_OK, (delete: c_int) -> c_int);

/// Also writes out the connection's WAL buffer, if this is its database.
/// SQLite publishes a commit by writing the WAL index's header twice around
/// this barrier (readers retry while the two differ), so every frame it
/// counts is in the file before the header says so. With
/// `synchronous=FULL`, the writer's setting, the commit's sync has already
/// flushed them; this keeps that true without it (`NORMAL` syncs only at
/// checkpoints) and when SQLite pads a commit past its sync (a device
/// without powersafe overwrite). A failed write cannot be reported here: its
/// bytes stay kept and the next flush point reports it.
unsafe extern "C" fn x_shm_barrier(file: *mut ffi::sqlite3_file) {
    unsafe {
        let wal = (*file.cast::<File>()).wal;
        if !wal.is_null() {
            let _ = flush(wal);
        }
        if let Some(barrier) = (*inner_methods(file)).xShmBarrier {
            barrier(inner(file));
        }
    }
}

/// Passes a VFS call straight on to the default VFS.
macro_rules! pass_vfs {
    ($name:ident, $method:ident, $missing:expr, ($($arg:ident: $ty:ty),*) -> $ret:ty) => {
        unsafe extern "C" fn $name(vfs: *mut ffi::sqlite3_vfs $(, $arg: $ty)*) -> $ret {
            unsafe {
                let base = base(vfs);
                match (*base).$method {
                    Some(call) => call(base $(, $arg)*),
                    None => $missing,
                }
            }
        }
    };
}

pass_vfs!(x_delete, xDelete, ffi::SQLITE_IOERR_DELETE, (name: *const c_char, sync: c_int) -> c_int);
pass_vfs!(x_access, xAccess, ffi::SQLITE_IOERR_ACCESS, (name: *const c_char, flags: c_int, out: *mut c_int) -> c_int);
pass_vfs!(x_full_pathname, xFullPathname, ffi::SQLITE_CANTOPEN, (name: *const c_char, size: c_int, out: *mut c_char) -> c_int);
pass_vfs!(x_dl_open, xDlOpen, ptr::null_mut(), (name: *const c_char) -> *mut c_void);
pass_vfs!(x_dl_error, xDlError, (), (size: c_int, out: *mut c_char) -> ());
pass_vfs!(x_dl_sym, xDlSym, None, (handle: *mut c_void, symbol: *const c_char) -> Option<unsafe extern "C" fn(*mut ffi::sqlite3_vfs, *mut c_void, *const c_char)>);
pass_vfs!(x_dl_close, xDlClose, (), (handle: *mut c_void) -> ());
pass_vfs!(x_randomness, xRandomness, 0, (size: c_int, out: *mut c_char) -> c_int);
pass_vfs!(x_sleep, xSleep, 0, (micros: c_int) -> c_int);
pass_vfs!(x_current_time, xCurrentTime, ffi::SQLITE_ERROR, (out: *mut f64) -> c_int);
pass_vfs!(x_get_last_error, xGetLastError, 0, (size: c_int, out: *mut c_char) -> c_int);
pass_vfs!(x_current_time_int64, xCurrentTimeInt64, ffi::SQLITE_ERROR, (out: *mut ffi::sqlite3_int64) -> c_int);
pass_vfs!(x_set_system_call, xSetSystemCall, ffi::SQLITE_NOTFOUND, (name: *const c_char, call: ffi::sqlite3_syscall_ptr) -> c_int);
pass_vfs!(x_get_system_call, xGetSystemCall, None, (name: *const c_char) -> ffi::sqlite3_syscall_ptr);
pass_vfs!(x_next_system_call, xNextSystemCall, ptr::null(), (name: *const c_char) -> *const c_char);

#[cfg(test)]
pub(crate) mod counts;

#[cfg(test)]
mod tests;
