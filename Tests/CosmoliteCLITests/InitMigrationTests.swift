// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

/// `cosmolite init` on an existing store: re-indexing, refused key changes, deprecated containers; and `seed`
/// validating the provider catalog.
struct InitMigrationTests {
    @Test func anIndexingPolicyChangeReindexes() throws {
        let box = Sandbox()
        try box.write("Containers/c.json", #"{"id": "c", "partitionKey": {"paths": ["/t"]}, "indexingPolicy": {"includedPaths": [{"path": "/a/?"}], "excludedPaths": [{"path": "/*"}]}}"#)
        _ = try box.ok(["init"])
        _ = try box.ok(["items", "create", "c"], stdin: #"{"id": "1", "t": "x", "a": 2, "b": 1}"#)
        _ = try box.ok(["items", "create", "c"], stdin: #"{"id": "2", "t": "x", "a": 1, "b": 2}"#)
        let before = try box.run(["query", "c", "SELECT c.id FROM c ORDER BY c.b"])
        #expect(before.status == 1, "b is not indexed yet")
        try box.write("Containers/c.json", #"{"id": "c", "partitionKey": {"paths": ["/t"]}, "defaultTtl": 60, "indexingPolicy": {"includedPaths": [{"path": "/a/?"}, {"path": "/b/?"}], "excludedPaths": [{"path": "/*"}]}}"#)
        let result = try box.run(["init"])
        #expect(result.status == 0)
        let step = try #require(try result.json().arrayValue?.first)
        #expect(step["outcome"] == "reindexed" && step["differences"] == ["indexingPolicy", "defaultTtl"])
        #expect(result.stderr.contains("warning: container 'c' differs from Containers/c.json in defaultTtl"))
        let after = try box.ok(["query", "c", "SELECT VALUE c.id FROM c ORDER BY c.b"]).jsonLines()
        #expect(after.first?["items"] == ["1", "2"])
        #expect(try box.ok(["containers", "get", "c"]).json()["defaultTtl"] == nil, "the TTL is only reported")
        #expect(try box.ok(["init"]).json().arrayValue?.first?["outcome"] == "differs")
    }

    @Test func aPartitionKeyOrUniqueKeyChangeIsRefusedAndNothingIsWritten() throws {
        let box = Sandbox()
        try box.write("Containers/a.json", #"{"id": "a", "partitionKey": {"paths": ["/t"]}}"#)
        try box.write("Containers/b.json", #"{"id": "b", "partitionKey": {"paths": ["/t"]}, "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/n"]}]}}"#)
        _ = try box.ok(["init"])
        try box.write("Containers/a.json", #"{"id": "a", "partitionKey": {"paths": ["/tenant"]}}"#)
        try box.write("Containers/b.json", #"{"id": "b", "partitionKey": {"paths": ["/t"]}}"#)
        try box.write("Containers/new.json", #"{"id": "new", "partitionKey": {"paths": ["/t"]}}"#)
        let result = try box.run(["init"])
        #expect(result.status == 1)
        #expect(result.firstErrorLine.hasPrefix(
            "error: 400 Bad Request: container 'a': Containers/a.json has the partition key /tenant but the store has /t"),
                "\(result.summary)")
        #expect(result.firstErrorLine.contains("container 'b': Containers/b.json has the unique keys none but the store has [/n]"))
        #expect(result.firstErrorLine.contains("nothing was changed"))
        let containers = try box.ok(["containers", "list"]).json().arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(containers == ["a", "b"], "'new' was not created")
    }

    @Test func deprecatedContainersAreRemovedOnlyWithTheFlag() throws {
        let box = Sandbox()
        try box.createContainer("integrations-old")
        try box.createContainer("tenant-integrations")
        try box.write("Containers/keep.json", #"{"id": "keep", "partitionKey": {"paths": ["/t"]}}"#)
        let reported = try box.run(["init"])
        #expect(reported.status == 0)
        #expect(try reported.json().arrayValue?.map { $0["outcome"] } == ["created", "deprecated", "deprecated"])
        #expect(reported.stderr.contains("warning: container 'integrations-old' is deprecated"))
        #expect(try box.ok(["containers", "list"]).json().arrayValue?.count == 3)
        let removed = try box.ok(["init", "--remove-deprecated", "--format", "table"])
        #expect(removed.lines.filter { $0.contains("removed") }.count == 2)
        #expect(try box.ok(["containers", "list"]).json().arrayValue?.compactMap { $0["id"]?.stringValue } == ["keep"])
    }

    @Test func seedValidatesProviderEntriesByFileAndID() throws {
        let box = Sandbox()
        let root = IntegrationCommandTests.root
        _ = try box.ok(["init", "--containers", root + "/Containers"])
        try box.write("Seeds/integration_providers.json", """
            [{"id": "crm-ok", "category": "crm", "provider": "ok", "name": "ok", "displayName": "OK",
              "description": "d", "status": "active", "audience": "public", "supportsSearch": true,
              "supportsNotifications": false, "requiresUserScoping": false, "oauthConfig": null,
              "availableEntities": ["a"], "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-02T00:00:00Z"},
             {"id": "crm-bad", "category": "crm", "provider": "Bad Name", "name": "bad", "displayName": "Bad",
              "status": "shiny", "audience": "public", "supportsSearch": "yes",
              "supportsNotifications": false, "requiresUserScoping": false,
              "oauthConfig": {"authorizationUrl": "http://example.com/a", "tokenUrl": "https://example.com/t",
                              "scopes": []},
              "availableEntities": [], "createdAt": "yesterday", "updatedAt": "2026-01-02T00:00:00Z"}]
            """)
        let result = try box.run(["seed", "Seeds"])
        #expect(result.status == 1)
        #expect(result.firstErrorLine == "error: 400 Bad Request: 1 invalid seed entry; nothing was written")
        let problem = result.stderr.split(separator: "\n").dropFirst().joined(separator: "\n")
        #expect(problem.hasPrefix("Seeds/integration_providers.json: entry 1 (id crm-bad): description: required"))
        for field in ["provider: must be lower case", "status: must be one of", "supportsSearch: must be true or false",
                      "oauthConfig.authorizationUrl: must use https", "createdAt: must be an ISO 8601 timestamp"] {
            #expect(problem.contains(field), "\(field) in \(problem)")
        }
        #expect(try box.ok(["items", "list", "integration_providers"]).jsonLines().first?["items"] == [])
        let seeded = try box.ok(["seed", root + "/Seeds"]).json()
        #expect(seeded.arrayValue?.first?["created"] == 38)
        #expect(try box.ok(["seed", root + "/Seeds"]).json().arrayValue?.first?["unchanged"] == 38)
    }
}
