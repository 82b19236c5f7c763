// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import Foundation

/// Encodes models into stored documents and decodes them back: Foundation's JSON coders with sorted keys and
/// ``Timestamp`` dates.
enum DocumentCoder {
    /// The document of `value`, as the tree the engine writes.
    static func document<T: Encodable>(_ value: T) throws -> JSONValue {
        let data = try encoded(value)
        do {
            return try JSONReader.parse(data)
        } catch {
            throw DomainError(.storage(status: 500), "the encoding of \(T.self) is not valid JSON")
        }
    }

    /// JSON bytes of `value` (sorted keys, ``Timestamp`` dates); pretty-printed like the engine's output.
    static func bytes<T: Encodable>(_ value: T, pretty: Bool = false) throws -> [UInt8] {
        pretty ? JSONWriter.serialize(try document(value), options: .init(pretty: true)) : try encoded(value)
    }

    /// Compact JSON of `value` from Foundation's encoder.
    private static func encoded<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.string(from: date))
        }
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw DomainError(.validation, "cannot encode \(T.self): \(error)")
        }
    }

    /// How a decoding error names the document.
    enum Naming {
        /// Not at all: a document whose content no message may show (decrypted credentials).
        case none
        /// As the stored item with this id.
        case item(String)
        /// As a stored item, by the `id` the document holds.
        case itemByItsID
    }

    /// Decodes a stored document (system properties such as `_etag` are decoded where the model asks for them).
    ///
    /// - Parameter naming: How the message names the document when it cannot be decoded.
    static func decode<T: Decodable>(_ type: T.Type, from json: [UInt8], naming: Naming = .none) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "not an ISO 8601 timestamp (YYYY-MM-DDTHH:MM:SS.mmmZ)")
            }
            return date
        }
        do {
            return try decoder.decode(T.self, from: Data(json))
        } catch let error as DecodingError {
            let id: String?
            switch naming {
            case .none: id = nil
            case .item(let given): id = given
            case .itemByItsID: id = (try? JSONReader.parse(json))?["id"]?.stringValue  // only on this failure path
            }
            let which = id.map { " (item '\($0)')" } ?? ""
            throw DomainError(.storage(status: 500), "a stored \(T.self)\(which) cannot be decoded: "
                + "\(Self.describe(error)); an item the service did not write must be fixed or deleted "
                + "(cosmolite items)")
        }
    }

    /// A decoding error's path and reason, never the data.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "the document" : p
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : path(context) + "."
            return "\(parent)\(key.stringValue): missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): wrong type"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "invalid"
        }
    }

    /// Decodes a stored item.
    static func decode<T: Decodable>(_ type: T.Type, from item: Item) throws -> T {
        try decode(type, from: item.json, naming: .item(item.id))
    }
}

/// The JSON form of the domain models, as stored: sorted keys and ``Timestamp`` dates.
///
/// ```swift
/// let bytes = try DomainJSON.encode(integration)                  // what `cosmolite integrations get` prints
/// let again = try DomainJSON.decode(Integration.self, from: bytes)
/// ```
public enum DomainJSON {
    /// Encodes a model.
    ///
    /// - Throws: ``DomainError`` when the value cannot be encoded.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) throws -> [UInt8] {
        try DocumentCoder.bytes(value, pretty: pretty)
    }

    /// Decodes a model.
    ///
    /// - Throws: ``DomainError`` naming the field at fault (never the data).
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        do {
            return try DocumentCoder.decode(type, from: bytes)
        } catch let error as DomainError {
            throw DomainError(.validation, error.message.replacingOccurrences(of: "a stored ", with: "the "))
        } catch {
            throw DomainError(.validation, "the \(T.self) is not valid JSON")
        }
    }
}
