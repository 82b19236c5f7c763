// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage

/// The export file format, version 1: JSON Lines, written by `cosmolite export` and read by `cosmolite import`.
///
/// ```
/// {"cosmoliteExport":1,"exportedAt":1716712345,"snapshotTransaction":812,"containers":[{...},{...}]}
/// {"cosmoliteExportContainer":"integrations"}
/// {"id":"a","tenantId":"acme",...,"_rid":"...","_self":"...","_etag":"\"...\"","_attachments":"attachments/","_ts":1716712000}
/// {"id":"b",...}
/// {"cosmoliteExportContainer":"providers"}
/// {...}
/// {"cosmoliteExportEnd":{"items":3,"containers":2}}
/// ```
///
/// - The **header** (first line) holds each exported container's properties as `cosmolite containers get`
///   prints them (Cosmos DB's shape); import creates the containers that do not exist from them.
/// - A **container line** precedes the items of each container (containers without items have none).
/// - Each **item line** is the stored document, system properties included, exactly as `items read` prints it.
/// - The **end line** closes a complete export: a file without it was cut short.
///
/// The marker keys cannot clash with items: every item has an `id`, and the markers have none.
enum ExportFormat {
    /// The format version written in the header.
    static let version = 1
    /// The header's key.
    static let headerKey = "cosmoliteExport"
    /// The container line's key.
    static let containerKey = "cosmoliteExportContainer"
    /// The end line's key.
    static let endKey = "cosmoliteExportEnd"

    /// The header line, with its newline.
    static func headerLine(_ snapshot: ExportSnapshot, exportedAt: Double) -> [UInt8] {
        line(.object(JSONObject([
            (headerKey, .number(Double(version))),
            ("exportedAt", .number(exportedAt.rounded(.down))),
            ("snapshotTransaction", .number(Double(snapshot.transactionID))),
            ("containers", .array(snapshot.containers.map(\.json))),
        ])))
    }

    /// The line that starts a container's items, with its newline.
    static func containerLine(_ id: String) -> [UInt8] {
        line(.object(JSONObject([(containerKey, .string(id))])))
    }

    /// The end line, with its newline.
    static func endLine(items: Int, containers: Int) -> [UInt8] {
        line(.object(JSONObject([
            (endKey, .object(JSONObject([
                ("items", .number(Double(items))), ("containers", .number(Double(containers))),
            ]))),
        ])))
    }

    private static func line(_ value: JSONValue) -> [UInt8] {
        var bytes = JSONWriter.serialize(value)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}
