// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import Foundation

/// Reading what commands are given: partition keys, JSON on standard input, files.
enum Input {
    /// Parses a `--pk` value: the partition-key value as JSON (`'"acme"'`, `42`, `'["a","b"]'`, `'{}'`).
    ///
    /// - Throws: ``CLIError`` 400 when the text is not JSON; ``StoreError`` 400 when it is not a key value.
    static func partitionKey(_ text: String, option: String = "--pk") throws -> PartitionKey {
        let value: JSONValue
        do {
            value = try JSONReader.parse(text)
        } catch {
            throw CLIError.badRequest(
                "\(option) must be the partition-key value as JSON (a string needs quotes: \(option) '\"acme\"'; "
                    + "a hierarchical key is an array; {} means none): \(error)")
        }
        do {
            return try PartitionKey(json: value)
        } catch let error as StoreError {
            throw StoreError(error.code, "\(option): \(error.message)")
        }
    }

    /// Reads standard input to its end and parses it as one JSON document.
    ///
    /// - Parameter what: What the input should be, for messages (`the item`, `the batch operations`).
    /// - Throws: ``CLIError`` 400 when the input is empty or not valid JSON.
    static func standardInputJSON(_ what: String) throws -> JSONValue {
        let bytes = try StandardStreams.readInput()
        return try parseJSON(bytes, what: "\(what) on standard input")
    }

    /// Parses JSON bytes, naming `what` in the 400 error.
    static func parseJSON(_ bytes: [UInt8], what: String) throws -> JSONValue {
        do {
            return try JSONReader.parse(bytes)
        } catch {
            throw CLIError.badRequest("\(what) is not valid JSON: \(error)")
        }
    }

    /// Reads a whole file.
    ///
    /// - Throws: ``CLIError`` 400 when it cannot be read.
    static func readFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let reason = !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) ? "no such file"
                : isDirectory.boolValue ? "is a folder; pass a file" : "cannot read it (check its permissions)"
            throw CLIError.badRequest("\(path): \(reason)")
        }
        return Array(data)
    }
}

extension Input {
    /// An entity tag as given on the command line: Cosmos etags are quoted (`"0000..."`), and a shell easily
    /// strips the quotes, so an unquoted tag is quoted.
    static func etag(_ text: String?) -> String? {
        guard let text else { return nil }
        if text == "*" { return text }   // any version
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { return text }
        return "\"" + text + "\""
    }

    /// Reads a container definition file; errors name the file.
    ///
    /// - Throws: ``CLIError`` or ``StoreError`` 400.
    static func containerDefinition(file path: String) throws -> ContainerDefinition {
        let bytes = try readFile(path)
        do {
            return try ContainerDefinition(jsonBytes: bytes)
        } catch let error as StoreError {
            throw StoreError(error.code, "\(path): \(error.message)")
        }
    }
}
