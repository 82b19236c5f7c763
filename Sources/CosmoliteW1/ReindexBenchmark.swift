// SPDX-License-Identifier: Apache-2.0

import CosmoliteStorage
import Foundation
import Synchronization

/// `--only reindex` (not a W1 op): an indexing-policy change on the loaded store while a writer keeps replacing
/// items one per transaction, to show what an online index transformation costs the writer.
///
/// Each run toggles the container between W1's policy and the same policy plus two `/settings` paths and a composite index
/// `(providerName ASC, createdAt DESC)`, so repeated runs alternate adding and removing them; with `--reindex-ttl` it
/// toggles a `defaultTtl` of 30 days instead (every item gains or loses its `ttl` row). The replace
/// returns; then the main thread completes the transformation in steps of `--reindex-step` items (0: one step
/// for the whole container, which is what a synchronous re-index costs a writer), while a second thread replaces
/// op7's documents back to back. Reported: the replace call, each step, the whole transformation, and the
/// writer's per-write latencies during it.
extension W1Workload {
    static let addedIndexing = (
        included: #"{"path": "/settings/region/?"}, {"path": "/settings/rateLimitPerMinute/?"}, "#,
        composite: #"[{"path": "/providerName", "order": "ascending"}, {"path": "/createdAt", "order": "descending"}], "#
    )

    func runReindex(_ store: Store, stepSize: Int, ttl: Bool) throws {
        let current = try store.container("integrations").definition
        var indexing = current.indexingPolicy
        var defaultTtl = current.defaultTtl
        let change: String
        if ttl {
            defaultTtl = current.defaultTtl == nil ? 30 * 86_400 : nil
            change = current.defaultTtl == nil ? "defaultTtl 30 days" : "no defaultTtl"
        } else {
            let adding = current.indexingPolicy.compositeIndexes.count == 3
            var text = Self.containerDefinition
            if adding {
                text = text.replacingOccurrences(of: #""includedPaths": ["#, with: #""includedPaths": ["# + Self.addedIndexing.included)
                    .replacingOccurrences(of: #""compositeIndexes": ["#, with: #""compositeIndexes": ["# + Self.addedIndexing.composite)
            }
            indexing = try ContainerDefinition(jsonBytes: Array(text.utf8)).indexingPolicy
            change = adding ? "add 2 paths and a composite" : "remove them"
        }
        let target = try ContainerDefinition(id: current.id, partitionKey: current.partitionKey,
                                             uniqueKeyPolicy: current.uniqueKeyPolicy, indexingPolicy: indexing,
                                             defaultTtl: defaultTtl, computedProperties: current.computedProperties)
        let updates = inputs.updates
        guard !updates.isEmpty else { throw W1Error("reindex needs op7's update lines in the ops file") }

        let done = Atomic<Bool>(false)
        let writerResult = Mutex<(latencies: LatencyRecorder, failure: String?)>((LatencyRecorder(), nil))
        let writerFinished = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let writer = Thread {
            var latencies = LatencyRecorder(capacity: 100_000)
            var failure: String?
            var i = 0
            started.signal()
            while !done.load(ordering: .acquiring) {
                let r = updates[i % updates.count]
                let t0 = nowNanoseconds()
                do {
                    _ = try store.replaceItem(in: "integrations", id: r.id, partitionKey: PartitionKey(r.tenantId),
                                              json: r.document)
                } catch let error as StoreError where error.status == 404 {
                    // Deleted by an earlier delete op: skip it.
                } catch {
                    failure = "\(error)"
                    break
                }
                latencies.add(nowNanoseconds() - t0)
                i += 1
            }
            writerResult.withLock { $0 = (latencies, failure) }
            writerFinished.signal()
        }
        writer.start()
        started.wait()

        let start = nowNanoseconds()
        try store.replaceContainer(target)
        let replaced = nowNanoseconds()
        var steps = LatencyRecorder()
        var more = true
        while more {
            let t0 = nowNanoseconds()
            more = try store.advanceIndexTransformations(limit: stepSize > 0 ? stepSize : Int.max)
            steps.add(nowNanoseconds() - t0)
        }
        let end = nowNanoseconds()
        done.store(true, ordering: .releasing)
        writerFinished.wait()
        let (writes, failure) = writerResult.withLock { $0 }
        if let failure { throw W1Error("reindex: a concurrent write failed: \(failure)") }
        let stepSummary = steps.summary()
        output.emitOp("reindex", count: writes.count, nanoseconds: end - start, latencies: writes, extra: [
            ("change", .string(change)),
            ("step_items", .int(stepSize > 0 ? stepSize : 0)),
            ("replace_ms", .number(Double(replaced - start) / 1e6, decimals: 3)),
            ("steps", .int(steps.count)),
            ("step_p50_ms", .number(stepSummary.p50 / 1000, decimals: 3)),
            ("step_max_ms", .number(stepSummary.max / 1000, decimals: 3)),
        ])
        let problems = try store.verify(containers: ["integrations"])
        guard problems.isEmpty else {
            throw W1Error("reindex: the store is inconsistent afterwards: \(problems.prefix(3))")
        }
    }
}
