// SPDX-License-Identifier: Apache-2.0

import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 (POSIX sockets), playing an OAuth 2.0 token endpoint for tests.
///
/// Connections are served one at a time on a dedicated thread: each request is read whole (headers and a
/// `Content-Length` body), recorded, and answered by `handler`, then the connection is closed.
final class LocalTokenServer: Sendable {
    struct Request: Sendable {
        let method: String
        let path: String
        /// Header names in lower case.
        let headers: [String: String]
        let body: String

        /// The `application/x-www-form-urlencoded` body's fields.
        var form: [String: String] {
            var fields = [String: String]()
            for pair in body.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map {
                    String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
                }
                fields[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            return fields
        }
    }

    struct Response: Sendable {
        var status: Int
        var body: String
        var contentType = "application/json"
    }

    let port: UInt16
    private let listener: Int32
    private let handler: @Sendable (Request) -> Response
    private let recorded = Mutex<[Request]>([])
    private let stopped = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts listening on an ephemeral port.
    init(handler: @escaping @Sendable (Request) -> Response) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listener = fd
        self.handler = handler
        // A dedicated thread: a blocking accept() on a shared dispatch queue would starve URLSession's own work.
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    deinit {
        stop()
    }

    /// The token endpoint's URL.
    var tokenURL: String { "http://127.0.0.1:\(port)/oauth/token" }

    /// The requests received so far.
    var requests: [Request] { recorded.withLock { $0 } }

    /// Stops listening and waits for the serving loop to end.
    func stop() {
        let first = stopped.withLock { was in
            defer { was = true }
            return !was
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        finished.wait()
        close(listener)
    }

    /// A port on 127.0.0.1 where nothing listens (connections are refused).
    static func closedPort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        close(fd)   // bound but never listening, then closed: connecting is refused
        return UInt16(bigEndian: address.sin_port)
    }

    // MARK: - Serving

    private func serve() {
        defer { finished.signal() }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        func readMore() -> Bool {
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return false }
            buffer += chunk[0..<n]
            return true
        }
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        while headerEnd == nil {
            if let range = buffer.firstRange(of: separator) { headerEnd = range.upperBound; break }
            guard readMore() else { return }
        }
        guard let headerEnd else { return }
        let head = String(decoding: buffer[..<(headerEnd - 4)], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers = [String: String]()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        if headers["expect"]?.lowercased() == "100-continue" { reply(client, "HTTP/1.1 100 Continue\r\n\r\n") }
        while buffer.count - headerEnd < length {
            guard readMore() else { break }
        }
        let body = String(decoding: buffer[headerEnd..<min(buffer.count, headerEnd + length)], as: UTF8.self)
        let request = Request(method: requestLine.first.map(String.init) ?? "",
                              path: requestLine.count > 1 ? String(requestLine[1]) : "", headers: headers, body: body)
        recorded.withLock { $0.append(request) }
        let response = handler(request)
        let bytes = Array(response.body.utf8)
        reply(client, "HTTP/1.1 \(response.status) Status\r\nContent-Type: \(response.contentType)\r\n"
                 + "Content-Length: \(bytes.count)\r\nConnection: close\r\n\r\n" + response.body)
    }

    private func reply(_ client: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }
}
