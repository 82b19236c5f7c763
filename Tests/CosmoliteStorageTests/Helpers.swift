// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// Parses JSON text in tests.
func json(_ text: String) throws -> JSONValue { try JSONReader.parse(text) }

/// Bytes of JSON text.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A container definition from JSON text.
func definition(_ text: String) throws -> ContainerDefinition { try ContainerDefinition(json: try json(text)) }

/// Expects a StoreError with the given status, returning it for further checks.
@discardableResult
func expectStatus<R>(_ status: Int, sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws -> R) -> StoreError? {
    do {
        _ = try body()
        Issue.record("expected a \(status) error, got success", sourceLocation: sourceLocation)
        return nil
    } catch let error as StoreError {
        #expect(error.status == status, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected StoreError \(status), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

extension TestStore {
    /// A store with a `/tenantId`-partitioned container `c` (and optional extra definition fields).
    static func withContainer(_ extra: String = "", strict: Bool = true) throws -> TestStore {
        let test = try TestStore(strict: strict)
        let comma = extra.isEmpty ? "" : ", "
        try test.store.createContainer(try definition(#"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}"# + comma + extra + "}"))
        return test
    }
}

extension Item {
    /// The decoded body.
    var object: JSONObject { (try? value()) ?? JSONObject() }
}
