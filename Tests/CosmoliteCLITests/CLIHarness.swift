// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one run of the `cosmolite` binary produced.
struct CLIResult {
    /// The exit status (or the signal number for a killed process).
    let status: Int32
    /// Standard output.
    let stdout: String
    /// Standard error.
    let stderr: String

    /// The first line of standard error.
    var firstErrorLine: String {
        stderr.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
    }

    /// The non-empty lines of standard output.
    var lines: [String] { stdout.split(separator: "\n").map(String.init) }

    /// Standard output parsed as one JSON document.
    func json() throws -> JSONValue { try JSONReader.parse(stdout) }

    /// Each line of standard output parsed as JSON.
    func jsonLines() throws -> [JSONValue] { try lines.map { try JSONReader.parse($0) } }

    /// A description for failed expectations.
    var summary: String { "status \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

/// Locates the built `cosmolite` binary: `$COSMOLITE_BIN`, else the first `cosmolite` found walking up from the
/// test bundle's directory (the build products directory, for example `.build/debug`).
enum CosmoliteBinary {
    static let path: String = {
        if let override = ProcessInfo.processInfo.environment["COSMOLITE_BIN"], !override.isEmpty {
            return override
        }
        var starts = [CommandLine.arguments.first ?? ""]
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append(exe)
        }
        for bundle in Bundle.allBundles { starts.append(bundle.bundlePath) }
        for start in starts where !start.isEmpty {
            var directory = URL(fileURLWithPath: start).standardizedFileURL.deletingLastPathComponent()
            while directory.path != "/" {
                let candidate = directory.appendingPathComponent("cosmolite").path
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                   FileManager.default.isExecutableFile(atPath: candidate) {
                    return candidate
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return "cosmolite-binary-not-found"
    }()
}

/// A fresh temporary directory for one test, holding its store and its input files; removed at the end.
final class Sandbox: Sendable {
    /// The directory.
    let directory: String
    /// The store directory (created by the first write).
    let store: String

    init() {
        directory = NSTemporaryDirectory() + "cosmolite-cli-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = directory + "/store"
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Writes `text` to `name` inside the sandbox (creating folders) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs `cosmolite --store STORE --durability relaxed ARGS` (relaxed unless `durable`), with `stdin` as
    /// standard input.
    func run(_ arguments: [String], stdin: String? = nil, durable: Bool = false,
             environment: [String: String] = [:], withStore: Bool = true) throws -> CLIResult {
        var prefix = withStore ? ["--store", store] : []
        prefix += ["--durability", durable ? "durable" : "relaxed"]
        return try CLI.run(prefix + arguments, stdin: stdin, environment: environment, directory: directory)
    }

    /// Runs a command that must succeed and returns its result.
    func ok(_ arguments: [String], stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> CLIResult {
        let result = try run(arguments, stdin: stdin)
        #expect(result.status == 0, "cosmolite \(arguments.joined(separator: " ")): \(result.summary)",
                sourceLocation: sourceLocation)
        return result
    }

    /// Creates a container partitioned on `/tenantId`.
    func createContainer(_ id: String, extra: String = "") throws {
        let file = try write("defs/\(id).json", #"{"id": "\#(id)", "partitionKey": {"paths": ["/tenantId"]}\#(extra)}"#)
        _ = try ok(["containers", "create", "--file", file])
    }
}

/// Runs the binary as a subprocess.
enum CLI {
    /// Runs `cosmolite ARGS`; standard input comes from a file holding `stdin` (or is empty), standard output
    /// and standard error are read through pipes, concurrently, until the process exits.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                    directory: String) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CosmoliteBinary.path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["COSMOLITE_STORE"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let inputPath = directory + "/.stdin-" + UUID().uuidString
        try Data((stdin ?? "").utf8).write(to: URL(fileURLWithPath: inputPath))
        defer { try? FileManager.default.removeItem(atPath: inputPath) }
        guard let input = FileHandle(forReadingAtPath: inputPath) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        defer { try? input.close() }
        process.standardInput = input
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        let output = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            let data = outPipe.fileHandleForReading.readDataToEndOfFile()
            output.data.withLock { $0 = data }
            group.leave()
        }
        let errors = errPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus,
                         stdout: String(decoding: output.data.withLock { $0 }, as: UTF8.self),
                         stderr: String(decoding: errors, as: UTF8.self))
    }
}

/// Bytes shared between a reading thread and the test.
final class DataBox: Sendable {
    /// The bytes.
    let data = Mutex(Data())
}

extension JSONValue {
    /// The members of an object value (empty otherwise).
    var members: JSONObject { objectValue ?? JSONObject() }
}
