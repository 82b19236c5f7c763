// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CosmoliteJSON
import CosmoliteStorage

/// How `import` writes each item.
enum ImportMode: String, ExpressibleByArgument, CaseIterable {
    /// Create: an item whose id already exists in its partition fails with 409.
    case create
    /// Upsert: an existing item is replaced.
    case upsert
}

/// What `import` does after a bad line.
enum ImportErrorPolicy: String, ExpressibleByArgument, CaseIterable {
    /// Stop at the first bad line; everything before it is committed, nothing after it.
    case stop
    /// Report the bad line and go on.
    case skip
}

/// The outcome of an import.
struct ImportSummary {
    /// Lines read (blank ones included).
    var lines = 0
    /// Items written.
    var imported = 0
    /// Item lines deliberately not imported: those before `--resume-at`.
    var skipped = 0
    /// Bad lines (each reported on standard error).
    var failed = 0
    /// Containers created from the file's header.
    var containersCreated: [String] = []
    /// The line the import stopped at (`--on-error stop`, or a failure of the store itself).
    var stoppedAt: Int?
    /// Whether that line is a damaged line of the export's own (header, container or end line), which the lines
    /// after it depend on: it stops the import whatever `--on-error` says, and cannot be skipped.
    var stoppedAtMarker = false
    /// Whether the file is a complete export (has the end line); `nil` for plain JSON Lines (no header).
    var complete: Bool?
    /// How long the import took.
    var seconds = 0.0
}

/// Streams JSON Lines into containers in batched transactions (the engine of `cosmolite import`).
///
/// Lines are read one at a time and gathered into batches of up to `batchSize` items of one container; each
/// batch is one ``Store/bulk(in:operations:atomic:)`` call, so one commit. With ``ImportErrorPolicy/skip`` a
/// batch is not atomic (a bad item leaves no trace and the others commit). With ``ImportErrorPolicy/stop`` it is
/// atomic; when an item fails, the items before it are written again in one transaction, so that exactly the
/// lines before the bad one are committed and `--resume-at` can pick up at it.
final class Importer {
    /// The most items one line may hold in bytes before it is refused unread: an item is at most 2 MB once
    /// stored, and an exported line adds its system properties (about 200 bytes).
    static let maxLineBytes = Store.maxItemBytes + 65_536

    private let store: Store
    private let container: String?
    private let mode: ImportMode
    private let batchSize: Int
    private let onError: ImportErrorPolicy
    private let resumeAt: Int
    private let reporter: ProgressReporter

    private var summary = ImportSummary()
    private var section: String?
    private var pending: [(line: Int, operation: BatchOperation)] = []
    private var pendingContainer: String?
    private var processed = 0

    /// Thrown to end the import early; the report is already printed.
    private struct Stop: Error {}

    init(store: Store, container: String?, mode: ImportMode, batchSize: Int, onError: ImportErrorPolicy,
         resumeAt: Int, reporter: ProgressReporter) {
        self.store = store
        self.container = container
        self.mode = mode
        self.batchSize = batchSize
        self.onError = onError
        self.resumeAt = resumeAt
        self.reporter = reporter
    }

    /// Reads every line of `reader` and imports it.
    ///
    /// - Throws: ``CLIError`` or ``StoreError`` for failures that concern the whole import (an unreadable file,
    ///   a container that is missing); bad lines are reported and counted, not thrown.
    func run(_ reader: inout JSONLinesReader) throws -> ImportSummary {
        if let container { _ = try store.container(container) }
        do {
            while let line = try reader.next() {
                summary.lines = reader.lineNumber
                try handle(line, number: reader.lineNumber)
                reporter.update(count: processed, bytes: reader.bytesConsumed)
            }
            try flush()
        } catch is Stop {}
        summary.seconds = reporter.elapsed
        return summary
    }

    // MARK: - Lines

    private func handle(_ line: JSONLinesReader.Line, number: Int) throws {
        let bytes: [UInt8]
        switch line {
        case .tooLong(let length):
            guard number >= resumeAt else { return skip() }
            processed += 1
            return try fail(number, StoreError(.entityTooLarge,
                "the line is \(Units.count(length)) bytes; an item is at most \(Units.count(Store.maxItemBytes)) "
                    + "bytes (2 MB) of JSON"))
        case .text(let text):
            bytes = text
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        if number < resumeAt && !Self.mayBeMarker(bytes) { return skip() }
        let value: JSONValue
        do {
            value = try JSONReader.parse(bytes)
        } catch {
            if Self.mayBeMarker(bytes) {
                // Likely the header, a container line or the end line: what follows depends on it.
                summary.stoppedAtMarker = true
                return try fail(number, CLIError.badRequest("the line is not valid JSON: \(error); it looks like a "
                    + "line of the export's own (header, container or end line), which the lines after it depend on"),
                    stopping: true)
            }
            guard number >= resumeAt else { return skip() }
            processed += 1
            return try fail(number, CLIError.badRequest("the line is not valid JSON: \(error)"))
        }
        if case .object(let object) = value, object["id"] == nil, try marker(object, number: number) { return }
        guard number >= resumeAt else { return skip() }
        processed += 1
        guard let target = container ?? section else {
            try flush()
            throw CLIError.badRequest("line \(number): no container for this item: the file has no container line "
                + "(it is not a cosmolite export) and no --container was given; pass --container ID")
        }
        if target != pendingContainer {
            try flush()
            pendingContainer = target
        }
        pending.append((number, BatchOperation(mode == .create ? .create : .upsert, resourceBody: value)))
        if pending.count >= batchSize { try flush() }
    }

    private func skip() {
        summary.skipped += 1
    }

    /// Whether a line might be a marker line (they all contain `cosmoliteExport`); others before `--resume-at`
    /// are skipped without parsing.
    private static func mayBeMarker(_ bytes: [UInt8]) -> Bool {
        let needle = Array(ExportFormat.headerKey.utf8)
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    /// Handles a header, container or end line; returns false for an ordinary object.
    private func marker(_ object: JSONObject, number: Int) throws -> Bool {
        if let version = object[ExportFormat.headerKey] {
            try flush()
            try applyHeader(object, version: version, number: number)
            if summary.complete == nil { summary.complete = false }
            return true
        }
        if let id = object[ExportFormat.containerKey] {
            guard case .string(let id) = id else {
                throw CLIError.badRequest("line \(number): the container line must name a container id (a string)")
            }
            try flush()
            section = id
            return true
        }
        if object[ExportFormat.endKey] != nil {
            summary.complete = true
            return true
        }
        return false
    }

    private func applyHeader(_ header: JSONObject, version: JSONValue, number: Int) throws {
        guard version == .number(Double(ExportFormat.version)) else {
            throw CLIError.badRequest("line \(number): export format \(String(decoding: JSONWriter.serialize(version), as: UTF8.self)) "
                + "is not supported (this cosmolite reads format \(ExportFormat.version)); import it with a newer cosmolite")
        }
        guard case .array(let list)? = header["containers"] else {
            throw CLIError.badRequest("line \(number): the header has no \"containers\" array")
        }
        let definitions = try list.map { json in
            do {
                let definition = try ContainerDefinition(json: json)
                try definition.checkWritable()   // every definition before any is created
                return definition
            } catch let error as StoreError {
                throw StoreError(error.code, "line \(number): a container definition of the header: \(error.message)")
            }
        }
        // With --container every item goes to that container (which run() checked exists): the header's
        // definitions are not used.
        guard container == nil else { return }
        let existing = Set(try store.containers().map(\.id))
        for definition in definitions {
            if existing.contains(definition.id) {
                let differences = definition.differences(from: try store.container(definition.id).definition)
                if !differences.isEmpty {
                    StandardStreams.writeErrorLine(
                        "warning: container '\(definition.id)' exists and differs from the file's definition in "
                            + "\(differences.joined(separator: ", ")); items are imported into it as it is")
                }
            } else {
                try store.createContainer(definition)
                summary.containersCreated.append(definition.id)
            }
        }
    }

    // MARK: - Batches

    /// Reports a bad line; stops the import there under `--on-error stop`, or when `stopping`.
    private func fail(_ number: Int, _ error: any Error, stopping: Bool = false) throws {
        let stops = stopping || onError == .stop
        if stops { try flush() }
        report(number, error)
        if stops {
            summary.stoppedAt = number
            throw Stop()
        }
    }

    private func report(_ number: Int, _ error: any Error) {
        summary.failed += 1
        StandardStreams.writeErrorLine("error: line \(number): \(CLIError.report(for: error) ?? "\(error)")")
    }

    /// Writes the pending batch.
    private func flush() throws {
        guard !pending.isEmpty, let target = pendingContainer else { return }
        let batch = pending
        pending = []
        let operations = batch.map(\.operation)
        let results: [BatchOperationResult]
        do {
            results = try store.bulk(in: target, operations: operations, atomic: onError == .stop)
        } catch let error as StoreError {
            // The store refused the whole batch (missing container, disk full...): nothing of it was written.
            let first = batch[0].line
            let last = batch[batch.count - 1].line
            StandardStreams.writeErrorLine("error: lines \(first)-\(last) (container '\(target)'): \(error)")
            summary.stoppedAt = first
            throw Stop()
        }
        if onError == .skip {
            for (entry, result) in zip(batch, results) {
                if result.isSuccess {
                    summary.imported += 1
                } else {
                    report(entry.line, result.error ?? StoreError(.internalError, "status \(result.statusCode)"))
                }
            }
            return
        }
        func firstFailure(_ results: [BatchOperationResult]) -> Int? {
            results.firstIndex { !$0.isSuccess && $0.statusCode != 424 }
        }
        guard var failing = firstFailure(results) else {
            summary.imported += batch.count
            return
        }
        var failure = results[failing].error
        // Commit exactly the items before the bad one. Another writer may have changed the store since the first
        // attempt; then an earlier item may fail now, and it becomes the line to stop at.
        while failing > 0 {
            let again = try store.bulk(in: target, operations: Array(operations[..<failing]), atomic: true)
            guard let earlier = firstFailure(again) else {
                summary.imported += failing
                break
            }
            failing = earlier
            failure = again[earlier].error
        }
        report(batch[failing].line, failure ?? StoreError(.internalError, "the item failed"))
        summary.stoppedAt = batch[failing].line
        throw Stop()
    }
}
