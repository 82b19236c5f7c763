// SPDX-License-Identifier: Apache-2.0
//
// # Container record (value of the `containers` DBI, key = cid as 4 big-endian bytes)
//
// The container's JSON as `ContainerProperties.json` renders it: the normalized definition followed by
// `_rid`, `_ts`, `_self`, `_etag`. Parsed with the same validation as user input, so a damaged record is
// reported instead of misread.

import CosmoliteJSON

enum ContainerRecord {
    static func encode(_ properties: ContainerProperties) -> [UInt8] {
        JSONWriter.serialize(properties.json)
    }

    /// Reads a container record; `transformation` is the container's index transformation record, if any, and
    /// `format` the store's format version (1: its items lack the range terms of arrays and objects).
    static func decode(cid: UInt32, bytes: UnsafeRawBufferPointer, databaseRID: [UInt8],
                       transformation: UnsafeRawBufferPointer? = nil, format: UInt32) throws -> ContainerRuntime {
        let json: JSONValue
        do { json = try JSONReader.parse(bytes) } catch {
            throw StoreError.corrupted("the record of container #\(cid) is not valid JSON (\(error)); run verify")
        }
        let definition: ContainerDefinition
        do { definition = try ContainerDefinition(json: json) } catch {
            throw StoreError.corrupted("the record of container #\(cid) is invalid (\(error)); run verify")
        }
        let ts = json["_ts"]?.numberValue.map { Int($0) } ?? 0
        let etag = json["_etag"]?.stringValue ?? ResourceID.etag(cid: cid, lsn: 0)
        let properties = ContainerProperties(
            definition: definition, rid: ResourceID.container(database: databaseRID, cid: cid), timestamp: ts,
            etag: etag, selfLink: ResourceID.containerLink(database: databaseRID, cid: cid))
        let running = try transformation.map { try IndexTransformation(record: $0, cid: cid, target: definition, format: format) }
        return ContainerRuntime(cid: cid, properties: properties, databaseRID: databaseRID, transformation: running,
                                compoundTerms: format >= 2)
    }
}
