// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import CosmoliteDomain
import Foundation
import Testing

struct CredentialCipherTests {
    let binding = CredentialBinding(tenantId: "acme", integrationId: "int-1", connectionId: "tenant")
    let credentials = Credentials(accessToken: "access-XYZ", refreshToken: "refresh-XYZ", apiKeys: ["default": "key-1"],
                                  clientId: "client", clientSecret: "client-secret-XYZ")

    func ring(_ ids: String...) throws -> KeyRing {
        try KeyRing(ids.map { ($0, try SymmetricKey.random()) })
    }

    @Test func sealsWithTheNewestKeyAndOpens() throws {
        let cipher = CredentialCipher(keyRing: try ring("new", "old"))
        let sealed = try cipher.seal(credentials, for: binding)
        #expect(sealed.keyId == "new")
        #expect(sealed.version == 1 && sealed.algorithm == "A256GCM")
        #expect(Data(base64Encoded: sealed.nonce)?.count == 12)
        #expect(try cipher.open(sealed, for: binding) == credentials)
        #expect(!cipher.needsRotation(sealed))
        let again = try cipher.seal(credentials, for: binding)
        #expect(again.nonce != sealed.nonce, "a fresh random nonce per seal")
        #expect(again.ciphertext != sealed.ciphertext)
    }

    @Test func aCiphertextDoesNotOpenForAnotherConnection() throws {
        let cipher = CredentialCipher(keyRing: try ring("k"))
        let sealed = try cipher.seal(credentials, for: binding)
        for other in [CredentialBinding(tenantId: "other", integrationId: "int-1", connectionId: "tenant"),
                      CredentialBinding(tenantId: "acme", integrationId: "int-2", connectionId: "tenant"),
                      CredentialBinding(tenantId: "acme", integrationId: "int-1", connectionId: "user-bob")] {
            do {
                _ = try cipher.open(sealed, for: other)
                Issue.record("opened for \(other)")
            } catch let error as DomainError {
                #expect(error.code == .encryption)
                #expect(error.message.contains("failed authentication"))
            }
        }
    }

    @Test func tamperingAndAForgedKeyIDFail() throws {
        let cipher = CredentialCipher(keyRing: try ring("a", "b"))
        var sealed = try cipher.seal(credentials, for: binding)
        var bytes = Array(Data(base64Encoded: sealed.ciphertext)!)
        bytes[0] ^= 1
        var tampered = sealed
        tampered.ciphertext = Data(bytes).base64EncodedString()
        #expect(throws: DomainError.self) { try cipher.open(tampered, for: binding) }
        sealed.keyId = "b"   // the key id is authenticated too
        #expect(throws: DomainError.self) { try cipher.open(sealed, for: binding) }
    }

    @Test func olderKeysStillOpenAndAMissingKeyIsNamed() throws {
        let old = try SymmetricKey.random()
        let before = CredentialCipher(keyRing: try KeyRing([("k1", old)]))
        let sealed = try before.seal(credentials, for: binding)
        let after = CredentialCipher(keyRing: try KeyRing([("k2", try SymmetricKey.random()), ("k1", old)]))
        #expect(try after.open(sealed, for: binding) == credentials)
        #expect(after.needsRotation(sealed))
        let without = CredentialCipher(keyRing: try ring("k3"))
        do {
            _ = try without.open(sealed, for: binding)
            Issue.record("opened without its key")
        } catch let error as DomainError {
            #expect(error.message.contains("key 'k1', which is not configured"))
        }
    }

    @Test func credentialsNeverPrintTheirSecrets() {
        let text = "\(credentials) \(String(reflecting: credentials))"
        var dumped = ""
        dump(credentials, to: &dumped)
        for secret in ["access-XYZ", "refresh-XYZ", "key-1", "client-secret-XYZ"] {
            #expect(!text.contains(secret))
            #expect(!dumped.contains(secret))
        }
        #expect(text.contains("accessToken: <redacted>"))
        let request = TokenRefreshRequest(tokenURL: URL(string: "https://h.example/token?x=1")!,
                                          refreshToken: "refresh-XYZ", clientId: "c", clientSecret: "client-secret-XYZ")
        #expect(!"\(request)".contains("XYZ") && !"\(request)".contains("x=1"))
    }
}
