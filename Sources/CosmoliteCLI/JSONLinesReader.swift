// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a JSON Lines file (or standard input) incrementally, one numbered line at a time, in bounded memory.
///
/// Lines are numbered from 1 like an editor does; a trailing `\r` is dropped. A line longer than
/// ``maxLineBytes`` is not kept in memory: it is skipped to its end and reported as ``Line/tooLong(_:)``.
struct JSONLinesReader {
    /// One line.
    enum Line {
        /// The line's bytes, without the newline.
        case text([UInt8])
        /// A line too long to be an item; its length in bytes.
        case tooLong(Int)
    }

    /// Lines longer than this are not read into memory.
    let maxLineBytes: Int
    /// The file's name for messages.
    let name: String
    private let fd: Int32
    private var buffer = [UInt8]()
    private var start = 0
    private var scanned = 0
    private var atEnd = false
    /// The number of the line last returned.
    private(set) var lineNumber = 0
    /// Bytes consumed so far (lines returned, with their newlines).
    private(set) var bytesConsumed = 0

    /// Reads `fd`, naming it `name` in messages.
    init(fd: Int32, name: String, maxLineBytes: Int) {
        self.fd = fd
        self.name = name
        self.maxLineBytes = maxLineBytes
    }

    /// The next line, or `nil` at the end of the input.
    ///
    /// - Throws: ``CLIError`` 400 when the input cannot be read.
    mutating func next() throws -> Line? {
        var skipped = 0   // bytes of an overlong line dropped so far
        while true {
            let newline = buffer.withUnsafeBytes { raw -> Int? in
                guard scanned < raw.count,
                      let hit = memchr(raw.baseAddress! + scanned, 0x0A, raw.count - scanned) else { return nil }
                return raw.baseAddress!.distance(to: UnsafeRawPointer(hit))
            }
            if let newline {
                lineNumber += 1
                bytesConsumed += newline + 1 - start
                defer {
                    start = newline + 1
                    scanned = start
                    compact()
                }
                if skipped > 0 { return .tooLong(skipped + newline - start) }
                var end = newline
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                return .text(Array(buffer[start..<end]))
            }
            scanned = buffer.count
            if buffer.count - start > maxLineBytes {
                skipped += buffer.count - start
                bytesConsumed += buffer.count - start
                buffer.removeAll(keepingCapacity: true)
                start = 0
                scanned = 0
            }
            if atEnd {
                guard start < buffer.count || skipped > 0 else { return nil }
                lineNumber += 1
                let rest = buffer.count - start
                bytesConsumed += rest
                defer {
                    start = buffer.count
                    scanned = start
                }
                if skipped > 0 { return .tooLong(skipped + rest) }
                var end = buffer.count
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                return .text(Array(buffer[start..<end]))
            }
            try fill()
        }
    }

    private mutating func compact() {
        if start > (1 << 20) && start * 2 > buffer.count {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
    }

    private mutating func fill() throws {
        let chunk = 1 << 20
        let old = buffer.count
        buffer.reserveCapacity(old + chunk)
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + old, chunk) }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                buffer.removeSubrange(old...)
                throw CLIError.badRequest("cannot read \(name): \(reason)")
            }
            buffer.removeSubrange((old + count)...)
            if count == 0 { atEnd = true }
            return
        }
    }
}
