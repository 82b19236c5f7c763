// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// Applies random operations to the engine and to a plain in-memory model and compares every outcome and the
/// final state. The engine runs in strict mode, so the consistency checker also runs after every commit.
struct ModelBasedTests {
    struct Key: Hashable { var pk: String; var id: String }

    /// The model: items by (partition, id), holding only user properties.
    struct Model {
        var items: [Key: JSONObject] = [:]

        func uniqueClash(_ key: Key, _ doc: JSONObject) -> Bool {
            let email = doc["email"] ?? .null
            return items.contains { k, v in k.pk == key.pk && k.id != key.id && (v["email"] ?? .null) == email }
        }
    }

    static func userProperties(_ o: JSONObject) -> JSONObject {
        var o = o
        for k in ["_rid", "_self", "_etag", "_attachments", "_ts"] { o[k] = nil }
        return o
    }

    @Test(arguments: [1, 2, 3, 42, 2026] as [UInt64])
    func randomOperationsMatchTheModel(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let test = try TestStore.withContainer(#""uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/email"]}]}"#)
        let store = test.store
        var model = Model()
        let partitions = ["t0", "t1", "t2", "t3"]

        func randomDoc(_ key: Key) -> JSONObject {
            var o: JSONObject = ["id": .string(key.id), "tenantId": .string(key.pk), "n": .number(Double(Int.random(in: 0..<100, using: &rng)))]
            if Int.random(in: 0..<4, using: &rng) > 0 { o["email"] = .string("e\(Int.random(in: 0..<8, using: &rng))") }
            return o
        }

        for step in 0..<400 {
            let key = Key(pk: partitions.randomElement(using: &rng)!, id: "i\(Int.random(in: 0..<12, using: &rng))")
            let op = Int.random(in: 0..<100, using: &rng)
            let context = "seed \(seed) step \(step) op \(op) key \(key)"
            var expected: Int
            var actual: Int
            func run(_ body: () throws -> Void) -> Int {
                do { try body(); return 200 } catch let e as StoreError { return e.status } catch { return -1 }
            }
            let exists = model.items[key] != nil
            switch op {
            case 0..<30: // create
                let doc = randomDoc(key)
                expected = exists ? 409 : (model.uniqueClash(key, doc) ? 409 : 200)
                actual = run { _ = try store.createItem(in: "c", document: .object(doc)) }
                if expected == 200 { model.items[key] = doc }
            case 30..<50: // upsert
                let doc = randomDoc(key)
                expected = model.uniqueClash(key, doc) ? 409 : 200
                actual = run { _ = try store.upsertItem(in: "c", document: .object(doc)) }
                if expected == 200 { model.items[key] = doc }
            case 50..<58: // replace
                let doc = randomDoc(key)
                expected = !exists ? 404 : (model.uniqueClash(key, doc) ? 409 : 200)
                actual = run { _ = try store.replaceItem(in: "c", id: key.id, partitionKey: PartitionKey(key.pk), document: .object(doc)) }
                if expected == 200 { model.items[key] = doc }
            case 58..<65: // replace with a document of another id: the item is renamed
                let target = Key(pk: key.pk, id: "i\(Int.random(in: 0..<12, using: &rng))")
                let doc = randomDoc(target)
                // The renamed item's own unique value is no clash: it goes with the item.
                let clash = model.items.contains { k, v in
                    k.pk == key.pk && k != key && (v["email"] ?? .null) == (doc["email"] ?? .null)
                }
                expected = !exists ? 404 : (clash || target != key && model.items[target] != nil ? 409 : 200)
                actual = run { _ = try store.replaceItem(in: "c", id: key.id, partitionKey: PartitionKey(key.pk), document: .object(doc)) }
                if expected == 200 {
                    model.items[key] = nil
                    model.items[target] = doc
                }
            case 65..<78: // delete
                expected = exists ? 200 : 404
                actual = run { try store.deleteItem(in: "c", id: key.id, partitionKey: PartitionKey(key.pk)) }
                if exists { model.items[key] = nil }
            case 78..<92: // patch email
                let email = "e\(Int.random(in: 0..<8, using: &rng))"
                var doc = model.items[key]
                doc?["email"] = .string(email)
                let n = doc?["n"]?.numberValue ?? 0
                doc?["n"] = .number(n + 1)
                expected = !exists ? 404 : (model.uniqueClash(key, doc!) ? 409 : 200)
                let ops = try PatchOperation.parseList(try json(
                    #"[{"op": "set", "path": "/email", "value": "\#(email)"}, {"op": "incr", "path": "/n", "value": 1}]"#))
                actual = run { _ = try store.patchItem(in: "c", id: key.id, partitionKey: PartitionKey(key.pk), operations: ops) }
                if expected == 200 { model.items[key] = doc }
            case 92..<97: // batch of two creates in one partition
                let second = Key(pk: key.pk, id: key.id + "b")
                let d1 = randomDoc(key), d2 = randomDoc(second)
                var trial = model
                var failed = false
                for (k, d) in [(key, d1), (second, d2)] {
                    if trial.items[k] != nil || trial.uniqueClash(k, d) { failed = true; break }
                    trial.items[k] = d
                }
                expected = failed ? 1 : 200
                let response = try store.executeBatch(in: "c", partitionKey: PartitionKey(key.pk), operations: [
                    BatchOperation(.create, resourceBody: .object(d1)), BatchOperation(.create, resourceBody: .object(d2)),
                ])
                actual = response.isSuccess ? 200 : 1
                if !failed { model = trial }
            default: // delete the whole partition
                expected = 200
                actual = run { _ = try store.deleteAllItems(in: "c", partitionKey: PartitionKey(key.pk)) }
                model.items = model.items.filter { $0.key.pk != key.pk }
            }
            #expect(actual == expected, "\(context)")
            if actual != expected { return }
        }
        // Final state: every item equal, nothing extra.
        var stored = [Key: JSONObject]()
        var token: String?
        repeat {
            let page = try store.readItems(in: "c", maxItemCount: 17, continuation: token)
            for item in page.items {
                stored[Key(pk: item.partitionKey.components.first.flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "?", id: item.id)] = Self.userProperties(item.object)
            }
            token = page.continuation
        } while token != nil
        #expect(stored == model.items, "seed \(seed)")
        #expect(try store.verify().isEmpty, "seed \(seed)")
    }
}
