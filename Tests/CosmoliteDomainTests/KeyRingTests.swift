// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import CosmoliteDomain
import Foundation
import Testing

struct KeyRingTests {
    static let keyA = Data(repeating: 0xA1, count: 32).base64EncodedString()
    static let keyB = String(repeating: "b2", count: 32)

    @Test func parsesNewestFirstWithIDsHexAndComments() throws {
        let ring = try KeyRing.parse("# keys\nk2:\(Self.keyB)\n\n k1:\(Self.keyA) \n", source: "test")
        #expect(ring.entries.map(\.id) == ["k2", "k1"])
        #expect(ring.current.id == "k2")
        #expect(ring.key(id: "k1") != nil)
        #expect(ring.key(id: "nope") == nil)
        let commas = try KeyRing.parse("k2:\(Self.keyB),k1:\(Self.keyA)", source: "test")
        #expect(commas.entries.map(\.id) == ["k2", "k1"])
    }

    @Test func aBareKeyGetsAStableDerivedID() throws {
        let first = try KeyRing.parse(Self.keyA, source: "env")
        let second = try KeyRing.parse(Self.keyA, source: "env")
        #expect(first.current.id == second.current.id)
        #expect(first.current.id.hasPrefix("k") && first.current.id.count == 9)
    }

    @Test(arguments: [
        ("k1:c2hvcnQ=", "entry 1 is not ID:KEY"),
        ("k1:\(keyA),k1:\(keyB)", "listed twice"),
        ("bad id!:\(keyA)", "the id may contain only"),
        ("", "no encryption key"),
    ])
    func rejectsBadKeysWithoutQuotingThem(text: String, message: String) {
        do {
            _ = try KeyRing.parse(text, source: "COSMOLITE_ENCRYPTION_KEY")
            Issue.record("accepted \(text)")
        } catch let error as DomainError {
            #expect(error.code == .validation)
            #expect(error.message.contains(message), "\(error.message)")
            #expect(!error.message.contains(Self.keyA) && !error.message.contains(Self.keyB))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func environmentAndFilesAreRead() throws {
        let ring = try KeyRing.fromEnvironment([KeyRing.keyVariable: "k9:\(Self.keyA)"])
        #expect(ring.current.id == "k9")
        #expect(throws: DomainError.self) { try KeyRing.fromEnvironment([:]) }

        let path = NSTemporaryDirectory() + "cosmolite-keys-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data("f2:\(Self.keyB)\nf1:\(Self.keyA)\n".utf8),
                                       attributes: [.posixPermissions: 0o600])
        let fromFile = try KeyRing.fromEnvironment([KeyRing.keyFileVariable: path, KeyRing.keyVariable: "ignored"])
        #expect(fromFile.entries.map(\.id) == ["f2", "f1"])
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        do {
            _ = try KeyRing.load(file: path)
            Issue.record("a world-readable key file was accepted")
        } catch let error as DomainError {
            #expect(error.message.contains("readable by other users"))
        }
        let folder = path + ".d"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            _ = try KeyRing.load(file: folder)
            Issue.record("a folder was accepted as a key file")
        } catch let error as DomainError {
            #expect(error.message == "the key file \(folder) is not a regular file; pass the file that holds the keys")
        }
    }

    @Test func generatedLinesParseAndDescriptionsHideKeys() throws {
        let line = try KeyRing.generateLine(id: "k2026")
        let ring = try KeyRing.parse(line, source: "generated")
        #expect(ring.current.id == "k2026")
        let material = String(line.split(separator: ":")[1])
        #expect(!"\(ring)".contains(material))
        #expect("\(ring)" == "KeyRing(current: k2026, keys: k2026)")
    }
}
