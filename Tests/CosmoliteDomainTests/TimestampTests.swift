// SPDX-License-Identifier: Apache-2.0

import CosmoliteDomain
import Foundation
import Testing

struct TimestampTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_700_000_000.123, "2023-11-14T22:13:20.123Z"),
        (951_782_400.0, "2000-02-29T00:00:00.000Z"),
        (-1.5, "1969-12-31T23:59:58.500Z"),
        (253_402_300_799.999, "9999-12-31T23:59:59.999Z"),
    ])
    func formatsFixedWidthUTC(seconds: Double, text: String) {
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: seconds)) == text)
        let parsed = Timestamp.date(from: text)
        #expect(parsed.map { abs($0.timeIntervalSince1970 - seconds) < 0.001 } == true)
    }

    @Test func parsesOffsetsAndFractionsAndRejectsJunk() {
        #expect(Timestamp.date(from: "2026-02-10T10:00:00+01:00")?.timeIntervalSince1970
                    == Timestamp.date(from: "2026-02-10T09:00:00Z")?.timeIntervalSince1970)
        #expect(Timestamp.date(from: "2026-02-10T09:00:00.5Z")?.timeIntervalSince1970
                    == Timestamp.date(from: "2026-02-10T09:00:00.500Z")?.timeIntervalSince1970)
        for bad in ["", "2026-02-10", "2026-13-01T00:00:00Z", "2026-02-10T09:00:00", "2026-02-10T09:00:00.Z",
                    "2026-02-10 09:00:00Z", "2026-02-10T09:00:00Zjunk"] {
            #expect(Timestamp.date(from: bad) == nil, "\(bad)")
        }
    }

    @Test func stringOrderIsTimeOrder() {
        var generator = SystemRandomNumberGenerator()
        let dates = (0..<200).map { _ in
            Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...4_000_000_000, using: &generator))
        }
        let byString = dates.sorted { Timestamp.string(from: $0) < Timestamp.string(from: $1) }
        let byTime = dates.sorted { ($0.timeIntervalSince1970 * 1000).rounded(.down)
            < ($1.timeIntervalSince1970 * 1000).rounded(.down) }
        #expect(byString.map { Timestamp.string(from: $0) } == byTime.map { Timestamp.string(from: $0) })
    }
}
