// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import Foundation
import Testing

/// Input the tool refuses: the error line's form, and that nothing was written.
struct RefusedInputTests {
    /// Usage errors (argument-parser's) start with the tool's error line, as a 400, and keep the usage text after it.
    @Test(arguments: [
        (["items", "read", "c"], "Missing expected argument '<id>'"),
        (["items", "create", "c", "--bogus"], "Unknown option '--bogus'"),
        (["changes", "c", "--continuation", "x", "--from", "beginning"], "give either --continuation or --from"),
        (["providers", "list", "--status", "bogus"], "--status must be one of active, beta, deprecated, disabled"),
        (["providers", "list", "--audience", "everyone"], "--audience must be one of public"),
        (["connections", "expired", "--user", "bob"], "--user needs --tenant"),
        (["connections", "create", "--tenant", "acme", "--integration", "i", "--expires-in", "-10"],
         "--expires-in must be a number of seconds from now, 0 or more; got -10"),
        (["connections", "create", "--tenant", "acme", "--integration", "i", "--expires-in", "10",
          "--expires-at", "2030-01-01T00:00:00Z"], "give either --expires-at or --expires-in"),
        // A negative number is the option's value, which its check then names (not "missing value").
        (["import", "x.jsonl", "--resume-at", "-5"], "--resume-at must be a line number (1 or more)"),
        (["import", "x.jsonl", "--batch", "-3"], "--batch must be from 1 to 10000 items, got -3"),
        (["stats", "--top", "-1"], "--top must be a number of partitions, 0 or more; got -1"),
    ] as [([String], String)])
    func usageErrorsHaveTheErrorLine(arguments: [String], message: String) throws {
        let box = Sandbox()
        let result = try box.run(arguments, stdin: "{}")
        #expect(result.status == 64, "\(result.summary)")
        #expect(result.firstErrorLine.hasPrefix("error: 400 Bad Request: "), "\(result.summary)")
        #expect(result.firstErrorLine.contains(message), "\(result.summary)")
        #expect(result.stderr.contains("Usage: cosmolite "), "the usage text follows: \(result.summary)")
        #expect(!FileManager.default.fileExists(atPath: box.store + "/data.mdb"), "no store was created")
    }

    /// A definition that only the create step used to refuse (TTL without indexing) is now refused with the
    /// others, before any container of the folder or the export's header is created.
    @Test func aFolderOrHeaderWithARefusedDefinitionCreatesNothing() throws {
        let box = Sandbox()
        try box.write("defs/a.json", #"{"id":"aaa","partitionKey":{"paths":["/pk"]}}"#)
        try box.write("defs/z.json", #"{"id":"zzz","partitionKey":{"paths":["/pk"]},"#
                          + #""indexingPolicy":{"indexingMode":"none"},"defaultTtl":5}"#)
        let folder = try box.run(["init", "--containers", box.directory + "/defs"])
        #expect(folder.firstErrorLine.hasPrefix("error: 400 Bad Request: "), "\(folder.summary)")
        #expect(folder.firstErrorLine.contains("z.json") && folder.firstErrorLine.contains("defaultTtl"))

        let header = #"{"cosmoliteExport":1,"exportedAt":1,"snapshotTransaction":1,"containers":["#
            + #"{"id":"aaa2","partitionKey":{"paths":["/pk"],"kind":"Hash","version":2}},"#
            + #"{"id":"zzz2","partitionKey":{"paths":["/pk"],"kind":"Hash","version":2},"#
            + #""indexingPolicy":{"indexingMode":"none","automatic":false,"includedPaths":[],"excludedPaths":[]},"#
            + #""defaultTtl":5}]}"# + "\n" + #"{"cosmoliteExportContainer":"aaa2"}"# + "\n"
            + #"{"id":"1","pk":"a"}"# + "\n"
        let file = try box.write("export.jsonl", header)
        let imported = try box.run(["import", file, "--quiet"])
        #expect(imported.status != 0 && imported.firstErrorLine.contains("defaultTtl"), "\(imported.summary)")

        let listed = try box.ok(["containers", "list"]).json()
        #expect(listed.arrayValue?.isEmpty == true || listed["items"]?.arrayValue?.isEmpty == true,
                "no container was created: \(listed)")
    }

    @Test func restoringAnExportSaysToImportIt() throws {
        let box = Sandbox()
        try box.createContainer("c")
        let export = box.directory + "/c.jsonl"
        _ = try box.ok(["export", "--output", export, "--quiet"])
        let restored = try box.run(["restore", export, "--force"])
        #expect(restored.firstErrorLine.hasPrefix("error: 400 Bad Request: "), "\(restored.summary)")
        #expect(restored.firstErrorLine.contains("cosmolite import"))
        #expect(try box.ok(["containers", "get", "c"]).json()["id"] == "c", "the store is untouched")
    }

    @Test func aFileWhereAFolderIsExpectedIsNamedAsSuch() throws {
        let box = Sandbox()
        let file = try box.write("defs.json", #"{"id":"a","partitionKey":{"paths":["/pk"]}}"#)
        let result = try box.run(["init", "--containers", file])
        #expect(result.firstErrorLine == "error: 400 Bad Request: '\(file)' is a file, not a folder; pass the folder "
                    + "that holds the container definitions (*.json)", "\(result.summary)")
        let seed = try box.run(["seed", file])
        #expect(seed.firstErrorLine == "error: 400 Bad Request: '\(file)' is a file, not a folder; pass the folder "
                    + "that holds the seed files (<container>.json)", "\(seed.summary)")
    }

    /// A negative page size reaches the service's own check.
    @Test func aNegativePageSizeIsNamed() throws {
        let box = Sandbox()
        _ = try box.ok(["init", "--containers", IntegrationCommandTests.root + "/Containers"])
        let result = try box.run(["providers", "list", "--page-size", "-1"])
        #expect(result.status == 1)
        #expect(result.firstErrorLine.hasPrefix("error: 400 Bad Request: "), "\(result.summary)")
        #expect(result.firstErrorLine.contains("pageSize: must be 1 to 1000, got -1"), "\(result.summary)")
    }

    @Test func aFolderWhereAFileIsExpectedIsNamedAsSuch() throws {
        let box = Sandbox()
        try box.write("defs/a.json", #"{"id":"a","partitionKey":{"paths":["/pk"]}}"#)
        let folder = box.directory + "/defs"
        let result = try box.run(["containers", "create", "--file", folder])
        #expect(result.firstErrorLine == "error: 400 Bad Request: \(folder): is a folder; pass a file",
                "\(result.summary)")
        #expect(!FileManager.default.fileExists(atPath: box.store + "/data.mdb"), "no store was created")
    }
}
