// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

struct ContainerDefinitionTests {
    @Test(arguments: [
        (#"{"partitionKey": {"paths": ["/a"]}}"#, "id"),
        (#"{"id": "x"}"#, "partitionKey"),
        (#"{"id": "a/b", "partitionKey": {"paths": ["/a"]}}"#, "id"),
        (#"{"id": "x", "partitionKey": {"paths": ["a"]}}"#, "partitionKey.paths[0]"),
        (#"{"id": "x", "partitionKey": {"paths": ["/a", "/b"], "kind": "Hash"}}"#, "partitionKey.paths"),
        (#"{"id": "x", "partitionKey": {"paths": ["/a", "/b", "/c", "/d"], "kind": "MultiHash"}}"#, "partitionKey.paths"),
        (#"{"id": "x", "partitionKey": {"paths": ["/a"], "kind": "Range"}}"#, "partitionKey.kind"),
        (#"{"id": "x", "partitionKey": {"paths": ["/a"], "version": 3}}"#, "partitionKey.version"),
        (#"{"id": "x", "partitionKey": {"paths": ["/a"]}, "defaultTtl": 0}"#, "defaultTtl"),
        (#"{"id": "x", "partitionKey": {"paths": ["/a"]}, "defaultTtl": 1.5}"#, "defaultTtl"),
        (#"{"id": "x", "partitionKey": {"paths": ["/a"]}, "colour": 1}"#, "colour"),
        (#"{"id": "x", "partitionKey": {"paths": ["/a"]}, "uniqueKeyPolicy": {"uniqueKeys": [{"paths": []}]}}"#,
         "uniqueKeyPolicy.uniqueKeys[0].paths"),
        (#"{"id": "x", "partitionKey": {"paths": ["/a"]}, "indexingPolicy": {"includedPaths": [{"path": "/a/?"}]}}"#,
         "root path"),
        (#"{"id": "x", "partitionKey": {"paths": ["/a"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}], "compositeIndexes": [[{"path": "/a"}]]}}"#,
         "indexingPolicy.compositeIndexes[0]"),
        (#"{"id": "x", "partitionKey": {"paths": ["/a"]}, "indexingPolicy": {"indexingMode": "lazy"}}"#,
         "indexingPolicy.indexingMode"),
        (#"{"id": "x", "partitionKey": {"paths": ["/a"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}, {"path": "/a-b/?"}]}}"#,
         "must be quoted"),
        (#"{"id": "x", "partitionKey": {"paths": ["/a"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}, {"path": "/events/[]/{name,category}/?"}]}}"#,
         "tuple index paths"),
        (#"{"id": "x", "partitionKey": {"paths": ["/a"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}, {"path": "/a/[1]/b/?"}]}}"#,
         "array positions ('[1]')"),
    ])
    func invalidDefinitionsNameTheField(text: String, field: String) throws {
        let error = expectStatus(400) { try definition(text) }
        #expect(error?.message.contains(field) == true, "\(String(describing: error?.message)) should name \(field)")
    }

    @Test func defaultsAreFilledIn() throws {
        let d = try definition(#"{"id": "x", "partitionKey": {"paths": ["/tenantId"]}}"#)
        #expect(d.partitionKey.kind == .hash)
        #expect(d.partitionKey.version == 2)
        #expect(d.indexingPolicy == .default)
        #expect(d.defaultTtl == nil)
        let again = try ContainerDefinition(json: d.json)
        #expect(again == d)
    }

    /// Properties a definition exported from Azure carries are kept and echoed, not refused.
    @Test func serviceSettingsAreKept() throws {
        let d = try definition(#"""
            {"id": "x", "partitionKey": {"paths": ["/a"]}, "analyticalStorageTtl": -1,
             "changeFeedPolicy": {"retentionDuration": 0}, "clientEncryptionPolicy": null}
            """#)
        #expect(d.preserved["analyticalStorageTtl"] == -1)
        #expect(d.json["changeFeedPolicy"] == .object(["retentionDuration": 0]))
        #expect(try ContainerDefinition(json: d.json) == d)
    }

    @Test func hierarchicalKeysAndQuotedPaths() throws {
        let d = try definition(#"""
            {"id": "h", "partitionKey": {"paths": ["/tenantId", "/userId", "/sessionId"], "kind": "MultiHash", "version": 2},
             "indexingPolicy": {"includedPaths": [{"path": "/\"a-b\"/?"}, {"path": "/tags/[]/?"}],
                                "excludedPaths": [{"path": "/*"}]}}
            """#)
        #expect(d.partitionKey.paths.count == 3)
        #expect(d.indexingPolicy.includedPaths.contains("/\"a-b\"/?"))
    }
}

struct ContainerLifecycleTests {
    @Test func createReadListReplaceDelete() throws {
        let test = try TestStore()
        let store = test.store
        let created = try store.createContainer(try definition(#"{"id": "a", "partitionKey": {"paths": ["/k"]}}"#))
        #expect(created.rid.isEmpty == false)
        #expect(created.selfLink.hasPrefix("dbs/"))
        #expect(created.etag.hasPrefix("\""))
        expectStatus(409) { try store.createContainer(try definition(#"{"id": "a", "partitionKey": {"paths": ["/k"]}}"#)) }
        try store.createContainer(try definition(#"{"id": "b", "partitionKey": {"paths": ["/k"]}}"#))
        #expect(try store.containers().map(\.id) == ["a", "b"])
        #expect(try store.container("a").rid == created.rid)
        expectStatus(404) { try store.container("zzz") }

        let replaced = try store.replaceContainer(try definition(#"{"id": "a", "partitionKey": {"paths": ["/k"]}, "defaultTtl": -1}"#))
        #expect(replaced.definition.defaultTtl == -1)
        #expect(replaced.etag != created.etag)
        #expect(replaced.rid == created.rid)

        try store.deleteContainer("a")
        expectStatus(404) { try store.container("a") }
        expectStatus(404) { try store.deleteContainer("a") }
        #expect(try store.verify().isEmpty)
    }

    /// Reads reuse the catalog while their snapshot is unchanged; a change committed through another handle
    /// moves the snapshot, so the next read sees it.
    @Test func catalogChangesThroughAnotherHandleAreSeenByTheNextRead() throws {
        let test = try TestStore()
        let other = try Store.open(at: test.directory, configuration: test.store.configuration)
        try test.store.createContainer(try definition(#"{"id": "a", "partitionKey": {"paths": ["/k"]}}"#))
        _ = try test.store.createItem(in: "a", json: Array(#"{"id": "1", "k": "p"}"#.utf8))
        for _ in 0..<3 {  // repeated reads at one snapshot
            #expect(try test.store.readItem(in: "a", id: "1", partitionKey: PartitionKey("p")).id == "1")
        }

        try other.createContainer(try definition(#"{"id": "b", "partitionKey": {"paths": ["/k"]}}"#))
        _ = try other.createItem(in: "b", json: Array(#"{"id": "2", "k": "q"}"#.utf8))
        #expect(try test.store.readItem(in: "b", id: "2", partitionKey: PartitionKey("q")).id == "2")

        try other.deleteContainer("a")
        let error = expectStatus(404) { try test.store.readItem(in: "a", id: "1", partitionKey: PartitionKey("p")) }
        #expect(error?.message.contains("container 'a' does not exist") == true)
    }

    /// index-policy.md: TTL cannot be activated on a container whose indexing mode is none, nor the mode set to none
    /// where TTL is active.
    @Test func timeToLiveNeedsTheConsistentMode() throws {
        let test = try TestStore()
        let none = #""indexingPolicy": {"indexingMode": "none", "automatic": false}"#
        let created = expectStatus(400) {
            try test.store.createContainer(try definition(
                #"{"id": "a", "partitionKey": {"paths": ["/k"]}, "defaultTtl": 100, "# + none + "}"))
        }
        #expect(created?.message.contains("indexing mode is none") == true, "\(created?.message ?? "")")
        #expect(try test.store.containers().isEmpty)
        try test.store.createContainer(try definition(#"{"id": "a", "partitionKey": {"paths": ["/k"]}, "defaultTtl": 100}"#))
        expectStatus(400) {
            try test.store.replaceContainer(try definition(
                #"{"id": "a", "partitionKey": {"paths": ["/k"]}, "defaultTtl": 100, "# + none + "}"))
        }
        #expect(try test.store.container("a").definition.indexingPolicy.indexingMode == .consistent)
        try test.store.createContainer(try definition(#"{"id": "b", "partitionKey": {"paths": ["/k"]}, "# + none + "}"))
    }

    @Test func partitionKeyAndUniqueKeysAreImmutable() throws {
        let test = try TestStore()
        try test.store.createContainer(try definition(
            #"{"id": "a", "partitionKey": {"paths": ["/k"]}, "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/u"]}]}}"#))
        let pk = expectStatus(400) {
            try test.store.replaceContainer(try definition(#"{"id": "a", "partitionKey": {"paths": ["/other"]}, "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/u"]}]}}"#))
        }
        #expect(pk?.message.contains("partition key cannot be changed") == true)
        let uk = expectStatus(400) {
            try test.store.replaceContainer(try definition(#"{"id": "a", "partitionKey": {"paths": ["/k"]}}"#))
        }
        #expect(uk?.message.contains("unique-key policy cannot be changed") == true)
    }

    @Test func deleteRemovesEveryRowOfTheContainerOnly() throws {
        let test = try TestStore()
        let store = test.store
        for name in ["a", "b"] {
            try store.createContainer(try definition(
                #"{"id": "\#(name)", "partitionKey": {"paths": ["/k"]}, "defaultTtl": 1000, "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/u"]}]}}"#))
            for i in 0..<20 {
                _ = try store.createItem(in: name, json: bytes(#"{"id": "\#(i)", "k": "p\#(i % 3)", "u": \#(i)}"#))
            }
        }
        func documents() throws -> Int { try store.statistics().databases.first { $0.name == "docs" }?.entries ?? -1 }
        #expect(try documents() == 40)
        try store.deleteContainer("a")
        _ = expectStatus(404) { _ = try store.readItems(in: "a") }
        #expect(try store.readItems(in: "b", maxItemCount: -1).items.count == 20)
        // A new container with the old name starts empty, while the old one's rows are still being removed.
        try store.createContainer(try definition(#"{"id": "a", "partitionKey": {"paths": ["/k"]}}"#))
        #expect(try store.readItems(in: "a").items.isEmpty)
        #expect(try documents() == 40, "the delete itself removed no row")
        #expect(try store.verify().isEmpty)   // rows of a container being deleted are accounted for
        // Bounded steps: 20 items of "a" had 20 docs rows and many more index, unique-key, TTL and feed rows.
        var steps = 0
        while try store.advanceContainerDeletions(limit: 50) { steps += 1 }
        #expect(steps > 2)
        #expect(try documents() == 20)
        #expect(try store.verify().isEmpty)   // and none is left
        #expect(try store.readItems(in: "b", maxItemCount: -1).items.count == 20)
    }

    /// Creates container `a` with 30 items and deletes it (without driving the removal of its rows).
    static func fillAndDelete(_ store: Store) throws {
        try store.createContainer(try definition(#"{"id": "a", "partitionKey": {"paths": ["/k"]}}"#))
        for i in 0..<30 { _ = try store.createItem(in: "a", json: bytes(#"{"id": "\#(i)", "k": "p"}"#)) }
        try store.deleteContainer("a")
        #expect(try store.statistics().databases.first { $0.name == "docs" }?.entries == 30)
    }

    @Test func aDeletedContainersRowsGoInTheBackgroundAfterAReopen() async throws {
        let directory = TestStore.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.fillAndDelete(try Store.open(at: directory, configuration: TestStore.configuration(strict: false)))
        let store = try Store.open(at: directory, configuration: TestStore.configuration(strict: false,
                                                                                         indexesInBackground: true))
        await store.backgroundIndexingFinished()
        #expect(try store.statistics().databases.allSatisfy { ["meta", "containers"].contains($0.name) || $0.entries == 0 })
        #expect(try store.verify().isEmpty)
    }

    @Test func replacingTheIndexingPolicyReindexes() throws {
        let test = try TestStore()
        let store = test.store
        try store.createContainer(try definition(#"{"id": "a", "partitionKey": {"paths": ["/k"]}}"#))
        for i in 0..<30 {
            _ = try store.createItem(in: "a", json: bytes(#"{"id": "\#(i)", "k": "p", "x": {"y": \#(i)}, "tags": ["t\#(i)"]}"#))
        }
        try store.replaceContainer(try definition(#"""
            {"id": "a", "partitionKey": {"paths": ["/k"]},
             "indexingPolicy": {"includedPaths": [{"path": "/x/*"}], "excludedPaths": [{"path": "/*"}],
                                "compositeIndexes": [[{"path": "/k"}, {"path": "/x/y", "order": "descending"}]]}}
            """#))
        // Strict mode already checked after the commit; check again explicitly.
        #expect(try store.verify().isEmpty)
        try store.replaceContainer(try definition(#"{"id": "a", "partitionKey": {"paths": ["/k"]}, "indexingPolicy": {"indexingMode": "none"}}"#))
        #expect(try store.verify().isEmpty)
    }

    @Test func applyingAFolderIsIdempotentAndReportsDifferences() throws {
        let test = try TestStore()
        let folder = TestStore.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(#"{"id": "one", "partitionKey": {"paths": ["/k"]}}"#.utf8).write(to: URL(fileURLWithPath: folder + "/one.json"))
        try Data(#"{"id": "two", "partitionKey": {"paths": ["/k"]}, "defaultTtl": 60}"#.utf8).write(to: URL(fileURLWithPath: folder + "/two.json"))
        let first = try test.store.applyContainerDefinitions(try Store.loadContainerDefinitions(fromDirectory: folder))
        #expect(first.map(\.outcome) == [.created, .created])
        let second = try test.store.applyContainerDefinitions(try Store.loadContainerDefinitions(fromDirectory: folder))
        #expect(second.map(\.outcome) == [.unchanged, .unchanged])
        try Data(#"{"id": "two", "partitionKey": {"paths": ["/k"]}, "defaultTtl": 120}"#.utf8).write(to: URL(fileURLWithPath: folder + "/two.json"))
        let third = try test.store.applyContainerDefinitions(try Store.loadContainerDefinitions(fromDirectory: folder))
        #expect(third.map(\.outcome) == [.unchanged, .differs])
        #expect(third[1].differences == ["defaultTtl"])
        #expect(try test.store.container("two").definition.defaultTtl == 60)

        try Data(#"{"id": "bad", "partitionKey": {"paths": ["nope"]}}"#.utf8).write(to: URL(fileURLWithPath: folder + "/bad.json"))
        let error = expectStatus(400) { try Store.loadContainerDefinitions(fromDirectory: folder) }
        #expect(error?.message.contains("bad.json") == true)
    }
}
