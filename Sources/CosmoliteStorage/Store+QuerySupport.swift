// SPDX-License-Identifier: Apache-2.0
//
// What the query layer (CosmoliteQuery, same package) needs from the engine: a snapshot of one container,
// document loading with TTL applied, and signed continuation tokens. Index scanning uses the LMDB cursors of the
// DBIs described in KeyLayout.swift directly.

import CosmoliteCrypto
package import CosmoliteLMDB

extension Store {
    /// Runs `body` in one read transaction (one snapshot) over the container `container`.
    ///
    /// - Parameter body: Receives the transaction, the container and the current time in seconds.
    package func withQuerySnapshot<R>(
        container: String, _ body: (borrowing Transaction, ContainerRuntime, UInt64) throws -> R
    ) throws -> R {
        let now = nowSeconds()
        return try read { txn, catalog in
            try body(txn, try self.runtime(container, in: catalog), now)
        }
    }

    /// The live (not expired) document stored under `key` (`cid ‖ PK ‖ ID`): its decoded header and whole record
    /// bytes; `nil` when missing or expired.
    ///
    /// The record buffer points into the database and is valid until the transaction's body ends. No closure and
    /// no generic parameter: the query executor calls this once per index entry.
    package func liveDocument(_ txn: borrowing Transaction, _ runtime: ContainerRuntime, key: UnsafeRawBufferPointer,
                              now: UInt64) throws -> (fixed: DocumentRecord.Fixed, record: UnsafeRawBufferPointer)? {
        guard let record = try txn.value(dbs.docs, forKey: key) else { return nil }
        // The caller reads the record next (header, then the whole body when it returns the document).
        txn.prefetch(record)
        guard let fixed = try liveHeader(runtime, record: record, now: now) else { return nil }
        return (fixed, record)
    }

    /// Applies TTL to a record already at hand (for scans of the `docs` DBI): its decoded header, or `nil` when
    /// the document has expired.
    package func liveHeader(_ runtime: ContainerRuntime, record bytes: UnsafeRawBufferPointer,
                            now: UInt64) throws -> DocumentRecord.Fixed? {
        let fixed = try DocumentRecord.decodeFixed(bytes)
        if isExpired(runtime, timestamp: fixed.timestamp, itemTTL: fixed.itemTTL, now: now) { return nil }
        return fixed
    }

    /// Makes a signed query continuation token.
    package func makeQueryToken(binding: [UInt8], position: [UInt8]) -> String {
        ContinuationToken.make(kind: .query, binding: binding, position: position, key: tokenKey)
    }

    /// Opens a query continuation token; 400 when it is malformed, altered or belongs to another query.
    package func openQueryToken(_ token: String, binding: [UInt8]) throws -> [UInt8] {
        try ContinuationToken.open(token, kind: .query, binding: binding, key: tokenKey)
    }
}
