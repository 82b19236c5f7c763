// SPDX-License-Identifier: Apache-2.0

import CosmoliteStorage
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes bytes to a file or to standard output through a 1 MB buffer, with one `write(2)` per full buffer.
///
/// A file is written under a temporary name next to it (`FILE.partial-PID`) and renamed into place by
/// ``commit()``, after an `fsync`: an interrupted export never leaves a truncated file under the final name.
final class BufferedWriter {
    private let fd: Int32
    /// The final path, or `nil` for standard output.
    private let path: String?
    private let temporaryPath: String?
    private var buffer = [UInt8]()
    private let capacity = 1 << 20
    /// Bytes written so far (buffered included).
    private(set) var byteCount = 0

    /// Writes to standard output.
    init() {
        fd = STDOUT_FILENO
        path = nil
        temporaryPath = nil
        buffer.reserveCapacity(capacity)
    }

    /// Writes to `path` (replacing it on ``commit()``).
    ///
    /// - Throws: ``CLIError`` 400 when the file cannot be created.
    init(path: String) throws {
        let temporary = path + ".partial-\(getpid())"
        let fd = openFile(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CLIError.badRequest("cannot create '\(temporary)': \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        self.path = path
        self.temporaryPath = temporary
        buffer.reserveCapacity(capacity)
    }

    deinit {
        if let temporaryPath {
            close(fd)
            unlink(temporaryPath)   // no-op after a commit (renamed away)
        }
    }

    /// Appends bytes.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        byteCount += bytes.count
        if buffer.count >= capacity { try flush() }
    }

    /// Appends bytes.
    func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    /// Writes what is buffered.
    func flush() throws {
        var offset = 0
        try buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw CLIError(errno == ENOSPC ? .storageFull : .unavailable,
                                   "cannot write \(path.map { "'\($0)'" } ?? "standard output"): "
                                    + String(cString: strerror(errno)))
                }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, and for a file syncs it and renames it to its final name.
    func commit() throws {
        try flush()
        guard let path, let temporaryPath else { return }
        guard fsync(fd) == 0 else {
            throw CLIError(.unavailable, "cannot sync '\(temporaryPath)': \(String(cString: strerror(errno)))")
        }
        guard rename(temporaryPath, path) == 0 else {
            throw CLIError(.unavailable, "cannot rename '\(temporaryPath)' to '\(path)': "
                + String(cString: strerror(errno)))
        }
    }
}

/// `open(2)` (a file-scope wrapper, since `open` may name a method in some scopes).
func openFile(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
    open(path, flags, mode)
}
