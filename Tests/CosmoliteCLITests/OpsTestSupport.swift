// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Helpers shared by the export, import, backup, restore, stats and store-error tests.
enum Ops {
    /// Every item of `container` in the store at `store`, keyed by `partition key JSON|id`, as the stored
    /// documents.
    static func items(_ box: Sandbox, _ container: String, store: String? = nil) throws -> [String: JSONObject] {
        var arguments = ["items", "list", container, "--all", "--max-item-count", "-1", "--format", "jsonl"]
        if let store { arguments += ["--store", store] }
        let result = try box.ok(arguments)
        var items = [String: JSONObject]()
        for page in try result.jsonLines() {
            for item in page["items"]?.arrayValue ?? [] {
                let object = item.members
                items[key(object)] = object
            }
        }
        return items
    }

    /// `["tenant"]|id`-style key of a stored document (partition key taken from `tenantId` and `region`).
    static func key(_ object: JSONObject) -> String {
        let tenant = object["tenantId"].map { String(decoding: JSONWriter.serialize($0), as: UTF8.self) } ?? "-"
        let region = object["region"].map { String(decoding: JSONWriter.serialize($0), as: UTF8.self) } ?? "-"
        return "\(tenant)|\(region)|\(object["id"]?.stringValue ?? "?")"
    }

    /// A document without the system properties Cosmolite adds.
    static func userProperties(_ object: JSONObject) -> JSONObject {
        var object = object
        for key in ["_rid", "_self", "_etag", "_attachments", "_ts"] { object[key] = nil }
        return object
    }

    /// Writes a container definition file and creates the container.
    static func createContainer(_ box: Sandbox, _ json: String, store: String? = nil) throws {
        let file = try box.write("defs/\(UUID().uuidString).json", json)
        var arguments = ["containers", "create", "--file", file]
        if let store { arguments += ["--store", store] }
        _ = try box.ok(arguments)
    }

    /// Upserts JSON Lines into a container (one transaction per line).
    static func load(_ box: Sandbox, _ container: String, _ lines: [String]) throws {
        _ = try box.ok(["items", "upsert", container, "--lines"], stdin: lines.joined(separator: "\n") + "\n")
    }

    /// The bytes of a file.
    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Replaces every occurrence of `pattern` with `replacement` (same length) in a file; returns how many.
    @discardableResult
    static func patch(_ path: String, _ pattern: [UInt8], with replacement: [UInt8]) throws -> Int {
        precondition(pattern.count == replacement.count)
        var bytes = try bytes(path)
        var count = 0
        var i = 0
        while i + pattern.count <= bytes.count {
            if bytes[i] == pattern[0] && Array(bytes[i..<(i + pattern.count)]) == pattern {
                bytes.replaceSubrange(i..<(i + pattern.count), with: replacement)
                count += 1
                i += pattern.count
            } else {
                i += 1
            }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return count
    }
}
