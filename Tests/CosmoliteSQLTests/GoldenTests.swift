// SPDX-License-Identifier: Apache-2.0

import CosmoliteSQL
import Testing

// MARK: - GoldenTests

@Suite struct GoldenTests {
    @Test func tableIsLargeAndUnique() {
        #expect(GoldenQueries.cases.count >= 60)
        #expect(Set(GoldenQueries.cases.map(\.query)).count == GoldenQueries.cases.count)
    }

    @Test(arguments: GoldenQueries.cases)
    func dumpsCanonically(query: String, dump: String) throws {
        #expect(try Query.parse(query).description == dump)
    }

    @Test(arguments: GoldenQueries.cases)
    func reparsingTheDumpGivesAnEqualQuery(query: String, dump: String) throws {
        let parsed = try Query.parse(query)
        let reparsed = try Query.parse(parsed.description)
        #expect(reparsed == parsed)
        #expect(reparsed.description == parsed.description)
    }
}
