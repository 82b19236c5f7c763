// SPDX-License-Identifier: Apache-2.0

import CosmoliteStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered access to the process's standard streams.
///
/// Every write is a `write(2)` of the whole buffer, so a line is out of the process as soon as the call
/// returns: the `--lines` acknowledgements rely on this (no stdio buffer to flush, nothing lost on `kill -9`).
enum StandardStreams {
    /// Writes `bytes` to standard output.
    static func writeOutput(_ bytes: [UInt8]) {
        emit(bytes, to: STDOUT_FILENO)
    }

    /// Writes `text` to standard output.
    static func writeOutput(_ text: String) {
        writeOutput(Array(text.utf8))
    }

    /// Writes `text` and a newline to standard error.
    ///
    /// On a terminal (see ``Terminal/colorsEnabled``) a leading `error:` is shown in red; pipes and files get
    /// plain text, so scripts can match `error: STATUS REASON: message`.
    static func writeErrorLine(_ text: String) {
        var line = text
        if line.hasPrefix("error:"), Terminal.colorsEnabled {
            line = "\u{1B}[31merror:\u{1B}[0m" + line.dropFirst("error:".count)
        }
        emit(Array((line + "\n").utf8), to: STDERR_FILENO)
    }

    /// Whether standard output is a terminal.
    static var outputIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    /// Writes all of `bytes` to `fd`, retrying short writes and `EINTR`. A closed pipe ends the write silently
    /// (the default `SIGPIPE` normally ends the process first).
    private static func emit(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    // MARK: - Input

    /// Reads standard input to its end.
    ///
    /// - Throws: ``CLIError`` 400 when standard input cannot be read.
    static func readInput() throws -> [UInt8] {
        var reader = LineReader(fd: STDIN_FILENO)
        return try reader.readToEnd()
    }
}

/// Reads a file descriptor incrementally, line by line, returning each line as soon as its newline arrives.
struct LineReader {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false

    /// Creates a reader of `fd` (standard input by default).
    init(fd: Int32 = STDIN_FILENO) {
        self.fd = fd
    }

    /// The next line without its newline (and without a trailing `\r`), or `nil` at the end of the input.
    mutating func nextLine() throws -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[start..<newline])
                start = newline + 1
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                compact()
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            try fill()
        }
    }

    /// Everything not yet read.
    mutating func readToEnd() throws -> [UInt8] {
        while !atEnd { try fill() }
        let rest = Array(buffer[start...])
        buffer = []
        start = 0
        return rest
    }

    private mutating func compact() {
        if start > 65_536 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }

    private mutating func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw CLIError.badRequest("cannot read standard input: \(String(cString: strerror(errno)))")
            }
            if count == 0 {
                atEnd = true
            } else {
                buffer.append(contentsOf: chunk[..<count])
            }
            return
        }
    }
}
