// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs W1 (see /work/shared/bench/W1.md) against Cosmolite through its public API and prints the result lines.
///
/// Ops covered: `parse`, op1a `load-single`, op1 `load`, op2 `read`, op7 `update`, op8 `unique-violation`,
/// op3 `tenant-page`, op4 `paginate`, op5 `filtered-page`, op6 `cross-partition` (Cosmos SQL through
/// ``Store/query(in:_:parameters:partitionKey:maxItemCount:continuation:)``), op9 `delete`, then the untimed
/// `verify` and `rss` lines.
///
/// Timing follows W1.md §4: wall clock from an op's first request to the end of its last commit; splitting the
/// input files happened before (untimed); parsing document JSON is inside the timed region (the engine parses the
/// raw bytes for `createItem`; for batched writes the runner parses each document with `JSONReader` into the
/// `BatchOperation`, timed as that request's own work). Batched writes use ``Store/bulk(in:operations:atomic:)``
/// with `atomic: false`: one transaction and one commit per batch, each operation failing alone without trace (a
/// failed request does not abort its batch, W1.md §4). Because `bulk` runs the
/// whole batch in one call, a request's latency is its own parse time plus an even share of the bulk call (the
/// rounding remainder goes to the request that closes the batch); the per-transaction figures are exact.
final class W1Workload {
    static let container = "integrations"
    static let engineVersion = "dev (store format 2)"

    /// W1.md §1 as a Cosmos container definition.
    static let containerDefinition = #"""
        {"id": "integrations",
         "partitionKey": {"paths": ["/tenantId"], "kind": "Hash", "version": 2},
         "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/tenantId", "/providerName", "/name"]}]},
         "indexingPolicy": {
           "indexingMode": "consistent", "automatic": true,
           "includedPaths": [
             {"path": "/tenantId/?"}, {"path": "/providerName/?"}, {"path": "/name/?"}, {"path": "/status/?"},
             {"path": "/connectionStatus/?"}, {"path": "/searchEnabled/?"}, {"path": "/userScoped/?"},
             {"path": "/enabledAt/?"}, {"path": "/createdAt/?"}, {"path": "/updatedAt/?"}],
           "excludedPaths": [
             {"path": "/*"}, {"path": "/description/*"}, {"path": "/settings/*"}, {"path": "/syncConfig/*"}],
           "compositeIndexes": [
             [{"path": "/tenantId", "order": "ascending"}, {"path": "/status", "order": "ascending"},
              {"path": "/searchEnabled", "order": "ascending"}, {"path": "/name", "order": "ascending"}],
             [{"path": "/tenantId", "order": "ascending"}, {"path": "/connectionStatus", "order": "ascending"},
              {"path": "/updatedAt", "order": "descending"}],
             [{"path": "/connectionStatus", "order": "ascending"}, {"path": "/updatedAt", "order": "descending"}]]}}
        """#

    /// The system properties the store appends to every document (removed to rebuild the original for `verify`).
    static let systemProperties = ["_rid", "_self", "_etag", "_attachments", "_ts"]

    let options: W1Options
    let inputs: W1Inputs
    let output: W1Output

    init(options: W1Options, inputs: W1Inputs) {
        self.options = options
        self.inputs = inputs
        self.output = W1Output(label: options.label)
    }

    var settings: String {
        let durability = options.durability == .durable
            ? "durable (fdatasync per commit)" : "relaxed (MDB_NOSYNC)"
        return "durability=\(durability) indexes=10 range paths ×2 + 3 composite"
            + " (plus id and _ts always indexed, unique key, change-feed row per write)"
            + " parse=timed writes=Store.bulk (1 txn per batch); batched per-request latency = own parse"
            + " + bulk call time / batch size (commit not separable); ttlSweep=off map=256MiB initial, grows"
    }

    // MARK: - Driver

    func run() throws {
        output.emit("env", [
            ("engine", .string("cosmolite")), ("engine_version", .string(Self.engineVersion)),
            ("settings", .string(settings)), ("kernel", .string(SystemProbe.kernel())),
            ("cpu", .string(SystemProbe.cpuModel())), ("nproc", .int(SystemProbe.processorCount())),
            ("compiler", .string(SystemProbe.compiler)),
        ])
        let afterInput = SystemProbe.currentRSSKilobytes()
        try SystemProbe.makeDirectory(options.dir)

        if options.reuseStore {
            // op8 writes nothing when every create is refused, as W1 requires (its output counts any insert).
            let writes = ["parse", "load-single", "load", "update", "delete"]
            guard let only = options.only, only.isDisjoint(with: writes) else {
                throw W1Error("--reuse-store runs only read, tenant-page, paginate, filtered-page, cross-partition, "
                    + "unique-violation and reindex; name them with --only")
            }
            let path = options.dir + "/main"
            guard SystemProbe.diskUsage(path).apparent > 0 else {
                throw W1Error("--reuse-store: no loaded store at \(path); run once with --only load first")
            }
            let store = try Store.open(at: path, configuration: storeConfiguration)
            // A store of an earlier format is upgraded by the open: finish that before timing anything.
            try store.finishIndexTransformations()
            for _ in 0..<options.repeatCount {
                try runQueries(store)
                if options.wants("unique-violation") { try runUniqueViolation(store) }
                if options.wants("reindex") { try runReindex(store, stepSize: options.reindexStep, ttl: options.reindexTTL) }
            }
            return
        }
        if options.wants("parse") { try runParse() }
        if options.wants("load-single") { try runLoadSingle() }
        if options.wants("load") {
            let path = options.dir + "/main"
            try SystemProbe.remove(path)
            let store = try openStore(path)
            try runLoad(store)
            let usage = SystemProbe.diskUsage(path)
            output.emit("store", [("bytes_allocated", .int(Int(usage.allocated))),
                                  ("bytes_apparent", .int(Int(usage.apparent)))])
            try runQueries(store)
            if options.wants("update") { try runUpdate(store) }
            if options.wants("unique-violation") { try runUniqueViolation(store) }
            if options.wants("delete") { try runDelete(store) }
            try runVerify(store)
        }
        output.emit("rss", [("peak_kb", .int(SystemProbe.peakRSSKilobytes())), ("after_input_kb", .int(afterInput))])
    }

    /// op2-op6, those asked for.
    func runQueries(_ store: Store) throws {
        if options.wants("read") { try runRead(store) }
        if options.wants("tenant-page") { try runTenantPage(store) }
        if options.wants("paginate") { try runPaginate(store) }
        if options.wants("filtered-page") { try runFilteredPage(store) }
        if options.wants("cross-partition") { try runCrossPartition(store) }
    }

    var storeConfiguration: StoreConfiguration {
        var configuration = StoreConfiguration()
        configuration.durability = options.durability
        configuration.ttlSweepInterval = nil  // the container has no TTL; no background write transactions
        configuration.indexesInBackground = false  // only `reindex` changes the policy, and drives the steps itself
        return configuration
    }

    func openStore(_ path: String) throws -> Store {
        let store = try Store.open(at: path, configuration: storeConfiguration)
        try store.createContainer(try ContainerDefinition(jsonBytes: Array(Self.containerDefinition.utf8)))
        return store
    }

    // MARK: - parse

    /// `JSONReader.parse` of every document, alone (no store), as peer_lmdb's `parse` line.
    func runParse() throws {
        let docs = inputs.documents
        var latencies = LatencyRecorder(capacity: docs.count)
        var check = 0
        let start = nowNanoseconds()
        for doc in docs {
            let t0 = nowNanoseconds()
            let value = try JSONReader.parse(doc)
            if case .string(let name)? = value["name"] { check &+= name.utf8.count }
            latencies.add(nowNanoseconds() - t0)
        }
        let total = nowNanoseconds() - start
        output.emitOp("parse", count: docs.count, nanoseconds: total, latencies: latencies,
                      extra: [("chk", .int(check))])
    }

    // MARK: - op1a load-single

    /// The first `loadSingle` documents, one `createItem` (one transaction, one commit) each, on a fresh store
    /// that is deleted afterwards.
    func runLoadSingle() throws {
        let path = options.dir + "/single"
        try SystemProbe.remove(path)
        do {
            let store = try openStore(path)
            let n = min(inputs.parameters.loadSingle, inputs.documents.count)
            var latencies = LatencyRecorder(capacity: n)
            var failed = 0
            let start = nowNanoseconds()
            for i in 0..<n {
                let t0 = nowNanoseconds()
                do {
                    _ = try store.createItem(in: Self.container, json: inputs.documents[i])
                } catch let error as StoreError where error.status == 409 {
                    failed += 1
                }
                latencies.add(nowNanoseconds() - t0)
            }
            let total = nowNanoseconds() - start
            output.emitOp("load-single", count: n, nanoseconds: total, latencies: latencies,
                          extra: [("batch", .int(1)), ("failed", .int(failed))])
        }
        try SystemProbe.remove(path)
    }

    // MARK: - Batched writes (op1, op7, op8, op9)

    struct BatchedRun {
        var nanoseconds: UInt64 = 0
        var latencies: LatencyRecorder
        var transactions: LatencyRecorder
    }

    /// Issues requests `0..<count` in batches of `batch`, one ``Store/bulk(in:operations:atomic:)`` call (one
    /// transaction) per batch. `makeOperation` (timed: it parses the document) builds request `i`; `record` sees
    /// each result.
    func runBatched(_ store: Store, count: Int, batch: Int, makeOperation: (Int) throws -> BatchOperation,
                    record: (Int, BatchOperationResult) throws -> Void) throws -> BatchedRun {
        var run = BatchedRun(latencies: LatencyRecorder(capacity: count),
                             transactions: LatencyRecorder(capacity: count / batch + 1))
        var operations = [BatchOperation]()
        operations.reserveCapacity(batch)
        var own = [UInt64](repeating: 0, count: batch)
        let start = nowNanoseconds()
        var first = 0
        while first < count {
            let n = min(batch, count - first)
            operations.removeAll(keepingCapacity: true)
            let batchStart = nowNanoseconds()
            var t = batchStart
            for j in 0..<n {
                operations.append(try makeOperation(first + j))
                let t1 = nowNanoseconds()
                own[j] = t1 - t
                t = t1
            }
            let results = try store.bulk(in: Self.container, operations: operations, atomic: false)
            let end = nowNanoseconds()
            run.transactions.add(end - batchStart)
            let bulkTime = end - t
            let share = bulkTime / UInt64(n)
            for j in 0..<(n - 1) { run.latencies.add(own[j] + share) }
            run.latencies.add(own[n - 1] + bulkTime - share * UInt64(n - 1))
            guard results.count == n else {
                throw W1Error("bulk returned \(results.count) results for \(n) operations")
            }
            for (j, result) in results.enumerated() { try record(first + j, result) }
            first += n
        }
        run.nanoseconds = nowNanoseconds() - start
        return run
    }

    static func unexpected(_ op: String, _ index: Int, _ result: BatchOperationResult) -> W1Error {
        W1Error("\(op) request \(index): unexpected status \(result.statusCode)"
            + (result.error.map { ": \($0)" } ?? ""))
    }

    /// op1: every document, in file order, `loadBatch` creates per transaction.
    func runLoad(_ store: Store) throws {
        let docs = inputs.documents
        let batch = inputs.parameters.loadBatch
        var failed = 0
        let run = try runBatched(store, count: docs.count, batch: batch, makeOperation: { i in
            BatchOperation(.create, json: docs[i])
        }, record: { i, result in
            switch result.statusCode {
            case 201: break
            case 409: failed += 1
            default: throw Self.unexpected("load", i, result)
            }
        })
        output.emitOp("load", count: docs.count, nanoseconds: run.nanoseconds, latencies: run.latencies,
                      transactions: run.transactions, extra: [("batch", .int(batch)), ("failed", .int(failed))])
    }

    /// op7: replace each target with the given full document, `updateBatch` per transaction.
    func runUpdate(_ store: Store) throws {
        let requests = inputs.updates
        let batch = inputs.parameters.updateBatch
        var applied = 0, notFound = 0, rejected = 0
        let run = try runBatched(store, count: requests.count, batch: batch, makeOperation: { i in
            let r = requests[i]
            return BatchOperation(.replace, id: r.id, json: r.document, partitionKey: PartitionKey(r.tenantId))
        }, record: { i, result in
            switch result.statusCode {
            case 200: applied += 1
            case 404: notFound += 1
            case 409: rejected += 1
            default: throw Self.unexpected("update", i, result)
            }
        })
        output.emitOp("update", count: requests.count, nanoseconds: run.nanoseconds, latencies: run.latencies,
                      transactions: run.transactions,
                      extra: [("batch", .int(batch)), ("applied", .int(applied)), ("notfound", .int(notFound)),
                              ("rejected", .int(rejected))])
    }

    /// op8: creates that collide on the unique key; every one must be rejected (409) and write nothing.
    func runUniqueViolation(_ store: Store) throws {
        let requests = inputs.collisions
        let batch = inputs.parameters.collisionBatch
        var rejected = 0, inserted = 0
        let run = try runBatched(store, count: requests.count, batch: batch, makeOperation: { i in
            BatchOperation(.create, json: requests[i].document)
        }, record: { i, result in
            switch result.statusCode {
            case 201: inserted += 1
            case 409: rejected += 1
            default: throw Self.unexpected("unique-violation", i, result)
            }
        })
        output.emitOp("unique-violation", count: requests.count, nanoseconds: run.nanoseconds,
                      latencies: run.latencies, transactions: run.transactions,
                      extra: [("batch", .int(batch)), ("rejected", .int(rejected)), ("inserted", .int(inserted))])
    }

    /// op9: deletes by (id, partition key), `deleteBatch` per transaction.
    func runDelete(_ store: Store) throws {
        let requests = inputs.deletes
        let batch = inputs.parameters.deleteBatch
        var applied = 0, notFound = 0
        let run = try runBatched(store, count: requests.count, batch: batch, makeOperation: { i in
            let r = requests[i]
            return BatchOperation(.delete, id: r.id, partitionKey: PartitionKey(r.tenantId))
        }, record: { i, result in
            switch result.statusCode {
            case 204: applied += 1
            case 404: notFound += 1
            default: throw Self.unexpected("delete", i, result)
            }
        })
        output.emitOp("delete", count: requests.count, nanoseconds: run.nanoseconds, latencies: run.latencies,
                      transactions: run.transactions,
                      extra: [("batch", .int(batch)), ("applied", .int(applied)), ("notfound", .int(notFound)),
                              ("rejected", .int(0))])
    }

    // MARK: - op2 read

    /// Point reads by (id, partition key), each its own read transaction; the document is materialised as the
    /// `Item.json` byte copy. The CRC gets the requested id when the document is found (W1.md §6).
    func runRead(_ store: Store) throws {
        let requests = inputs.reads
        var latencies = LatencyRecorder(capacity: requests.count)
        var crc = CRC32()
        var found = 0, bytes = 0
        // Each document is copied out into one reused buffer, as the C peers copy theirs into a sink.
        var sink = [UInt8]()
        sink.reserveCapacity(1 << 16)
        let start = nowNanoseconds()
        for r in requests {
            let t0 = nowNanoseconds()
            do {
                try store.withItemJSON(in: Self.container, id: r.id, partitionKey: PartitionKey(r.tenantId)) { json in
                    sink.removeAll(keepingCapacity: true)
                    sink.append(contentsOf: json)
                }
                bytes &+= sink.count
                found += 1
                crc.updateID(r.id)
            } catch let error as StoreError where error.code == .notFound {}
            latencies.add(nowNanoseconds() - t0)
        }
        let total = nowNanoseconds() - start
        output.emitOp("read", count: requests.count, nanoseconds: total, latencies: latencies,
                      extra: [("docs", .int(found)), ("crc", .int(Int(crc.value))), ("bytes", .int(bytes))])
    }

    // MARK: - op3–op6 queries

    static let tenantQuery = "SELECT * FROM c WHERE c.tenantId = @t ORDER BY c.name"
    static let filteredQuery =
        "SELECT * FROM c WHERE c.tenantId = @t AND c.connectionStatus = @s ORDER BY c.updatedAt DESC"
    static let crossQuery = "SELECT * FROM c WHERE c.connectionStatus = @s ORDER BY c.updatedAt DESC"

    /// op3: the first page of 20 of a tenant's integrations by name.
    func runTenantPage(_ store: Store) throws {
        try runFirstPages("tenant-page", store, inputs.tenantPages, Self.tenantQuery) { ["t": .string($0.tenantId)] }
    }

    /// op5: the first page of a tenant's integrations in a connection status, newest update first.
    func runFilteredPage(_ store: Store) throws {
        try runFirstPages("filtered-page", store, inputs.filteredPages, Self.filteredQuery) {
            ["t": .string($0.tenantId), "s": .string($0.connectionStatus)]
        }
    }

    /// op6: the first 50 integrations in a connection status across all tenants, newest update first.
    func runCrossPartition(_ store: Store) throws {
        try runFirstPages("cross-partition", store, inputs.crossPartition, Self.crossQuery) {
            ["s": .string($0.connectionStatus)]
        }
    }

    /// One query page per request (`maxItemCount` = the request's limit); every returned document feeds the CRC.
    func runFirstPages(_ op: String, _ store: Store, _ requests: [W1QueryRequest], _ text: String,
                       _ parameters: (W1QueryRequest) -> [String: JSONValue]) throws {
        var latencies = LatencyRecorder(capacity: requests.count)
        var crc = CRC32()
        var docs = 0
        let start = nowNanoseconds()
        for r in requests {
            let t0 = nowNanoseconds()
            let page = try store.query(in: Self.container, text, parameters: parameters(r), maxItemCount: r.limit)
            for item in page.items {
                try item.withJSONBytes { try Self.updateCRC(&crc, documentID: $0) }
                docs += 1
            }
            latencies.add(nowNanoseconds() - t0)
        }
        output.emitOp(op, count: requests.count, nanoseconds: nowNanoseconds() - start, latencies: latencies,
                      extra: [("docs", .int(docs)), ("crc", .int(Int(crc.value)))])
    }

    /// op4: a tenant's integrations by name, page by page (10 per page), each page a new request resumed from
    /// the previous page's continuation token. `count` is the number of pages (W1.md §4).
    func runPaginate(_ store: Store) throws {
        var latencies = LatencyRecorder(capacity: inputs.paginations.count * 10)
        var crc = CRC32()
        var docs = 0, pages = 0
        let start = nowNanoseconds()
        for r in inputs.paginations {
            var token: String?
            repeat {
                let t0 = nowNanoseconds()
                let page = try store.query(in: Self.container, Self.tenantQuery, parameters: ["t": .string(r.tenantId)],
                                           maxItemCount: r.limit, continuation: token)
                for item in page.items {
                    try item.withJSONBytes { try Self.updateCRC(&crc, documentID: $0) }
                    docs += 1
                }
                token = page.continuation
                pages += 1
                latencies.add(nowNanoseconds() - t0)
            } while token != nil
        }
        output.emitOp("paginate", count: pages, nanoseconds: nowNanoseconds() - start, latencies: latencies,
                      extra: [("docs", .int(docs)), ("crc", .int(Int(crc.value)))])
    }

    /// Feeds the `id` of a returned W1 document to `crc` (W1.md §6): its first member (W1.md §3.2 fixes the key
    /// order), found with a small scan like the peers' instead of a full parse, and hashed in place.
    static func updateCRC(_ crc: inout CRC32, documentID bytes: UnsafeRawBufferPointer) throws {
        do {
            // memcmp and memchr, as the peers do it: this scan is the harness's work, not the store's.
            let marker = 7  // #"{"id":""#
            guard bytes.count > marker, let base = bytes.baseAddress, memcmp(base, idMarker.utf8Start, marker) == 0,
                  let quote = memchr(base + marker, Int32(UInt8(ascii: "\"")), bytes.count - marker) else {
                throw W1Error("a query returned a document that does not start with its id")
            }
            crc.update(UnsafeRawBufferPointer(start: base + marker, count: base.distance(to: UnsafeRawPointer(quote)) - marker))
            crc.update(0x0A)
        }
    }

    /// `{"id":"` as a C string.
    private static let idMarker: StaticString = #"{"id":""#

    // MARK: - verify (untimed)

    /// Counts the documents and computes W1.md §6's final CRC: every document in (tenantId, id) byte order as
    /// `tenantId "\0" id "\0" body "\n"`, body = the original document (the stored one without the system
    /// properties, serialized compactly). Also runs the store's own consistency check.
    func runVerify(_ store: Store) throws {
        // The store's checker first, so that its working memory and the listing below do not add up in peak RSS.
        let problems = try store.verify()
        for problem in problems.prefix(20) {
            fputsStderr("cosmolite-w1: verify: \(problem)\n")
        }
        var entries = [(key: [UInt8], body: [UInt8])]()
        var continuation: String?
        repeat {
            let page = try store.readItems(in: Self.container, maxItemCount: 1000, continuation: continuation)
            for item in page.items {
                guard item.partitionKey.components.count == 1,
                      case .string(let tenantId) = item.partitionKey.components[0] else {
                    throw W1Error("verify: item '\(item.id)' has the partition key \(item.partitionKey)")
                }
                guard case .object(var document) = try JSONReader.parse(item.json) else {
                    throw W1Error("verify: item '\(item.id)' is not a JSON object")
                }
                for key in Self.systemProperties where document.removeValue(forKey: key) == nil {
                    throw W1Error("verify: item '\(item.id)' lacks the system property \(key)")
                }
                var key = Array(tenantId.utf8)
                key.append(0)
                key.append(contentsOf: item.id.utf8)
                entries.append((key, JSONWriter.serialize(.object(document))))
            }
            continuation = page.continuation
        } while continuation != nil
        entries.sort { $0.key.lexicographicallyPrecedes($1.key) }
        var crc = CRC32()
        for entry in entries {
            crc.update(entry.key)
            crc.update(0)
            crc.update(entry.body)
            crc.update(0x0A)
        }
        output.emit("verify", [("docs", .int(entries.count)), ("crc", .int(Int(crc.value))),
                               ("indexes_consistent", .bool(problems.isEmpty))])
    }
}
