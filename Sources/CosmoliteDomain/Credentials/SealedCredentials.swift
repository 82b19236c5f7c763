// SPDX-License-Identifier: Apache-2.0

/// Credentials sealed with AES-256-GCM, as stored in a connection's `encryptedCredentials` (format version 1,
/// see `Docs/adr/0003-credential-encryption.md`).
///
/// ```json
/// {"v": 1, "alg": "A256GCM", "kid": "k2026b", "nonce": "base64 of 12 bytes",
///  "ciphertext": "base64 of ciphertext ‖ 16-byte tag"}
/// ```
///
/// None of these fields is secret. The ciphertext only opens with the key `kid` and the same
/// ``CredentialBinding`` (tenant, integration, connection id) it was sealed for.
public struct SealedCredentials: Codable, Hashable, Sendable {
    /// The format version (1).
    public var version: Int
    /// The algorithm (`A256GCM`).
    public var algorithm: String
    /// The id of the key that sealed it.
    public var keyId: String
    /// The 96-bit nonce, base64.
    public var nonce: String
    /// The ciphertext followed by the 128-bit tag, base64.
    public var ciphertext: String

    enum CodingKeys: String, CodingKey {
        case version = "v"
        case algorithm = "alg"
        case keyId = "kid"
        case nonce, ciphertext
    }

    /// Creates a sealed value from its parts.
    public init(version: Int = 1, algorithm: String = "A256GCM", keyId: String, nonce: String, ciphertext: String) {
        self.version = version
        self.algorithm = algorithm
        self.keyId = keyId
        self.nonce = nonce
        self.ciphertext = ciphertext
    }
}

/// What sealed credentials are bound to: they decrypt only for the same tenant, integration and connection,
/// so a ciphertext copied into another item (or another tenant's item) fails authentication.
public struct CredentialBinding: Hashable, Sendable {
    /// The tenant.
    public let tenantId: TenantID
    /// The integration.
    public let integrationId: String
    /// The connection's item id.
    public let connectionId: String

    /// Creates a binding.
    public init(tenantId: TenantID, integrationId: String, connectionId: String) {
        self.tenantId = tenantId
        self.integrationId = integrationId
        self.connectionId = connectionId
    }

    /// The associated data: a label, then each field (the key id last) as a 4-byte big-endian length and its
    /// UTF-8 bytes, so no two different bindings give the same bytes.
    func associatedData(keyId: String, version: Int) -> [UInt8] {
        var out = [UInt8]()
        for field in ["cosmolite/credentials/v\(version)", "A256GCM", tenantId.rawValue, integrationId, connectionId,
                      keyId] {
            let bytes = Array(field.utf8)
            let n = UInt32(bytes.count)
            out += [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
            out += bytes
        }
        return out
    }
}
