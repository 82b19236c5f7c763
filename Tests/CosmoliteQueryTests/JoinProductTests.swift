// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// JOINs make their rows one at a time, and the rows count toward a page's scan budget: a large cross product within
/// one item is paged, with the position inside the item, instead of being built in memory at once.
struct JoinProductTests {
    /// One item whose `arr` holds 0–59: three JOINs over it make 216,000 rows.
    static func store() throws -> TestStore {
        let test = try storeWithContainers(["t": indexAll])
        _ = try test.store.createItem(in: "t", document: [
            "id": "big", "pk": "p", "arr": .array((0..<60).map { .number(Double($0)) }),
        ])
        _ = try test.store.createItem(in: "t", document: ["id": "small", "pk": "q", "arr": [1, 2]])
        return test
    }

    static let threeJoins = "FROM c JOIN a IN c.arr JOIN b IN c.arr JOIN d IN c.arr"

    /// A rare row of a large product: the pages before it come back short, each within the scan budget, and carry
    /// on inside the item.
    @Test func aLargeProductIsPagedInsideTheItem() throws {
        let test = try Self.store()
        let text = "SELECT VALUE [a, b, d] " + Self.threeJoins + " WHERE a + b + d = 177"
        var pages = 0
        var found = [JSONValue]()
        var token: String?
        repeat {
            let page = try test.store.query(in: "t", text, maxItemCount: 1000, continuation: token)
            found += try page.items.map { try $0.value() }
            token = page.continuation
            pages += 1
        } while token != nil
        #expect(found == [[59, 59, 59]])
        #expect(pages >= 216_000 / 50_000, "\(pages) pages")
    }

    /// Small pages over a product concatenate to the whole answer, in order.
    @Test func pagesOfAProductConcatenate() throws {
        let test = try Self.store()
        let text = "SELECT VALUE [c.id, a, b] FROM c JOIN a IN c.arr JOIN b IN c.arr "
            + "WHERE a < 3 AND b >= 58 OR c.id = 'small'"
        let whole = try queryAll(test.store, "t", text, pageSize: 1000)
        #expect(whole.count == 3 * 2 + 4)
        for size in [1, 2, 5] {
            #expect(try queryAll(test.store, "t", text, pageSize: size) == whole, "pages of \(size)")
        }
    }

    /// Aggregates read every row of the product, one at a time.
    @Test func aggregatesOverAProduct() throws {
        let test = try Self.store()
        #expect(try queryAll(test.store, "t", "SELECT VALUE COUNT(1) " + Self.threeJoins) == [.number(216_000 + 8)])
        #expect(try queryAll(test.store, "t", "SELECT VALUE MAX(a + b + d) " + Self.threeJoins) == [177])
    }
}
