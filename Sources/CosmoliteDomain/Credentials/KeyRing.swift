// SPDX-License-Identifier: Apache-2.0

public import CosmoliteCrypto
public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The credential-encryption keys: the newest encrypts, every one decrypts (so keys can rotate).
///
/// Keys are written one per line (or comma-separated) as `ID:KEY`, **newest first**, where `KEY` is 32 bytes in
/// base64 (44 characters) or hex (64 characters) and `ID` is 1–64 characters of `A-Z a-z 0-9 . _ -`. A bare
/// `KEY` gets the id `k` + the first 8 hex digits of its SHA-256 (so the same key always has the same id).
/// Blank lines and lines starting with `#` are ignored.
///
/// ```sh
/// export COSMOLITE_ENCRYPTION_KEY="k2026b:$(openssl rand -base64 32),k2026a:OLD_KEY_BASE64"
/// # or a file (mode 0600), newest first:
/// export COSMOLITE_ENCRYPTION_KEY_FILE=/etc/cosmolite/keys
/// ```
///
/// ```swift
/// let ring = try KeyRing.fromEnvironment()          // COSMOLITE_ENCRYPTION_KEY_FILE, else COSMOLITE_ENCRYPTION_KEY
/// let cipher = CredentialCipher(keyRing: ring)
/// ```
///
/// Errors name line numbers and ids, never key material; ``SymmetricKey`` redacts itself.
public struct KeyRing: Sendable, CustomStringConvertible {
    /// One key and its id.
    public struct Entry: Sendable {
        /// The key id stored beside each ciphertext.
        public let id: String
        /// The 256-bit key.
        public let key: SymmetricKey
    }

    /// The environment variable holding keys inline.
    public static let keyVariable = "COSMOLITE_ENCRYPTION_KEY"
    /// The environment variable naming a key file.
    public static let keyFileVariable = "COSMOLITE_ENCRYPTION_KEY_FILE"

    /// The length of an AES-256 key in bytes.
    public static let keyByteCount = 32

    /// The keys, newest first.
    public let entries: [Entry]

    /// Creates a ring from keys, newest first.
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/validation`` for no keys, a key that is not 32 bytes, a bad or
    ///   repeated id.
    public init(_ entries: [(id: String, key: SymmetricKey)]) throws {
        guard !entries.isEmpty else {
            throw DomainError(.validation, "no encryption key: set \(Self.keyVariable) or \(Self.keyFileVariable)")
        }
        var seen = Set<String>()
        for (index, entry) in entries.enumerated() {
            if let problem = Self.idProblem(entry.id) {
                throw DomainError(.validation, "encryption key \(index + 1): the id \(problem)")
            }
            guard entry.key.byteCount == Self.keyByteCount else {
                throw DomainError(.validation, "encryption key '\(entry.id)' is \(entry.key.byteCount) bytes; "
                                      + "AES-256 needs exactly 32")
            }
            guard seen.insert(entry.id).inserted else {
                throw DomainError(.validation, "encryption key id '\(entry.id)' is listed twice")
            }
        }
        self.entries = entries.map { Entry(id: $0.id, key: $0.key) }
    }

    /// The key that encrypts: the first (newest).
    public var current: Entry { entries[0] }

    /// The key with this id, if configured.
    public func key(id: String) -> SymmetricKey? { entries.first { $0.id == id }?.key }

    /// `KeyRing(current: k2, keys: k2, k1)`: ids only.
    public var description: String {
        "KeyRing(current: \(current.id), keys: \(entries.map(\.id).joined(separator: ", ")))"
    }

    // MARK: - Parsing

    /// Parses keys written as described in the type's documentation.
    ///
    /// - Parameter source: Where the text came from, for messages (`COSMOLITE_ENCRYPTION_KEY`, a file path).
    /// - Throws: ``DomainError`` ``DomainError/Code/validation`` naming the source and entry number.
    public static func parse(_ text: String, source: String) throws -> KeyRing {
        var entries = [(id: String, key: SymmetricKey)]()
        let pieces = text.split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == "\r" })
        for (number, raw) in pieces.enumerated() {
            let piece = raw.trimmingCharacters(in: .whitespaces)
            if piece.isEmpty || piece.hasPrefix("#") { continue }
            let id: String?
            let material: Substring
            if let colon = piece.firstIndex(of: ":") {
                id = String(piece[..<colon])
                material = piece[piece.index(after: colon)...]
            } else {
                id = nil
                material = piece[...]
            }
            guard var bytes = decodeKeyMaterial(material) else {
                throw DomainError(.validation, "\(source): entry \(number + 1) is not ID:KEY with a 32-byte key in "
                                      + "base64 (44 characters) or hex (64 characters)")
            }
            defer { wipe(&bytes) }
            let key: SymmetricKey
            do { key = try SymmetricKey(bytes: bytes) } catch {
                throw DomainError(.validation, "\(source): entry \(number + 1) is not a usable key")
            }
            entries.append((id ?? derivedID(bytes), key))
        }
        do {
            return try KeyRing(entries)
        } catch let error as DomainError {
            throw DomainError(error.code, "\(source): \(error.message)")
        }
    }

    /// Reads a key file. The file must not be readable by other users (like an SSH private key).
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/validation``.
    public static func load(file path: String) throws -> KeyRing {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw DomainError(.validation,
                              "the key file \(path) cannot be read (it does not exist or is not accessible)")
        }
        if info.st_mode & S_IFMT != S_IFREG {
            throw DomainError(.validation, "the key file \(path) is not a regular file; pass the file that holds "
                                  + "the keys")
        }
        if info.st_mode & 0o077 != 0 {
            throw DomainError(.validation, "the key file \(path) is readable by other users; restrict it "
                                  + "(chmod 600 \(path))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DomainError(.validation, "the key file \(path) cannot be read")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    /// The ring configured by the environment: the file named by `--key-file` (`keyFile`), else by
    /// `COSMOLITE_ENCRYPTION_KEY_FILE`, else the keys in `COSMOLITE_ENCRYPTION_KEY`.
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/validation`` when nothing is configured or a key is malformed.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       keyFile: String? = nil) throws -> KeyRing {
        if let keyFile { return try load(file: keyFile) }
        if let file = environment[keyFileVariable], !file.isEmpty { return try load(file: file) }
        if let inline = environment[keyVariable], !inline.isEmpty { return try parse(inline, source: keyVariable) }
        throw DomainError(.validation, "no encryption key configured: set \(keyVariable) (ID:BASE64 keys, newest "
                              + "first) or \(keyFileVariable) (a file of such lines), or pass --key-file")
    }

    /// A new random key as a line `ID:BASE64` (for a key file or the environment variable).
    public static func generateLine(id: String) throws -> String {
        if let problem = idProblem(id) { throw DomainError(.validation, "the key id \(problem)") }
        var bytes = try SecureRandom.bytes(count: Self.keyByteCount)
        defer { wipe(&bytes) }
        return id + ":" + Data(bytes).base64EncodedString()
    }

    // MARK: - Helpers

    static func idProblem(_ id: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        if id.isEmpty || id.count > 64 { return "must have 1 to 64 characters" }
        if !id.allSatisfy({ allowed.contains($0) }) { return "may contain only A-Z a-z 0-9 . _ -" }
        return nil
    }

    private static func decodeKeyMaterial(_ text: Substring) -> [UInt8]? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count == 64, trimmed.allSatisfy(\.isHexDigit) {
            var bytes = [UInt8]()
            var index = trimmed.startIndex
            while index < trimmed.endIndex {
                let next = trimmed.index(index, offsetBy: 2)
                bytes.append(UInt8(trimmed[index..<next], radix: 16)!)
                index = next
            }
            return bytes
        }
        guard let data = Data(base64Encoded: trimmed), data.count == Self.keyByteCount else { return nil }
        return Array(data)
    }

    private static func derivedID(_ bytes: [UInt8]) -> String {
        "k" + SHA256.hash(Array("cosmolite-key-id".utf8) + bytes).prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// Overwrites a buffer of secret bytes.
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { memset(base, 0, raw.count) }
        }
    }
}
