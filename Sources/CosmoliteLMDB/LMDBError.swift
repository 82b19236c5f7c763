// SPDX-License-Identifier: Apache-2.0

import CLMDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error reported by LMDB, or by the file-system calls that `Environment.open(path:configuration:)` makes before
/// it hands a directory to LMDB.
///
/// `code` identifies the failure, `function` names the call that failed (an `mdb_*` function such as `"mdb_put"`, a
/// POSIX call such as `"mkdir"`, or `"Environment.open"` for checks made by this module) and `context` carries extra
/// detail such as the path or database name involved.
///
/// `MDB_MAP_FULL` is never thrown to callers of `Environment.write(_:)`: the map grows and the body runs again.
public struct LMDBError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An LMDB return code (`MDB_*`, negative) or a POSIX `errno` value (positive).
    ///
    /// Codes can be matched directly against errors, for example `catch LMDBError.Code.notFound { ... }`.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The raw LMDB return code or `errno` value.
        public let rawValue: Int32

        /// Creates a code from a raw LMDB return code or `errno` value.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// `MDB_KEYEXIST`: the key/data pair already exists.
        public static let keyExists = Code(rawValue: MDB_KEYEXIST)
        /// `MDB_NOTFOUND`: the key/data pair (or named database) was not found.
        public static let notFound = Code(rawValue: MDB_NOTFOUND)
        /// `MDB_PAGE_NOTFOUND`: a requested page was not found; this usually indicates corruption.
        public static let pageNotFound = Code(rawValue: MDB_PAGE_NOTFOUND)
        /// `MDB_CORRUPTED`: a located page was of the wrong type.
        public static let corrupted = Code(rawValue: MDB_CORRUPTED)
        /// `MDB_PANIC`: an update of the meta page failed or the environment had a fatal error.
        public static let panic = Code(rawValue: MDB_PANIC)
        /// `MDB_VERSION_MISMATCH`: the environment was created by an incompatible LMDB version.
        public static let versionMismatch = Code(rawValue: MDB_VERSION_MISMATCH)
        /// `MDB_INVALID`: the file is not a valid LMDB file.
        public static let invalid = Code(rawValue: MDB_INVALID)
        /// `MDB_MAP_FULL`: the map size limit was reached. `Environment.write(_:)` handles it by growing the map.
        public static let mapFull = Code(rawValue: MDB_MAP_FULL)
        /// `MDB_DBS_FULL`: the maximum number of named databases was reached.
        public static let databasesFull = Code(rawValue: MDB_DBS_FULL)
        /// `MDB_READERS_FULL`: the reader lock table is full.
        public static let readersFull = Code(rawValue: MDB_READERS_FULL)
        /// `MDB_TLS_FULL`: too many thread-local storage keys are in use (Windows only).
        public static let tlsFull = Code(rawValue: MDB_TLS_FULL)
        /// `MDB_TXN_FULL`: the transaction has too many dirty pages.
        public static let transactionFull = Code(rawValue: MDB_TXN_FULL)
        /// `MDB_CURSOR_FULL`: the cursor stack is too deep (internal error).
        public static let cursorFull = Code(rawValue: MDB_CURSOR_FULL)
        /// `MDB_PAGE_FULL`: a page has not enough space (internal error).
        public static let pageFull = Code(rawValue: MDB_PAGE_FULL)
        /// `MDB_MAP_RESIZED`: another process grew the map. `Environment` handles it by adopting the new size.
        public static let mapResized = Code(rawValue: MDB_MAP_RESIZED)
        /// `MDB_INCOMPATIBLE`: the operation and the database are incompatible. Also used by
        /// `Environment.open(path:configuration:)` when the path is already open with a conflicting configuration.
        public static let incompatible = Code(rawValue: MDB_INCOMPATIBLE)
        /// `MDB_BAD_RSLOT`: invalid reuse of a reader lock table slot.
        public static let badReaderSlot = Code(rawValue: MDB_BAD_RSLOT)
        /// `MDB_BAD_TXN`: the transaction must abort, has a child, or is invalid.
        public static let badTransaction = Code(rawValue: MDB_BAD_TXN)
        /// `MDB_BAD_VALSIZE`: unsupported size of a key, database name or value (keys must be 1 to
        /// `Environment.maxKeySize` bytes).
        public static let badValueSize = Code(rawValue: MDB_BAD_VALSIZE)
        /// `MDB_BAD_DBI`: the database handle was changed unexpectedly.
        public static let badDatabase = Code(rawValue: MDB_BAD_DBI)

        /// `ENOSPC`: no space left on the device.
        public static let noSpace = Code(rawValue: ENOSPC)
        /// `EACCES`: permission denied.
        public static let accessDenied = Code(rawValue: EACCES)
        /// `ENOENT`: no such file or directory.
        public static let noSuchFile = Code(rawValue: ENOENT)
        /// `EAGAIN`: the environment is locked by another process. `EBUSY` is reported as this code too.
        public static let busy = Code(rawValue: EAGAIN)
        /// `EIO`: a low-level I/O error occurred.
        public static let ioError = Code(rawValue: EIO)
        /// `EINVAL`: an invalid parameter was specified.
        public static let invalidArgument = Code(rawValue: EINVAL)
        /// `ENOTDIR`: the environment path (or one of its parents) is not a directory.
        public static let notADirectory = Code(rawValue: ENOTDIR)
        /// `ENOMEM`: out of memory (or address space for the map).
        public static let outOfMemory = Code(rawValue: ENOMEM)
        /// `EEXIST`: the file already exists (for example a backup target that is not empty).
        public static let fileExists = Code(rawValue: EEXIST)

        /// The symbolic name of the code, such as `"MDB_MAP_FULL"` or `"ENOSPC"`.
        public var description: String {
            Self.names[rawValue] ?? "error \(rawValue)"
        }

        /// Whether this is one of LMDB's own `MDB_*` codes rather than an `errno` value.
        var isLMDBCode: Bool {
            MDB_KEYEXIST...MDB_LAST_ERRCODE ~= rawValue
        }

        private static let names: [Int32: String] = {
            let names: [(Int32, String)] = [
                (MDB_KEYEXIST, "MDB_KEYEXIST"), (MDB_NOTFOUND, "MDB_NOTFOUND"),
                (MDB_PAGE_NOTFOUND, "MDB_PAGE_NOTFOUND"), (MDB_CORRUPTED, "MDB_CORRUPTED"), (MDB_PANIC, "MDB_PANIC"),
                (MDB_VERSION_MISMATCH, "MDB_VERSION_MISMATCH"), (MDB_INVALID, "MDB_INVALID"),
                (MDB_MAP_FULL, "MDB_MAP_FULL"), (MDB_DBS_FULL, "MDB_DBS_FULL"),
                (MDB_READERS_FULL, "MDB_READERS_FULL"), (MDB_TLS_FULL, "MDB_TLS_FULL"),
                (MDB_TXN_FULL, "MDB_TXN_FULL"), (MDB_CURSOR_FULL, "MDB_CURSOR_FULL"),
                (MDB_PAGE_FULL, "MDB_PAGE_FULL"), (MDB_MAP_RESIZED, "MDB_MAP_RESIZED"),
                (MDB_INCOMPATIBLE, "MDB_INCOMPATIBLE"), (MDB_BAD_RSLOT, "MDB_BAD_RSLOT"),
                (MDB_BAD_TXN, "MDB_BAD_TXN"), (MDB_BAD_VALSIZE, "MDB_BAD_VALSIZE"), (MDB_BAD_DBI, "MDB_BAD_DBI"),
                (ENOSPC, "ENOSPC"), (EACCES, "EACCES"), (ENOENT, "ENOENT"), (EAGAIN, "EAGAIN"), (EBUSY, "EBUSY"),
                (EIO, "EIO"), (EINVAL, "EINVAL"), (ENOTDIR, "ENOTDIR"), (ENOMEM, "ENOMEM"), (EEXIST, "EEXIST"),
                (EPERM, "EPERM"), (EROFS, "EROFS"), (EISDIR, "EISDIR"),
            ]
            return Dictionary(uniqueKeysWithValues: names)
        }()
    }

    /// What went wrong.
    public let code: Code
    /// The function that failed, for example `"mdb_put"`, `"mkdir"` or `"Environment.open"`.
    public let function: String
    /// Extra detail such as the path or the database name involved, if any.
    public let context: String?

    /// Creates an error.
    public init(code: Code, function: String, context: String? = nil) {
        self.code = code
        self.function = function
        self.context = context
    }

    /// Creates an error from a non-zero LMDB return code or `errno` value, reporting `EBUSY` as `Code.busy`.
    init(returnCode: Int32, function: String, context: String? = nil) {
        self.init(code: Code(rawValue: returnCode == EBUSY ? EAGAIN : returnCode), function: function, context: context)
    }

    /// A readable message such as `"mdb_put: MDB_MAP_FULL: Environment mapsize limit reached"`, built with
    /// `mdb_strerror` and followed by the context in parentheses, if any.
    ///
    /// The corresponding LMDB function is `mdb_strerror`.
    public var description: String {
        let message = LMDBCalls.message(for: code.rawValue)
        var text = code.isLMDBCode ? "\(function): \(message)" : "\(function): \(code): \(message)"
        if let context {
            text += " (\(context))"
        }
        return text
    }
}

extension LMDBError.Code {
    /// Matches an error against a code, so that `catch LMDBError.Code.notFound` works for untyped throws.
    public static func ~= (code: LMDBError.Code, error: any Error) -> Bool {
        (error as? LMDBError)?.code == code
    }

    /// Matches an `LMDBError` against a code, so that `catch LMDBError.Code.notFound` works for typed throws.
    public static func ~= (code: LMDBError.Code, error: LMDBError) -> Bool {
        error.code == code
    }
}
