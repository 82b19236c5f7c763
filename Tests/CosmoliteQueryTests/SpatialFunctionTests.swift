// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

/// The spatial functions (`ST_DISTANCE`, `ST_WITHIN`, `ST_INTERSECTS`, `ST_AREA`, `ST_ISVALID`,
/// `ST_ISVALIDDETAILED`) through the query engine: the examples of Cosmos DB's documentation with their published
/// results, cases the service's users reported, and properties checked against computations written apart.
struct SpatialFunctionTests {
    /// A store with container `g` (partition key `/k`, geospatialConfig `type`) and one item `{"id": "1", "k": "a"}`.
    static func fixture(_ type: String = "Geography") throws -> TestStore {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "g", "partitionKey": {"paths": ["/k"]}, "geospatialConfig": {"type": "\#(type)"}}"#)))
        _ = try test.store.createItem(in: "g", json: Array(#"{"id": "1", "k": "a"}"#.utf8))
        return test
    }

    /// The value of `expression` over the fixture's item, or nil when it is undefined.
    static func value(_ store: Store, _ expression: String, _ parameters: [String: JSONValue] = [:]) throws
        -> JSONValue? {
        let rows = try queryAll(store, "g", "SELECT VALUE {r: \(expression)} FROM c", parameters: parameters)
        guard rows.count == 1, case .object(let o) = rows[0] else {
            Issue.record("expected one object for \(expression), got \(rows)")
            return nil
        }
        return o["r"]
    }

    static func number(_ store: Store, _ expression: String) throws -> Double {
        guard case .number(let n)? = try value(store, expression) else {
            Issue.record("\(expression) is not a number")
            return .nan
        }
        return n
    }

    static func point(_ x: Double, _ y: Double) -> String { #"{"type": "Point", "coordinates": [\#(x), \#(y)]}"# }

    /// A polygon of one ring through `positions` (closed here).
    static func polygon(_ positions: [(Double, Double)]) -> String {
        let ring = (positions + [positions[0]]).map { "[\($0.0), \($0.1)]" }.joined(separator: ", ")
        return #"{"type": "Polygon", "coordinates": [[\#(ring)]]}"#
    }

    static func expectRelative(_ got: Double, _ want: Double, _ tolerance: Double = 1e-6,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(abs(got - want) <= tolerance * abs(want), "\(got) where \(want) was expected",
                sourceLocation: sourceLocation)
    }

    // MARK: - The documentation's examples

    /// learn.microsoft.com/cosmos-db/query/st-distance (Azure-Samples/cosmos-db-nosql-query-samples, st-distance):
    /// 3.345269817267368 and 1907.438421299902 km.
    @Test func distanceAsDocumented() throws {
        let store = try Self.fixture().store
        let reference = Self.point(-122.11758113953535, 47.66901087006131)
        Self.expectRelative(try Self.number(store, "ST_DISTANCE(\(Self.point(-122.12826822304672, 47.63980239335718)), "
            + "\(reference)) / 1000"), 3.345269817267368)
        Self.expectRelative(try Self.number(store, "ST_DISTANCE(\(Self.point(-96.84368664765994, 46.81297794314663)), "
            + "\(reference)) / 1000"), 1907.438421299902)
    }

    /// st-within, st-intersects, st-area, st-isvalid and st-isvaliddetailed: the samples' queries and results.
    @Test func predicatesAreaAndValidityAsDocumented() throws {
        let store = try Self.fixture().store
        let campus = #"{"type":"Polygon","coordinates":[[[-122.13236581015025,47.64606476313813],"#
            + #"[-122.13221982500913,47.633757091363975],[-122.11840598103835,47.641749416109235],"#
            + #"[-122.12061400629656,47.64589264786028],[-122.13236581015025,47.64606476313813]]]}"#
        #expect(try Self.value(store, "ST_WITHIN(\(Self.point(-122.12824857332558, 47.6395516675712)), \(campus))")
            == .bool(true))
        // The how-to's second office lies far outside the campus.
        #expect(try Self.value(store, "ST_WITHIN(\(Self.point(-96.84369, 46.81298)), \(campus))") == .bool(false))
        let highway = #"{"type":"Polygon","coordinates":[[[-122.13693695285855,47.64996065621003],"#
            + #"[-122.1351662656516,47.64627863318731],[-122.13488295569863,47.646326350048696],"#
            + #"[-122.1366182291613,47.650016321952904],[-122.13693695285855,47.64996065621003]]]}"#
        let campusB = #"{"type":"Polygon","coordinates":[[[-122.14034847687708,47.6494835188378],"#
            + #"[-122.14014779899375,47.64625477474044],[-122.13256925774829,47.646207057813655],"#
            + #"[-122.13254564858545,47.64941990019193],[-122.14034847687708,47.6494835188378]]]}"#
        #expect(try Self.value(store, "ST_INTERSECTS(\(highway), \(campusB))") == .bool(true))
        Self.expectRelative(try Self.number(store, "ST_AREA(\(Self.polygon([(31.8, -5), (32, -5), (32, -4.7), (31.8, -4.7)])))"),
                            735970283.0522614)
        #expect(try Self.value(store, "ST_ISVALID(\(Self.point(-84.38876194345323, 33.75682784306348)))") == .bool(true))
        #expect(try Self.value(store, "ST_ISVALID(\(Self.point(133.75682784306348, -184.38876194345323)))")
            == .bool(false))
        #expect(try Self.value(store, "ST_ISVALID(\(Self.point(31.9, -132.8)))") == .bool(false))
        #expect(try Self.value(store, "ST_ISVALIDDETAILED(\(Self.point(-84.38876194345323, 33.75682784306348)))")
            == json(#"{"valid": true}"#))
        #expect(try Self.value(store, "ST_ISVALIDDETAILED(\(Self.point(133.75682784306348, -184.38876194345323)))")
            == json(#"{"valid": false, "reason": "Latitude values must be between -90 and 90 degrees."}"#))
        #expect(try Self.value(store, #"ST_ISVALIDDETAILED({"type":"Polygon","coordinates":[[[31.8,-5],[31.8,-4.7],"#
            + #"[32,-4.7],[32,-5]]]})"#) == json(#"{"valid": false, "reason": "The Polygon input is not valid because "#
            + #"the start and end points of the ring number 1 are not the same. Each ring of a polygon must have the "#
            + #"same start and end points."}"#))
    }

    /// Edges are geodesics, not lines of constant latitude: azure-cosmos-dotnet-v3 issue #2766 (the service's
    /// answers for two points north of the 48° line) and MicrosoftDocs/azure-docs issue #70912 (a wide rectangle
    /// whose southern edge bulges north past a point).
    @Test func edgesFollowGeodesics() throws {
        let store = try Self.fixture().store
        let square = Self.polygon([(19, 49), (19, 48), (20, 48), (20, 49)])
        #expect(try Self.value(store, "ST_WITHIN(\(Self.point(19.59907, 48.00011)), \(square))") == .bool(false))
        #expect(try Self.value(store, "ST_WITHIN(\(Self.point(19.59907, 48.00105)), \(square))") == .bool(true))
        let p = Self.point(24.890739, 41.128275)
        let narrow = Self.polygon([(-18.62072, 35.98678), (42.28749, 35.98678), (42.28749, 54.33566),
                                   (-18.62072, 54.33566)])
        let wide = Self.polygon([(-31.21105, 35.98678), (54.87782, 35.98678), (54.87782, 54.33566),
                                 (-31.21105, 54.33566)])
        #expect(try Self.value(store, "ST_INTERSECTS(\(p), \(narrow))") == .bool(true))
        #expect(try Self.value(store, "ST_INTERSECTS(\(p), \(wide))") == .bool(false))
    }

    // MARK: - Rules

    /// A ring walked clockwise holds the rest of the earth; a hole (clockwise) takes its area out.
    @Test func ringDirectionAndHoles() throws {
        let store = try Self.fixture().store
        let square = [(10.0, 10.0), (11.0, 10.0), (11.0, 11.0), (10.0, 11.0)]
        let inside = Self.point(10.5, 10.5), outside = Self.point(-40, -20)
        let ccw = Self.polygon(square), cw = Self.polygon(square.reversed())
        #expect(try Self.value(store, "ST_WITHIN(\(inside), \(ccw))") == .bool(true))
        #expect(try Self.value(store, "ST_WITHIN(\(outside), \(ccw))") == .bool(false))
        #expect(try Self.value(store, "ST_WITHIN(\(inside), \(cw))") == .bool(false))
        #expect(try Self.value(store, "ST_WITHIN(\(outside), \(cw))") == .bool(true))
        let small = try Self.number(store, "ST_AREA(\(ccw))")
        let rest = try Self.number(store, "ST_AREA(\(cw))")
        // The ellipsoid's surface: 4π times the authalic radius squared (6,371,007.1809 m).
        Self.expectRelative(small + rest, 4 * Double.pi * 6_371_007.1809 * 6_371_007.1809, 1e-9)
        let hole = [(10.25, 10.25), (10.25, 10.75), (10.75, 10.75), (10.75, 10.25)]   // clockwise
        let ring = { (r: [(Double, Double)]) in "[" + (r + [r[0]]).map { "[\($0.0), \($0.1)]" }.joined(separator: ",") + "]" }
        let donut = #"{"type": "Polygon", "coordinates": [\#(ring(square)), \#(ring(hole))]}"#
        #expect(try Self.value(store, "ST_WITHIN(\(inside), \(donut))") == .bool(false))
        #expect(try Self.value(store, "ST_WITHIN(\(Self.point(10.1, 10.5)), \(donut))") == .bool(true))
        let holeArea = try Self.number(store, "ST_AREA(\(Self.polygon(hole.reversed())))")
        Self.expectRelative(try Self.number(store, "ST_AREA(\(donut))"), small - holeArea, 1e-9)
        // A MultiPolygon's area is its parts' (which may not overlap); points and lines have none.
        let apart = hole.reversed().map { ($0.0 + 2, $0.1) }
        let apartArea = try Self.number(store, "ST_AREA(\(Self.polygon(apart)))")
        let multi = #"{"type": "MultiPolygon", "coordinates": [[\#(ring(square))], [\#(ring(apart))]]}"#
        Self.expectRelative(try Self.number(store, "ST_AREA(\(multi))"), small + apartArea, 1e-9)
        #expect(try Self.value(store, "ST_AREA(\(inside))") == .number(0))
        #expect(try Self.value(store, "ST_WITHIN(\(inside), \(multi))") == .bool(true))
        // A triangle with a vertex at a pole (its edges from the pole run along meridians), at either pole.
        for pole in [90.0, -90.0] {
            let ring = pole > 0 ? [(0.0, 0.0), (90.0, 0.0), (0.0, 90.0)] : [(0.0, 0.0), (0.0, -90.0), (90.0, 0.0)]
            let triangle = Self.polygon(ring)
            #expect(try Self.value(store, "ST_WITHIN(\(Self.point(45, pole / 2)), \(triangle))") == .bool(true))
            #expect(try Self.value(store, "ST_WITHIN(\(Self.point(135, pole / 2)), \(triangle))") == .bool(false))
            #expect(try Self.value(store, "ST_WITHIN(\(Self.point(45, -pole / 2)), \(triangle))") == .bool(false))
            // An eighth of the earth.
            Self.expectRelative(try Self.number(store, "ST_AREA(\(triangle))"),
                                4 * Double.pi * 6_371_007.1809 * 6_371_007.1809 / 8, 1e-9)
        }
    }

    /// Lines: crossing, touching and apart; distance from a point to a line and to a polygon it is inside.
    /// A shape within a polygon has a point inside it, not only on its boundary (OGC, which the README follows):
    /// a polygon and its complement (the same ring in the opposite direction, geospatial.md: "A Polygon specified in
    /// clockwise order represents the inverse of the region within it") share only their boundary, so neither is
    /// within the other, and a line along an edge is not within the polygon. Both used to be true.
    @Test func withinNeedsAPointInside() throws {
        let test = try Self.fixture()
        let small = Self.polygon([(20, 20), (30, 20), (30, 30), (20, 30)])
        let big = Self.polygon([(20, 20), (20, 30), (30, 30), (30, 20)])
        let outsideLowerHalf = Self.polygon([(20, 20), (20, 25), (30, 25), (30, 20)])
        let cases: [(String, Bool)] = [
            ("ST_WITHIN(\(small), \(big))", false), ("ST_WITHIN(\(big), \(small))", false),
            ("ST_WITHIN(\(small), \(small))", true), ("ST_WITHIN(\(big), \(big))", true),
            ("ST_INTERSECTS(\(small), \(big))", true),
            (#"ST_WITHIN({"type": "LineString", "coordinates": [[20, 20], [30, 20]]}, \#(small))"#, false),
            (#"ST_WITHIN({"type": "LineString", "coordinates": [[20, 20], [25, 25]]}, \#(small))"#, true),
            ("ST_WITHIN(\(Self.polygon([(21, 21), (29, 21), (29, 29), (21, 29)])), \(small))", true),
            ("ST_WITHIN(\(Self.polygon([(20, 20), (30, 20), (30, 25), (20, 25)])), \(small))", true),
            // Outside the lower half of the square: it holds the outside of the whole square, not the reverse.
            ("ST_WITHIN(\(big), \(outsideLowerHalf))", true), ("ST_WITHIN(\(outsideLowerHalf), \(big))", false),
            ("ST_WITHIN(\(outsideLowerHalf), \(small))", false),
        ]
        for (expression, expected) in cases {
            #expect(try Self.value(test.store, expression) == .bool(expected), "\(expression)")
        }
        // On the plane the ring's direction does not matter: the two are one square.
        let flat = try Self.fixture("Geometry")
        #expect(try Self.value(flat.store, "ST_WITHIN(\(small), \(big))") == .bool(true))
        #expect(try Self.value(flat.store, #"ST_WITHIN({"type": "LineString", "coordinates": [[20, 20], [30, 20]]}, "#
            + "\(small))") == .bool(false))
    }

    /// A MultiPolygon's polygons may not share area (geospatial.md: "MultiPolygons can't overlap sides or have any
    /// common area. They may touch at one or more points."); an emulator-run test expects two reversed (so
    /// overlapping) polygons to be invalid (d-markey/azure_cosmosdb). Such a shape is invalid, so the other functions
    /// are undefined on it.
    @Test func multiPolygonPartsMayNotOverlap() throws {
        func multi(_ parts: [[(Double, Double)]]) -> String {
            let polygons = parts.map { ring in
                "[[" + (ring + [ring[0]]).map { "[\($0.0), \($0.1)]" }.joined(separator: ", ") + "]]"
            }
            return #"{"type": "MultiPolygon", "coordinates": [\#(polygons.joined(separator: ", "))]}"#
        }
        let square = [(0.0, 0.0), (2, 0), (2, 2), (0, 2)]
        let cases: [(String, [[(Double, Double)]], Bool)] = [
            ("overlapping", [square, [(1, 1), (3, 1), (3, 3), (1, 3)]], false),
            ("the same twice", [square, square], false),
            ("one inside the other", [square, [(0.5, 0.5), (1.5, 0.5), (1.5, 1.5), (0.5, 1.5)]], false),
            ("a strip across", [[(1, -1), (1.5, -1), (1.5, 3), (1, 3)], square], false),
            ("touching at a corner", [square, [(2, 2), (4, 2), (4, 4), (2, 4)]], true),
            ("side by side", [square, [(2, 0), (4, 0), (4, 2), (2, 2)]], true),
            ("apart", [square, [(5, 5), (6, 5), (6, 6), (5, 6)]], true),
            // Each ring clockwise: each polygon holds the rest of the earth, the other one included.
            ("reversed", [square.reversed(), [(5, 5), (6, 5), (6, 6), (5, 6)].reversed()], false),
        ]
        let test = try Self.fixture()
        for (name, parts, valid) in cases {
            let shape = multi(parts)
            #expect(try Self.value(test.store, "ST_ISVALID(\(shape))") == .bool(valid), "\(name)")
            #expect((try Self.value(test.store, "ST_AREA(\(shape))") == nil) == !valid, "\(name)")
            if !valid {
                let detail = try Self.value(test.store, "ST_ISVALIDDETAILED(\(shape))")
                #expect(detail?["reason"]?.stringValue?.contains("polygons number 1 and 2 have a common area") == true,
                        "\(name)")
            }
        }
        // A polygon in another's hole (an island in a lake) shares no area with it.
        let lake = #"[[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[2, 2], [2, 8], [8, 8], [8, 2], [2, 2]]]"#
        let island = "[[[3, 3], [7, 3], [7, 7], [3, 7], [3, 3]]]"
        #expect(try Self.value(test.store, #"ST_ISVALID({"type": "MultiPolygon", "coordinates": [\#(lake), \#(island)]})"#)
            == .bool(true))
        // On the plane a ring's direction does not matter: the reversed squares are apart.
        let flat = try Self.fixture("Geometry")
        #expect(try Self.value(flat.store, "ST_ISVALID(\(multi(cases[7].1)))") == .bool(true))
    }

    @Test func linesAndDistancesToShapes() throws {
        let store = try Self.fixture().store
        let equator = #"{"type": "LineString", "coordinates": [[0, 0], [2, 0]]}"#
        let meridian = #"{"type": "LineString", "coordinates": [[1, -1], [1, 1]]}"#
        let north = #"{"type": "LineString", "coordinates": [[0, 1], [2, 1.5]]}"#
        #expect(try Self.value(store, "ST_INTERSECTS(\(equator), \(meridian))") == .bool(true))
        #expect(try Self.value(store, "ST_INTERSECTS(\(equator), \(north))") == .bool(false))
        #expect(try Self.value(store, "ST_DISTANCE(\(equator), \(meridian))") == .number(0))
        // From (1, 1) the closest point of the equator is (1, 0): one degree of meridian arc, integrated here.
        let a = 6_378_137.0, f = 1 / 298.257223563
        let e2 = f * (2 - f)
        let steps = 10_000
        var arc = 0.0
        for i in 0..<steps {
            let phi = (Double(i) + 0.5) / Double(steps) * Double.pi / 180
            arc += a * (1 - e2) / pow(1 - e2 * sin(phi) * sin(phi), 1.5) * (Double.pi / 180 / Double(steps))
        }
        Self.expectRelative(try Self.number(store, "ST_DISTANCE(\(Self.point(1, 1)), \(equator))"), arc, 1e-8)
        Self.expectRelative(try Self.number(store, "ST_DISTANCE(\(equator), \(Self.point(1, -1)))"), arc, 1e-8)
        let square = Self.polygon([(0, 0), (1, 0), (1, 1), (0, 1)])
        #expect(try Self.value(store, "ST_DISTANCE(\(Self.point(0.5, 0.5)), \(square))") == .number(0))
        #expect(try Self.value(store, "ST_WITHIN(\(meridian), \(square))") == .bool(false))
        let inner = #"{"type": "LineString", "coordinates": [[0.2, 0.2], [0.8, 0.7]]}"#
        #expect(try Self.value(store, "ST_WITHIN(\(inner), \(square))") == .bool(true))
        #expect(try Self.value(store, "ST_WITHIN(\(Self.polygon([(0.2, 0.2), (0.8, 0.2), (0.8, 0.8)])), \(square))")
            == .bool(true))
        #expect(try Self.value(store, "ST_WITHIN(\(square), \(Self.polygon([(0.2, 0.2), (0.8, 0.2), (0.8, 0.8)])))")
            == .bool(false))
        #expect(try Self.value(store, "ST_INTERSECTS(\(meridian), \(square))") == .bool(true))
    }

    /// Anything that is not a valid shape gives undefined, except to the validity functions.
    @Test func invalidShapesAreUndefined() throws {
        let store = try Self.fixture().store
        let valid = Self.point(1, 2)
        for bad in ["'x'", "1", "[1, 2]", "{}", #"{"type": "Point"}"#, #"{"type": "Point", "coordinates": [1]}"#,
                    #"{"type": "MultiPoint", "coordinates": [[1, 2]]}"#, Self.point(0, 95), Self.point(190, 0),
                    #"{"type": "LineString", "coordinates": [[1, 2]]}"#,
                    #"{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}"#, "c.missing"] {
            for call in ["ST_DISTANCE(\(bad), \(valid))", "ST_WITHIN(\(valid), \(bad))", "ST_INTERSECTS(\(bad), \(valid))",
                         "ST_AREA(\(bad))"] {
                #expect(try Self.value(store, call) == nil, "\(call)")
            }
            let expected: JSONValue? = bad == "c.missing" ? nil : .bool(false)
            #expect(try Self.value(store, "ST_ISVALID(\(bad))") == expected, "\(bad)")
            if bad != "c.missing", case .object(let detail)? = try Self.value(store, "ST_ISVALIDDETAILED(\(bad))") {
                #expect(detail["valid"] == .bool(false))
                #expect(detail["reason"]?.stringValue?.isEmpty == false)
            } else if bad != "c.missing" {
                Issue.record("ST_ISVALIDDETAILED(\(bad)) is not an object")
            }
        }
    }

    /// Under `geospatialConfig` Geometry, coordinates are flat: Euclidean distances and areas, no range, and a
    /// ring bounds what it encloses whichever way it goes.
    @Test func theGeometryModelIsFlat() throws {
        let store = try Self.fixture("Geometry").store
        #expect(try Self.value(store, "ST_DISTANCE(\(Self.point(0, 0)), \(Self.point(3, 4)))") == .number(5))
        #expect(try Self.value(store, "ST_ISVALID(\(Self.point(500, -400)))") == .bool(true))
        let square = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]
        for ring in [square, square.reversed()] {
            #expect(try Self.value(store, "ST_AREA(\(Self.polygon(ring)))") == .number(4))
            #expect(try Self.value(store, "ST_WITHIN(\(Self.point(1, 1)), \(Self.polygon(ring)))") == .bool(true))
            #expect(try Self.value(store, "ST_WITHIN(\(Self.point(3, 1)), \(Self.polygon(ring)))") == .bool(false))
        }
        let line = #"{"type": "LineString", "coordinates": [[0, 0], [10, 0]]}"#
        #expect(try Self.value(store, "ST_DISTANCE(\(Self.point(4, 3)), \(line))") == .number(3))
        // Without FROM, and through a FROM subquery, too.
        let flat = "ST_DISTANCE(\(Self.point(0, 0)), \(Self.point(3, 4)))"
        #expect(try queryAll(store, "g", "SELECT VALUE \(flat)") == [.number(5)])
        #expect(try queryAll(store, "g", "SELECT VALUE \(flat) FROM (SELECT c.id FROM c) s") == [.number(5)])
        // The same query on the default (geography) model measures metres.
        let earth = try Self.fixture().store
        #expect(try Self.number(earth, "ST_DISTANCE(\(Self.point(0, 0)), \(Self.point(3, 4)))") > 500_000)
    }

    /// Random star-shaped polygons of 1–50 km and random points near them: `ST_WITHIN` agrees with a planar test in
    /// the gnomonic projection around the polygon (which maps great circles to straight lines; the ellipsoid's
    /// geodesics differ from them by centimetres at this size, so points within a metre of an edge are skipped),
    /// and the clockwise ring holds exactly the points the counter-clockwise one does not.
    @Test func pointInPolygonAgreesWithAProjection() throws {
        let store = try Self.fixture().store
        var random = SeededGenerator(seed: 0x6E0)
        let radius = 6_371_000.0
        var checked = 0
        for _ in 0..<12 {
            let center = (Double.random(in: -170...170, using: &random), Double.random(in: -70...70, using: &random))
            let size = Double.random(in: 1_000...50_000, using: &random)
            // Vertices around the center, counter-clockwise, in projected metres.
            let count = Int.random(in: 3...9, using: &random)
            let planar: [(Double, Double)] = (0..<count).map { i in
                let angle = (Double(i) + Double.random(in: 0...0.8, using: &random)) / Double(count) * 2 * Double.pi
                let r = size * Double.random(in: 0.3...1, using: &random)
                return (r * cos(angle), r * sin(angle))
            }
            let vertices = planar.map { Gnomonic(center: center).inverse($0.0 / radius, $0.1 / radius) }
            let ccw = Self.polygon(vertices), cw = Self.polygon(vertices.reversed())
            let projected = vertices.map { Gnomonic(center: center).forward($0) }
            for _ in 0..<25 {
                let q = (Double.random(in: -1.2...1.2, using: &random) * size / radius,
                         Double.random(in: -1.2...1.2, using: &random) * size / radius)
                let position = Gnomonic(center: center).inverse(q.0, q.1)
                let p = Gnomonic(center: center).forward(position)
                if Self.distanceToRing(p, projected) * radius < 1 { continue }
                let expected = Self.insidePlanar(p, projected)
                let pointText = Self.point(position.0, position.1)
                #expect(try Self.value(store, "ST_WITHIN(\(pointText), \(ccw))") == .bool(expected))
                #expect(try Self.value(store, "ST_WITHIN(\(pointText), \(cw))") == .bool(!expected))
                checked += 1
            }
        }
        #expect(checked > 250)
    }

    /// Even-odd crossing test in the plane.
    static func insidePlanar(_ p: (Double, Double), _ ring: [(Double, Double)]) -> Bool {
        var inside = false
        for i in ring.indices {
            let a = ring[i], b = ring[(i + 1) % ring.count]
            if (a.1 > p.1) != (b.1 > p.1), p.0 < a.0 + (p.1 - a.1) / (b.1 - a.1) * (b.0 - a.0) { inside.toggle() }
        }
        return inside
    }

    /// The planar distance from `p` to the ring's edges.
    static func distanceToRing(_ p: (Double, Double), _ ring: [(Double, Double)]) -> Double {
        ring.indices.map { i in
            let a = ring[i], b = ring[(i + 1) % ring.count]
            let dx = b.0 - a.0, dy = b.1 - a.1
            let t = max(0, min(1, ((p.0 - a.0) * dx + (p.1 - a.1) * dy) / (dx * dx + dy * dy)))
            return hypot(p.0 - a.0 - t * dx, p.1 - a.1 - t * dy)
        }.min()!
    }
}

/// The gnomonic projection of the unit sphere around a center (longitude, latitude in degrees).
private struct Gnomonic {
    let center: (Double, Double)

    /// Projected (x, y) of a (longitude, latitude).
    func forward(_ position: (Double, Double)) -> (Double, Double) {
        let l0 = center.0 * .pi / 180, p0 = center.1 * .pi / 180
        let l = position.0 * .pi / 180, p = position.1 * .pi / 180
        let c = sin(p0) * sin(p) + cos(p0) * cos(p) * cos(l - l0)
        return (cos(p) * sin(l - l0) / c, (cos(p0) * sin(p) - sin(p0) * cos(p) * cos(l - l0)) / c)
    }

    /// The (longitude, latitude) projected at (x, y).
    func inverse(_ x: Double, _ y: Double) -> (Double, Double) {
        let l0 = center.0 * .pi / 180, p0 = center.1 * .pi / 180
        let rho = hypot(x, y)
        guard rho > 0 else { return center }
        let c = atan(rho)
        let p = asin(cos(c) * sin(p0) + y * sin(c) * cos(p0) / rho)
        let l = l0 + atan2(x * sin(c), rho * cos(p0) * cos(c) - y * sin(p0) * sin(c))
        return (l * 180 / .pi, p * 180 / .pi)
    }
}
