// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON
import CosmoliteLMDB

/// One operation of a transactional batch (or of a bulk request), in Cosmos's shape.
///
/// The JSON form is the one Cosmos's batch API takes:
/// `{"operationType": "Create", "resourceBody": {...}}`, `{"operationType": "Read", "id": "a"}`,
/// `{"operationType": "Replace", "id": "a", "resourceBody": {...}, "ifMatch": "\"...\""}`,
/// `{"operationType": "Patch", "id": "a", "resourceBody": {"operations": [{"op": "set", ...}],
/// "condition": "FROM c WHERE ..."}}` (the condition is optional). The SDKs' per-operation options are read too:
/// `ifNoneMatch`, `minimalReturnPreference` (the result carries no `resourceBody`) and `indexingDirective`
/// (`Default` or `Include`; Cosmolite indexes every item its container's policy covers, so `Exclude` is refused).
public struct BatchOperation: Sendable {
    /// The kind of operation.
    public enum Kind: String, Sendable, CaseIterable {
        /// Create an item (409 if the id exists).
        case create = "Create"
        /// Read an item (404 if missing).
        case read = "Read"
        /// Replace an existing item.
        case replace = "Replace"
        /// Create or replace.
        case upsert = "Upsert"
        /// Delete an item.
        case delete = "Delete"
        /// Patch an item.
        case patch = "Patch"
    }

    /// The kind of operation.
    public var kind: Kind
    /// The item id (required for read, replace, delete, patch; taken from the body otherwise).
    public var id: String?
    /// The document (create, replace, upsert).
    public var resourceBody: JSONValue?
    /// The document as UTF-8 JSON bytes, parsed by the engine: an alternative to ``resourceBody`` for callers that
    /// hold JSON text. A create given bytes that a unique key or an existing id refuses is refused without building
    /// the document tree. Used only when ``resourceBody`` is `nil`.
    public var resourceJSON: [UInt8]?
    /// Patch operations (patch).
    public var patchOperations: [PatchOperation]
    /// The condition a patch applies under (Cosmos's filter predicate); a patch whose item does not satisfy it fails
    /// with 412, and so does the whole batch.
    public var patchCondition: PatchCondition?
    /// `If-Match`: apply only if the item's `_etag` equals this. On a read, an equal `_etag` gives 304 (Not
    /// Modified) with no body, as the service answers it in a batch.
    public var ifMatch: String?
    /// `If-None-Match` (reads only): 304 (Not Modified) with no body when the item's `_etag` equals this, or for
    /// any existing item when it is `*`. Writes ignore it.
    public var ifNoneMatch: String?
    /// Whether the result carries the item (`false`: the SDKs' `minimalReturnPreference`, only its `_etag`).
    public var returnsContent = true
    /// The partition key of this operation; used by ``Store/bulk(in:operations:)`` (a batch has one key).
    public var partitionKey: PartitionKey?

    /// Creates an operation.
    public init(_ kind: Kind, id: String? = nil, resourceBody: JSONValue? = nil, patchOperations: [PatchOperation] = [],
                patchCondition: PatchCondition? = nil, ifMatch: String? = nil, partitionKey: PartitionKey? = nil) {
        self.kind = kind
        self.id = id
        self.resourceBody = resourceBody
        self.patchOperations = patchOperations
        self.patchCondition = patchCondition
        self.ifMatch = ifMatch
        self.partitionKey = partitionKey
    }

    /// Creates a create, replace or upsert operation whose document is given as UTF-8 JSON bytes.
    public init(_ kind: Kind, id: String? = nil, json: [UInt8], ifMatch: String? = nil,
                partitionKey: PartitionKey? = nil) {
        self.init(kind, id: id, ifMatch: ifMatch, partitionKey: partitionKey)
        self.resourceJSON = json
    }

    /// The UTF-8 JSON bytes of the operation's document and patch values: what it adds to a batch's size.
    var payloadBytes: Int {
        var bytes = resourceBody.map { JSONWriter.serialize($0).count } ?? resourceJSON?.count ?? 0
        for operation in patchOperations {
            if let value = operation.value { bytes += JSONWriter.serialize(value).count }
        }
        return bytes
    }

    /// Parses Cosmos's JSON form of a batch operation.
    ///
    /// - Parameters:
    ///   - json: The operation.
    ///   - index: Its position in the batch, for messages.
    ///   - compileCondition: Compiles a patch's `condition` text (`PatchCondition.init(filterPredicate:)` from
    ///     `CosmoliteQuery`). Without it, a patch with a condition is refused with 400: it is never applied
    ///     unconditionally.
    /// - Throws: ``StoreError`` 400 naming the bad field and the operation's index.
    public init(json: JSONValue, index: Int = 0,
                compileCondition: ((String) throws -> PatchCondition)? = nil) throws {
        func fail(_ why: String) -> StoreError { .badRequest("batch operation \(index): \(why)") }
        guard case .object(let o) = json else { throw fail("must be a JSON object") }
        guard case .string(let type)? = o["operationType"],
              let kind = Kind.allCases.first(where: { $0.rawValue.lowercased() == type.lowercased() }) else {
            throw fail("operationType must be one of Create, Read, Replace, Upsert, Delete, Patch")
        }
        for key in o.keys where !["operationType", "id", "resourceBody", "ifMatch", "ifNoneMatch", "partitionKey",
                                  "minimalReturnPreference", "indexingDirective"].contains(key) {
            throw fail("unknown property '\(key)'")
        }
        var id: String?
        if let raw = o["id"] {
            guard case .string(let s) = raw else { throw fail("id must be a string") }
            id = s
        }
        func string(_ name: String) throws -> String? {
            guard let raw = o[name] else { return nil }
            guard case .string(let s) = raw else { throw fail("\(name) must be a string") }
            return s
        }
        let ifMatch = try string("ifMatch")
        let ifNoneMatch = try string("ifNoneMatch")
        var returnsContent = true
        if let raw = o["minimalReturnPreference"] {
            guard case .bool(let minimal) = raw else { throw fail("minimalReturnPreference must be true or false") }
            returnsContent = !minimal
        }
        if let directive = try string("indexingDirective") {
            switch directive.lowercased() {
            case "default", "include": break
            case "exclude":
                throw fail("indexingDirective Exclude (leaving one item out of the indexes) is not supported by "
                    + "Cosmolite; leave it out, or exclude the item's paths in the container's indexing policy")
            default: throw fail("indexingDirective must be Default, Include or Exclude, got '\(directive)'")
            }
        }
        var body = o["resourceBody"]
        var patch = [PatchOperation]()
        var condition: PatchCondition?
        switch kind {
        case .create, .upsert, .replace:
            guard body != nil else { throw fail("\(kind.rawValue) needs a resourceBody") }
            if id == nil { id = body?["id"]?.stringValue }
        case .read, .delete:
            guard id != nil else { throw fail("\(kind.rawValue) needs an id") }
        case .patch:
            guard id != nil else { throw fail("Patch needs an id") }
            guard let b = body else { throw fail("Patch needs resourceBody {\"operations\": [...]}") }
            let parsed: PatchBody
            do { parsed = try PatchBody(json: b) } catch let error as StoreError { throw fail(error.message) }
            patch = parsed.operations
            if let text = parsed.condition {
                guard let compileCondition else {
                    throw fail("this caller cannot evaluate a patch condition; parse the operation with "
                        + "compileCondition: PatchCondition.init(filterPredicate:) from CosmoliteQuery")
                }
                do {
                    condition = try compileCondition(text)
                } catch {
                    throw fail("condition: " + ((error as? StoreError)?.message ?? "\(error)"))
                }
            }
            body = nil
        }
        var key: PartitionKey?
        if let raw = o["partitionKey"] { key = try PartitionKey(json: raw) }
        self.init(kind, id: id, resourceBody: body, patchOperations: patch, patchCondition: condition,
                  ifMatch: ifMatch, partitionKey: key)
        self.ifNoneMatch = ifNoneMatch
        self.returnsContent = returnsContent
    }
}

/// The outcome of one operation of a batch or bulk request.
public struct BatchOperationResult: Sendable {
    /// The HTTP status: 200 (read, replace, upsert of an existing item), 201 (created), 204 (deleted), 304 (a read
    /// whose condition found the item unchanged), or the error status; 424 for operations of a failed batch that were
    /// not the cause.
    public let statusCode: Int
    /// The item written or read, if any (none for a 304, or when the operation asked for a minimal result).
    public let item: Item?
    /// The error, for a failed operation.
    public let error: StoreError?
    /// The `_etag` of a result without its item (a 304, or a minimal result).
    private let itemlessETag: String?
    /// The item's `_etag` after the operation, when it exists (also for a 304 and a minimal result). Formatted when
    /// asked for: bulk loads never ask.
    public var etag: String? { itemlessETag ?? item?.etag }

    init(statusCode: Int, item: Item?, error: StoreError?, etag: String? = nil) {
        self.statusCode = statusCode
        self.item = item
        self.error = error
        itemlessETag = etag
    }

    /// Whether the operation succeeded (a 304 did: the item is as the caller has it).
    public var isSuccess: Bool { (200..<400).contains(statusCode) }

    /// The JSON form: `{"statusCode": 201, "eTag": "...", "resourceBody": {...}}` or with `"message"` on failure.
    public var json: JSONValue {
        var o = JSONObject()
        o["statusCode"] = .number(Double(statusCode))
        if let error, let sub = error.subStatus { o["subStatusCode"] = .number(Double(sub)) }
        if let etag { o["eTag"] = .string(etag) }
        if let item, let body = try? JSONReader.parse(item.json) { o["resourceBody"] = body }
        if let error { o["message"] = .string(error.message) }
        return .object(o)
    }
}

/// The outcome of a transactional batch: all operations applied, or none.
public struct BatchResponse: Sendable {
    /// One result per operation, in order.
    public let results: [BatchOperationResult]
    /// The index of the operation that failed, if the batch failed.
    public let failedIndex: Int?

    /// Whether every operation was applied.
    public var isSuccess: Bool { failedIndex == nil }
    /// 200 on success, 207 (Multi-Status) on success with a result outside 2xx (a 304 read), otherwise the failing
    /// operation's status.
    public var statusCode: Int {
        if let failedIndex { return results[failedIndex].statusCode }
        return results.allSatisfy { (200..<300).contains($0.statusCode) } ? 200 : 207
    }
}

extension Store {
    /// The most operations in one transactional batch (Cosmos's limit).
    public static let maxBatchOperations = 100

    /// The most bytes of documents and patch values in one transactional batch: Cosmos's 2 MB request limit, which
    /// a batch must fit as a whole.
    public static let maxBatchBytes = 2 * 1024 * 1024

    /// Runs a transactional batch: up to 100 operations on one logical partition, all or nothing.
    ///
    /// On failure nothing is written; the failing operation carries its own status and every other operation
    /// 424 (Failed Dependency), as in Cosmos.
    ///
    /// - Throws: ``StoreError`` 400 for an empty batch or one of more than 100 operations, 413 for one whose documents
    ///   and patch values exceed 2 MB in all, 404 for a missing container. Failures of individual operations are
    ///   reported in the response, not thrown.
    public func executeBatch(in container: String, partitionKey: PartitionKey,
                             operations: [BatchOperation]) throws -> BatchResponse {
        // The first sentence of each message is the service's own (the SDKs' tests match it).
        guard !operations.isEmpty else {
            throw StoreError.badRequest("Batch request has no operations. Give it at least one.")
        }
        guard operations.count <= Self.maxBatchOperations else {
            throw StoreError.badRequest("Batch request has more operations than what is supported. It takes at most "
                + "\(Self.maxBatchOperations), got \(operations.count); split it.")
        }
        var payload = 0
        for op in operations {
            payload += op.payloadBytes
            guard payload <= Self.maxBatchBytes else {
                throw StoreError.tooLarge("the batch's documents and patch values exceed \(Self.maxBatchBytes) bytes "
                    + "(Cosmos's 2 MB request limit); split it into smaller batches")
            }
        }
        let now = nowSeconds()
        return try Self.allOrNothing(count: operations.count) {
            try write { txn, catalog, state in
                state.isOneTransaction = true
                let runtime = try self.runtime(container, in: catalog)
                try runtime.definition.partitionKey.validate(partitionKey)
                var results = [BatchOperationResult]()
                for (i, op) in operations.enumerated() {
                    do {
                        if let key = op.partitionKey, key != partitionKey {
                            throw StoreError.badRequest(
                                "the operation's partition key \(key) differs from the batch's \(partitionKey)",
                                subStatus: StoreError.partitionKeyMismatchSubStatus)
                        }
                        results.append(try self.execute(op, txn, &state, runtime, partitionKey: partitionKey, now: now))
                    } catch let error as StoreError {
                        throw BatchAbort(index: i, error: error)
                    }
                }
                return results
            }
        }
    }

    /// Applies operations in one transaction (one commit, one fsync): the fast path for loading data.
    ///
    /// Each operation's partition key comes from ``BatchOperation/partitionKey`` or, for create and upsert,
    /// from its document; unlike a transactional batch, the operations may span logical partitions.
    ///
    /// - Parameter atomic: `false` (Cosmos bulk semantics): each operation succeeds or fails on its own, a failed
    ///   one leaves no trace, and the successful ones commit together. `true`: all or nothing; on the first failure
    ///   nothing is written, and the results carry that failure and 424 for every other operation.
    /// - Returns: One result per operation, in order.
    public func bulk(in container: String, operations: [BatchOperation],
                     atomic: Bool = false) throws -> [BatchOperationResult] {
        let now = nowSeconds()
        return try Self.allOrNothing(count: operations.count) {
            try write { txn, catalog, state in
                state.isOneTransaction = atomic
                let runtime = try self.runtime(container, in: catalog)
                var results = [BatchOperationResult]()
                results.reserveCapacity(operations.count)
                for (i, op) in operations.enumerated() {
                    do {
                        results.append(try self.execute(op, txn, &state, runtime, partitionKey: op.partitionKey, now: now))
                    } catch let error as StoreError where error.status < 500 {
                        if atomic { throw BatchAbort(index: i, error: error) }
                        // Every rejection happens before the operation's first mutation, so nothing is left behind.
                        results.append(BatchOperationResult(statusCode: error.status, item: nil, error: error))
                    }
                }
                return results
            }
        }.results
    }

    /// Thrown inside an all-or-nothing write to abort it: operation `index` failed with `error`.
    struct BatchAbort: Error {
        let index: Int
        let error: StoreError
    }

    /// Runs an all-or-nothing group of operations: when `run` throws ``BatchAbort`` the transaction has been
    /// rolled back and the response carries that failure and 424 for every other operation.
    static func allOrNothing(count: Int, _ run: () throws -> [BatchOperationResult]) throws -> BatchResponse {
        do {
            return BatchResponse(results: try run(), failedIndex: nil)
        } catch let abort as BatchAbort {
            return BatchResponse(results: failedResults(count: count, failed: abort.index, error: abort.error),
                                 failedIndex: abort.index)
        }
    }

    /// Results of an all-or-nothing group whose operation `failed` failed: its error, and 424 for the others.
    static func failedResults(count: Int, failed: Int, error: StoreError) -> [BatchOperationResult] {
        (0..<count).map { i in
            i == failed
                ? BatchOperationResult(statusCode: error.status, item: nil, error: error)
                : BatchOperationResult(statusCode: 424, item: nil, error: StoreError(.failedDependency,
                    "not applied because operation \(failed) of the group failed"))
        }
    }

    /// Runs one operation inside a write transaction.
    func execute(_ op: BatchOperation, _ txn: borrowing Transaction, _ state: inout WriteState,
                 _ runtime: ContainerRuntime, partitionKey: PartitionKey?, now: UInt64) throws -> BatchOperationResult {
        func requireKey() throws -> PartitionKey {
            guard let partitionKey else {
                throw StoreError.badRequest("a \(op.kind.rawValue) operation needs a partition key")
            }
            return partitionKey
        }
        func requireID() throws -> String {
            guard let id = op.id else { throw StoreError.badRequest("a \(op.kind.rawValue) operation needs an id") }
            return id
        }
        func requireBody() throws -> JSONValue {
            if let body = op.resourceBody { return body }
            guard let json = op.resourceJSON else {
                throw StoreError.badRequest("a \(op.kind.rawValue) operation needs a resourceBody")
            }
            return try PreparedDocument.parse(json)
        }
        func result(_ status: Int, _ item: Item?) -> BatchOperationResult {
            op.returnsContent ? BatchOperationResult(statusCode: status, item: item, error: nil)
                : BatchOperationResult(statusCode: status, item: nil, error: nil, etag: item?.etag)
        }
        switch op.kind {
        case .create:
            let item = if op.resourceBody == nil, let json = op.resourceJSON {
                try create(txn, &state, runtime, json: json, explicitKey: partitionKey, now: now)
            } else {
                try create(txn, &state, runtime, try requireBody(), explicitKey: partitionKey, now: now)
            }
            return result(201, item)
        case .upsert:
            let (item, created) = try upsert(txn, &state, runtime, try requireBody(), explicitKey: partitionKey,
                                             ifMatch: op.ifMatch, now: now)
            return result(created ? 201 : 200, item)
        case .replace:
            let item = try replace(txn, &state, runtime, id: try requireID(), partitionKey: try requireKey(),
                                   try requireBody(), ifMatch: op.ifMatch, now: now)
            return result(200, item)
        case .delete:
            try delete(txn, &state, runtime, id: try requireID(), partitionKey: try requireKey(), ifMatch: op.ifMatch,
                       now: now)
            return result(204, nil)
        case .patch:
            let item = try patch(txn, &state, runtime, id: try requireID(), partitionKey: try requireKey(),
                                 operations: op.patchOperations, ifMatch: op.ifMatch, condition: op.patchCondition,
                                 now: now)
            return result(200, item)
        case .read:
            let key = try requireKey()
            let id = try requireID()
            let (_, stored) = try liveItem(txn, runtime, id: id, partitionKey: key, ifMatch: nil, now: now)
            let etag = ResourceID.etag(cid: runtime.cid, lsn: stored.record.lsn)
            // An equal If-Match is a 304 too: the .NET SDK's emulator tests expect NotModified for a batch read with
            // the item's current etag as IfMatchEtag (BatchSinglePartitionKeyTests).
            if op.ifNoneMatch == "*" || op.ifNoneMatch == etag || op.ifMatch == etag {
                return BatchOperationResult(statusCode: 304, item: nil, error: nil, etag: etag)
            }
            if op.ifMatch != nil { throw Self.staleIfMatch(id, key) }
            return result(200, item(runtime, stored: stored, partitionKey: key))
        }
    }
}
