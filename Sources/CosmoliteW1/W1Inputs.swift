// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A request naming one document: op2 `read`, op9 `delete`.
struct W1KeyRequest {
    let tenantId: String
    let id: String
}

/// A request carrying a full document: op7 `update` (with its target) and op8 `unique-violation`.
struct W1DocumentRequest {
    let tenantId: String
    let id: String
    /// The `doc` member's bytes exactly as they appear in the ops line (W1.md §4: "store them as given").
    let document: [UInt8]
}

/// The parameters line of `w1-ops.jsonl`.
/// One query request of op3–op6: the tenant (empty for cross-partition), the connection status filter (if any)
/// and the page size or limit.
struct W1QueryRequest {
    let tenantId: String
    let connectionStatus: String
    let limit: Int
}

struct W1Parameters {
    var loadBatch = 0, loadSingle = 0, updateBatch = 0, collisionBatch = 0, deleteBatch = 0

    init(_ o: JSONObject) throws {
        func int(_ key: String) throws -> Int {
            guard let n = o[key]?.numberValue, n >= 1, n == n.rounded() else {
                throw W1Error("ops params: '\(key)' is missing or not a positive integer")
            }
            return Int(n)
        }
        loadBatch = try int("loadBatch")
        loadSingle = try int("loadSingle")
        updateBatch = try int("updateBatch")
        collisionBatch = try int("collisionBatch")
        deleteBatch = try int("deleteBatch")
    }
}

/// Everything read from the input files, split and decoded before any op starts (untimed, W1.md §4).
/// Documents stay raw UTF-8 bytes: parsing them is the engine's (timed) work.
struct W1Inputs {
    let documents: [[UInt8]]
    let parameters: W1Parameters
    let reads: [W1KeyRequest]
    let updates: [W1DocumentRequest]
    let collisions: [W1DocumentRequest]
    let deletes: [W1KeyRequest]
    /// Query ops (op3–op6) present in the file but not run by this runner yet.
    let tenantPages: [W1QueryRequest]
    let paginations: [W1QueryRequest]
    let filteredPages: [W1QueryRequest]
    let crossPartition: [W1QueryRequest]

    init(dataPath: String, opsPath: String) throws {
        var documents = [[UInt8]]()
        var reads = [W1KeyRequest](), deletes = [W1KeyRequest]()
        var updates = [W1DocumentRequest](), collisions = [W1DocumentRequest]()
        var tenantPages = [W1QueryRequest](), paginations = [W1QueryRequest]()
        var filteredPages = [W1QueryRequest](), crossPartition = [W1QueryRequest]()
        do {
            let data = try Self.readFile(dataPath)
            documents.reserveCapacity(data.count / 700 + 1)
            Self.forEachLine(data) { documents.append(Array($0)) }
        }

        let ops = try Self.readFile(opsPath)
        var params: W1Parameters?
        var lineNumber = 0
        var failure: (any Error)?
        let docMarker = Array(#","doc":"#.utf8)
        Self.forEachLine(ops) { line in
            guard failure == nil else { return }
            lineNumber += 1
            do {
                // The generator writes `doc` last: {"op":..,"tenantId":..,"id":..,"doc":{...}}. Decode the head as
                // JSON; keep the document's bytes verbatim.
                var head = Array(line)
                var document: [UInt8]?
                if let at = Self.firstIndex(of: docMarker, in: line) {
                    let start = at + docMarker.count
                    let end = line.endIndex - 1  // the line's closing brace
                    guard end > start, line[end] == UInt8(ascii: "}"), line[start] == UInt8(ascii: "{") else {
                        throw W1Error("the 'doc' member is not the last member of the line")
                    }
                    document = Array(line[start..<end])
                    head = Array(line[..<at]) + [UInt8(ascii: "}")]
                }
                guard case .object(let o) = try JSONReader.parse(head), case .string(let op)? = o["op"] else {
                    throw W1Error("not a JSON object with an 'op'")
                }
                func string(_ key: String) throws -> String {
                    guard case .string(let s)? = o[key] else { throw W1Error("'\(op)' line without '\(key)'") }
                    return s
                }
                func doc() throws -> [UInt8] {
                    guard let document else { throw W1Error("'\(op)' line without 'doc'") }
                    return document
                }
                switch op {
                case "params": params = try W1Parameters(o)
                case "read": reads.append(W1KeyRequest(tenantId: try string("tenantId"), id: try string("id")))
                case "delete": deletes.append(W1KeyRequest(tenantId: try string("tenantId"), id: try string("id")))
                case "update":
                    updates.append(W1DocumentRequest(tenantId: try string("tenantId"), id: try string("id"),
                                                     document: try doc()))
                case "unique-violation":
                    collisions.append(W1DocumentRequest(tenantId: "", id: "", document: try doc()))
                case "tenant-page", "paginate", "filtered-page", "cross-partition":
                    guard let limit = (o["limit"] ?? o["pageSize"])?.numberValue, limit >= 1 else {
                        throw W1Error("'\(op)' line without 'limit' or 'pageSize'")
                    }
                    let request = W1QueryRequest(tenantId: o["tenantId"]?.stringValue ?? "",
                                                 connectionStatus: o["connectionStatus"]?.stringValue ?? "",
                                                 limit: Int(limit))
                    switch op {
                    case "tenant-page": tenantPages.append(request)
                    case "paginate": paginations.append(request)
                    case "filtered-page": filteredPages.append(request)
                    default: crossPartition.append(request)
                    }
                default:
                    throw W1Error("unknown op '\(op)'")
                }
            } catch {
                failure = W1Error("\(opsPath) line \(lineNumber): \(error)")
            }
        }
        if let failure { throw failure }
        guard let params else { throw W1Error("\(opsPath) has no params line") }
        self.parameters = params
        self.documents = documents
        self.reads = reads
        self.updates = updates
        self.collisions = collisions
        self.deletes = deletes
        self.tenantPages = tenantPages
        self.paginations = paginations
        self.filteredPages = filteredPages
        self.crossPartition = crossPartition
    }

    /// The whole file as bytes.
    static func readFile(_ path: String) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else {
            throw W1Error("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(f) }
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { out.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(f) != 0 { throw W1Error("cannot read \(path)") }
                break
            }
        }
        return out
    }

    /// Calls `body` with every non-empty line (without its "\n").
    static func forEachLine(_ bytes: [UInt8], _ body: (ArraySlice<UInt8>) -> Void) {
        var start = 0
        let n = bytes.count
        while start < n {
            var end = start
            while end < n && bytes[end] != 0x0A { end += 1 }
            if end > start { body(bytes[start..<end]) }
            start = end + 1
        }
    }

    /// The absolute index of the first occurrence of `needle` in `haystack`.
    static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
