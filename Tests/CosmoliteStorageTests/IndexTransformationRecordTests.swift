// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
@testable import CosmoliteStorage
import Testing

/// The `meta/xform` record: what it says about the rows of the items a transformation has not visited yet.
struct IndexTransformationRecordTests {
    static let from = #"{"id": "c", "partitionKey": {"paths": ["/k"]}, "defaultTtl": 60}"#
    static let target = #"{"id": "c", "partitionKey": {"paths": ["/k"]}, "defaultTtl": 10, "indexingPolicy": {"indexingMode": "none", "automatic": false}}"#

    static func decode(_ record: [UInt8]) throws -> IndexTransformation {
        try record.withUnsafeBytes {
            try IndexTransformation(record: $0, cid: 1, target: try ContainerDefinition(json: try JSONReader.parse(target)),
                                    format: 2)
        }
    }

    @Test func aRecordKeepsTheTTLTheUnvisitedRowsFollow() throws {
        let written = IndexTransformation(from: try ContainerDefinition(json: try JSONReader.parse(Self.from)),
                                          to: try ContainerDefinition(json: try JSONReader.parse(Self.target)),
                                          startLSN: 7, total: 3)
        let read = try Self.decode(written.record)
        #expect(read.fromDefaultTtl == 60)
        #expect(read.fromExpiry(timestamp: 1_000, itemTTL: nil) == 1_060)
        #expect(read.fromExpiry(timestamp: 1_000, itemTTL: -1) == nil)
        #expect(read.reindexes && read.startLSN == 7 && read.total == 3)
    }

    /// A record from before TTL changes were online: that replace rewrote every `ttl` row under the new
    /// `defaultTtl` at once, so the unvisited items' rows follow the container's current one.
    @Test func aRecordWithoutTTLRowsFollowsTheCurrentDefinition() throws {
        let legacy = JSONWriter.serialize(.object([
            "from": try JSONReader.parse(Self.from), "startLsn": 7, "total": 3,
        ]))
        let read = try Self.decode(legacy)
        #expect(read.fromDefaultTtl == 10)
        #expect(read.fromExpiry(timestamp: 1_000, itemTTL: nil) == 1_010)
    }
}
