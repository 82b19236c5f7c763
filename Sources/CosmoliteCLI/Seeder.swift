// SPDX-License-Identifier: Apache-2.0

import CosmoliteDomain
import CosmoliteJSON
import CosmoliteStorage
import Foundation

/// One bad seed file or entry: `FILE: entry N (id X): reason`.
struct SeedProblem: CustomStringConvertible {
    /// The file.
    let path: String
    /// The entry's index in the file's array (from 0), or `nil` for a problem with the whole file.
    let index: Int?
    /// The entry's id, when it has a string id.
    let id: String?
    /// What is wrong; never the entry's content.
    let reason: String

    /// `FILE: entry N (id X): reason`, or `FILE: reason` for the whole file.
    var description: String {
        guard let index else { return "\(path): \(reason)" }
        return "\(path): entry \(index) (\(id.map { "id \($0)" } ?? "no id")): \(reason)"
    }
}

/// A seed file that passed validation.
struct SeedFile {
    /// The file.
    let path: String
    /// The container, named by the file (`<container>.json`).
    let container: String
    /// The entries, in file order.
    let entries: [(document: JSONObject, id: String, partitionKey: PartitionKey)]
}

/// What applying one seed file did.
struct SeedResult {
    /// The file.
    let path: String
    /// The container.
    let container: String
    /// Items that did not exist.
    var created = 0
    /// Items that existed with other user properties.
    var updated = 0
    /// Items that existed with the same user properties (not written).
    var unchanged = 0
    /// Entries the engine rejected (nothing of them was written).
    var failures: [(problem: SeedProblem, error: StoreError)] = []
}

/// Loads seed files (`DIR/<container>.json`, each a JSON array of items), validates all of them, and upserts
/// the entries that differ from what is stored.
struct Seeder {
    /// The store.
    let store: Store

    // MARK: - Validation

    /// Reads and validates every `*.json` file of `directory` (sorted by name).
    ///
    /// - Returns: The files, and every problem found; the files are usable only when there is no problem.
    /// - Throws: ``StoreError`` 400 when the folder is missing or is a file; ``CLIError`` 400 when it cannot be read.
    func load(directory: String) throws -> (files: [SeedFile], problems: [SeedProblem]) {
        let names: [String]
        try Store.requireFolder(directory, named: "the seed folder", holding: "the seed files (<container>.json)")
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw CLIError.badRequest("cannot read the seed folder '\(directory)' (check its permissions)")
        }
        var files = [SeedFile]()
        var problems = [SeedProblem]()
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            let container = String(name.dropLast(".json".count))
            if let file = validate(path: path, container: container, problems: &problems) {
                files.append(file)
            }
        }
        return (files, problems)
    }

    private func validate(path: String, container: String, problems: inout [SeedProblem]) -> SeedFile? {
        func fileProblem(_ reason: String) -> SeedFile? {
            problems.append(SeedProblem(path: path, index: nil, id: nil, reason: reason))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else { return fileProblem("cannot read the file") }
        let entries: [JSONValue]
        switch Result(catching: { try JSONReader.parse(Array(data)) }) {
        case .success(.array(let list)): entries = list
        case .success: return fileProblem("must be a JSON array of items")
        case .failure(let error): return fileProblem("not valid JSON: \(error)")
        }
        do {
            _ = try store.container(container)
        } catch let error as StoreError where error.code == .notFound {
            return fileProblem("container '\(container)' does not exist; create it first (cosmolite init)")
        } catch {
            return fileProblem(CLIError.report(for: error) ?? "\(error)")
        }
        var valid = [(document: JSONObject, id: String, partitionKey: PartitionKey)]()
        var seen = [SeedKey: Int]()
        let before = problems.count
        for (index, entry) in entries.enumerated() {
            let id: String? = entry["id"]?.stringValue
            let key: PartitionKey
            do {
                key = try store.validateItem(in: container, document: entry).partitionKey
            } catch {
                problems.append(SeedProblem(path: path, index: index, id: id,
                                            reason: (error as? StoreError)?.message ?? "\(error)"))
                continue
            }
            guard case .object(let document) = entry, let id else { continue }
            if let schemaProblems = Self.schemaProblems(container: container, entry: entry), !schemaProblems.isEmpty {
                problems.append(SeedProblem(path: path, index: index, id: id,
                                            reason: schemaProblems.map(\.description).joined(separator: "; ")))
                continue
            }
            let seedKey = SeedKey(partitionKey: key, id: id)
            if let first = seen[seedKey] {
                problems.append(SeedProblem(path: path, index: index, id: id,
                                            reason: "duplicate of entry \(first) (same id and partition key \(key))"))
                continue
            }
            seen[seedKey] = index
            valid.append((document, id, key))
        }
        guard problems.count == before else { return nil }
        return SeedFile(path: path, container: container, entries: valid)
    }

    /// The domain schema's problems of an entry of a container the integration services own (the provider
    /// catalog), or `nil` for other containers.
    static func schemaProblems(container: String, entry: JSONValue) -> [DomainError.FieldError]? {
        guard container == IntegrationContainers.providers else { return nil }
        return Provider.problems(in: entry)
    }

    // MARK: - Applying

    /// Upserts the entries of `file` that are missing or differ from the stored item, in one commit.
    ///
    /// - Throws: ``StoreError`` for a failure of the store itself; rejected entries are reported in the result.
    func apply(_ file: SeedFile) throws -> SeedResult {
        var result = SeedResult(path: file.path, container: file.container)
        var operations = [BatchOperation]()
        var sources = [Int]()
        for (index, entry) in file.entries.enumerated() {
            let existing: Item?
            do {
                existing = try store.readItem(in: file.container, id: entry.id, partitionKey: entry.partitionKey)
            } catch let error as StoreError where error.code == .notFound {
                existing = nil
            }
            if let existing, Item.userProperties(of: try existing.value()) == Item.userProperties(of: entry.document) {
                result.unchanged += 1
                continue
            }
            operations.append(BatchOperation(.upsert, resourceBody: .object(entry.document),
                                             partitionKey: entry.partitionKey))
            sources.append(index)
        }
        guard !operations.isEmpty else { return result }
        // All or nothing per file: a rejected entry leaves the file's other entries unwritten too.
        let outcomes = try store.bulk(in: file.container, operations: operations, atomic: true)
        for (outcome, index) in zip(outcomes, sources) {
            switch outcome.statusCode {
            case 201: result.created += 1
            case 200: result.updated += 1
            default:
                let error = outcome.error ?? StoreError(.internalError, "the upsert failed without an error")
                let entry = file.entries[index]
                result.failures.append((SeedProblem(path: file.path, index: index, id: entry.id,
                                                    reason: error.description), error))
            }
        }
        return result
    }
}

/// An item's identity within a container: its partition key and id.
private struct SeedKey: Hashable {
    let partitionKey: PartitionKey
    let id: String
}
