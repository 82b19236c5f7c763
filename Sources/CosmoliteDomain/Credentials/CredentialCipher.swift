// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import Foundation

/// Seals and opens connection credentials with AES-256-GCM (OpenSSL, through CosmoliteCrypto).
///
/// Each seal draws a fresh random 96-bit nonce, encrypts the credentials' JSON under the ring's newest key,
/// and authenticates it together with the ``CredentialBinding`` and the key id, which is stored beside the
/// ciphertext. Opening looks the key up by that id, so older keys keep working until
/// ``ConnectionService/rotateKeys(pageSize:)`` has re-sealed everything with the newest.
///
/// ```swift
/// let cipher = CredentialCipher(keyRing: try KeyRing.fromEnvironment())
/// let sealed = try cipher.seal(credentials, for: binding)
/// let opened = try cipher.open(sealed, for: binding)      // == credentials
/// ```
public struct CredentialCipher: Sendable {
    /// The keys.
    public let keyRing: KeyRing

    /// Creates a cipher.
    public init(keyRing: KeyRing) { self.keyRing = keyRing }

    /// Seals `credentials` for `binding` under the newest key.
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/encryption`` if OpenSSL fails (no secret in the message).
    public func seal(_ credentials: Credentials, for binding: CredentialBinding) throws -> SealedCredentials {
        var plaintext = try DocumentCoder.bytes(credentials)
        defer { KeyRing.wipe(&plaintext) }
        let entry = keyRing.current
        do {
            let box = try AES256GCM.seal(plaintext, key: entry.key,
                                         authenticating: binding.associatedData(keyId: entry.id, version: 1))
            return SealedCredentials(keyId: entry.id, nonce: Data(box.nonce).base64EncodedString(),
                                     ciphertext: Data(box.ciphertext + box.tag).base64EncodedString())
        } catch {
            let crypto = error
            throw DomainError(.encryption, "sealing credentials failed (\(crypto.code.description))",
                              cause: crypto)
        }
    }

    /// Opens sealed credentials for `binding`.
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/encryption`` when the key `kid` is not configured, the format is
    ///   unknown, or authentication fails (wrong key, tampered ciphertext, or a ciphertext moved from another
    ///   connection); no plaintext is returned then.
    public func open(_ sealed: SealedCredentials, for binding: CredentialBinding) throws -> Credentials {
        guard sealed.version == 1, sealed.algorithm == "A256GCM" else {
            throw DomainError(.encryption, "credentials of connection '\(binding.connectionId)' use an unknown "
                                  + "format (v\(sealed.version), \(sealed.algorithm))")
        }
        guard let key = keyRing.key(id: sealed.keyId) else {
            throw DomainError(.encryption, "credentials of connection '\(binding.connectionId)' of integration "
                                  + "'\(binding.integrationId)' are sealed with key '\(sealed.keyId)', which is not "
                                  + "configured (configured: \(keyRing.entries.map(\.id).joined(separator: ", ")))")
        }
        guard let nonce = Data(base64Encoded: sealed.nonce), let combined = Data(base64Encoded: sealed.ciphertext),
              combined.count >= AES256GCM.tagCount else {
            throw DomainError(.encryption, "credentials of connection '\(binding.connectionId)' are damaged "
                                  + "(not base64)")
        }
        var plaintext: [UInt8]
        do {
            let bytes = Array(combined)
            let box = try AES256GCM.SealedBox(nonce: Array(nonce),
                                              ciphertext: Array(bytes.dropLast(AES256GCM.tagCount)),
                                              tag: Array(bytes.suffix(AES256GCM.tagCount)))
            plaintext = try AES256GCM.open(box, key: key,
                                           authenticating: binding.associatedData(keyId: sealed.keyId, version: 1))
        } catch {
            let crypto = error
            throw DomainError(.encryption, "credentials of connection '\(binding.connectionId)' of integration "
                                  + "'\(binding.integrationId)' failed authentication "
                                  + "(\(crypto.code.description)): wrong key, damaged, or moved from "
                                  + "another connection", cause: crypto)
        }
        defer { KeyRing.wipe(&plaintext) }
        return try DocumentCoder.decode(Credentials.self, from: plaintext)
    }

    /// Whether `sealed` uses a key other than the newest (and so should be re-sealed).
    public func needsRotation(_ sealed: SealedCredentials) -> Bool { sealed.keyId != keyRing.current.id }
}
