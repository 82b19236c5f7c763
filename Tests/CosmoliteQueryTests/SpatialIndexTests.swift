// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

/// Spatial indexes: their rows follow every write, and spatial conditions read them and find exactly the items that
/// reading every item finds, over the whole earth (poles and antimeridian included) and under the geometry model.
struct SpatialIndexTests {
    static let plain = #"{"includedPaths": [{"path": "/*"}]}"#
    static let indexed = #"{"includedPaths": [{"path": "/*"}], "spatialIndexes": [{"path": "/*", "types": ["Point"]}]}"#

    static func point(_ x: Double, _ y: Double) -> JSONValue {
        .object(["type": "Point", "coordinates": .array([.number(x), .number(y)])])
    }

    static func polygon(_ ring: [(Double, Double)]) -> JSONValue {
        .object(["type": "Polygon", "coordinates": .array([.array((ring + [ring[0]]).map {
            .array([.number($0.0), .number($0.1)])
        })])])
    }

    /// Item i: a point in `location` (clustered around a few places, some near the poles and the antimeridian), or
    /// now and then a polygon, a line, an invalid point, a string, or nothing; and a point in `nested.spot`.
    static func item(_ i: Int, using random: inout SeededGenerator) -> JSONObject {
        let places: [(Double, Double)] = [(-122.3, 47.6), (179.9, -16.5), (-179.95, 65.2), (0, 89.99), (12.5, -89.9),
                                          (2.35, 48.85)]
        let place = places[i % places.count]
        func near() -> (Double, Double) {
            var x = place.0 + Double.random(in: -0.5...0.5, using: &random)
            if x > 180 { x -= 360 } else if x < -180 { x += 360 }
            return (x, Swift.max(-90, Swift.min(90, place.1 + Double.random(in: -0.3...0.3, using: &random))))
        }
        var item: JSONObject = ["id": .string("i\(i)"), "pk": .string("p\(i % 4)")]
        let p = near()
        switch i % 11 {
        case 3: item["location"] = polygon([(p.0, p.1), (p.0 + 0.01, p.1), (p.0 + 0.01, p.1 + 0.01)])
        case 5: item["location"] = .object(["type": "LineString", "coordinates": .array([
            .array([.number(p.0), .number(p.1)]), .array([.number(p.0 + 0.2), .number(p.1 - 0.1)])])])
        case 7: item["location"] = point(p.0, 95)
        case 8: item["location"] = "somewhere"
        case 9: break
        default: item["location"] = point(p.0, p.1)
        }
        let q = near()
        item["nested"] = .object(["spot": point(q.0, q.1)])
        return item
    }

    /// Containers `plain` and `indexed` (with a spatial index on `/*`) holding the same items.
    static func twins(items n: Int, seed: UInt64, config: String = "", indexing: String = indexed) throws -> TestStore {
        let test = try TestStore()
        for (id, policy) in [("plain", plain), ("indexed", indexing)] {
            try test.store.createContainer(try ContainerDefinition(json: try json(
                #"{"id": "\#(id)", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": \#(policy)\#(config)}"#)))
            var random = SeededGenerator(seed: seed)
            for i in 0..<n { _ = try test.store.createItem(in: id, document: .object(item(i, using: &random))) }
        }
        return test
    }

    /// Spatial conditions of every kind, near each cluster: the index read is chosen and gives the same items.
    @Test func anIndexFindsWhatReadingTheItemsFinds() throws {
        let count = 180
        let test = try Self.twins(items: count, seed: 0x5EA)
        let shapes: [(String, [String: JSONValue], PartitionKey?)] = [
            ("ST_DISTANCE(c.location, @p) < 30000", ["p": Self.point(-122.3, 47.6)], nil),
            ("ST_DISTANCE(@p, c.location) <= 60000", ["p": Self.point(179.95, -16.4)], nil),
            ("60000 > ST_DISTANCE(c.location, @p)", ["p": Self.point(-179.9, 65.1)], nil),
            ("ST_DISTANCE(c.location, @p) < 50000", ["p": Self.point(100, 89.95)], nil),
            ("ST_DISTANCE(c.location, @p) < 40000", ["p": Self.point(12, -89.95)], nil),
            ("ST_DISTANCE(c.nested.spot, @p) < 45000", ["p": Self.point(2.3, 48.8)], nil),
            ("ST_DISTANCE(c.location, @p) < 3000000", ["p": Self.point(175, 0)], nil),
            ("ST_WITHIN(c.location, @a)", ["a": Self.polygon([(-122.6, 47.4), (-122.0, 47.4), (-122.0, 47.8),
                                                               (-122.6, 47.8)])], nil),
            ("ST_WITHIN(c.location, @a)", ["a": Self.polygon([(179.5, -16.8), (-179.5, -16.8), (-179.5, -16.2),
                                                               (179.5, -16.2)])], nil),
            ("ST_WITHIN(c.location, @a)", ["a": Self.polygon([(0, 89.9), (120, 89.9), (-120, 89.9)])], nil),
            // Across the antimeridian, with a northern edge whose geodesic bulges past 65.3° between its ends.
            ("ST_WITHIN(c.location, @a)", ["a": Self.polygon([(175, 60), (-175, 60), (-175, 65.2), (175, 65.2)])], nil),
            ("ST_WITHIN(c.location, @a)", ["a": Self.polygon([(-122.6, 47.8), (-122.0, 47.8), (-122.0, 47.4),
                                                               (-122.6, 47.4)])], nil),
            ("ST_INTERSECTS(c.location, @a)", ["a": Self.polygon([(2.0, 48.5), (2.7, 48.5), (2.7, 49.2),
                                                                   (2.0, 49.2)])], nil),
            ("ST_INTERSECTS(@a, c.location)", ["a": Self.polygon([(-122.9, 47.2), (-121.7, 47.2), (-122.3, 48.1)])],
             nil),
            ("ST_DISTANCE(c.location, @p) < 60000 AND c.pk = 'p2'", ["p": Self.point(-122.3, 47.6)], nil),
            ("ST_DISTANCE(c.location, @p) < 60000", ["p": Self.point(-122.3, 47.6)], PartitionKey("p2")),
            ("ST_DISTANCE(c.location, @p) < 20000 OR c.id = 'i9'", ["p": Self.point(2.35, 48.85)], nil),
        ]
        for (condition, parameters, key) in shapes {
            let text = "SELECT c.id FROM c WHERE \(condition)"
            let plan = try test.store.explain(in: "indexed", text, parameters: parameters, partitionKey: key)
            #expect(plan.contains("spatial index /"), "\(condition): \(plan)")
            let want = ids(try queryAll(test.store, "plain", text, parameters: parameters, partitionKey: key)).sorted()
            #expect(!want.isEmpty, "\(condition)")
            for pageSize in [2, 100] {
                let got = ids(try queryAll(test.store, "indexed", text, parameters: parameters, partitionKey: key,
                                           pageSize: pageSize))
                #expect(got.sorted() == want, "\(condition), pages of \(pageSize)")
            }
        }
        // The whole earth (a clockwise ring) reads every row, and still answers right.
        let inverse = "SELECT c.id FROM c WHERE ST_WITHIN(c.location, @a)"
        let around = ["a": Self.polygon([(-122.0, 47.4), (-122.6, 47.4), (-122.6, 47.8), (-122.0, 47.8)])]
        #expect(ids(try queryAll(test.store, "indexed", inverse, parameters: around)).sorted()
            == ids(try queryAll(test.store, "plain", inverse, parameters: around)).sorted())
        // A small area reads the few items near it: polygons and lines are filed by the block holding them, and
        // the points past latitude 90 (items 7 of every 11, invalid) not at all.
        let page = try test.store.query(in: "indexed", "SELECT c.id FROM c WHERE ST_DISTANCE(c.location, @p) < 1000",
                                        parameters: ["p": Self.point(-122.3, 47.6)])
        #expect(page.metrics.documentsLoaded <= 5)
        // Which stored polygons hold a point (a geofence query): polygons are filed by the block holding them.
        let polygons = try queryAll(test.store, "plain", "SELECT c.id, c.location FROM c WHERE c.location.type = 'Polygon'")
        #expect(polygons.count > 5)
        for polygon in polygons.prefix(6) {
            guard case .array(let rings)? = polygon["location"]?["coordinates"], case .array(let ring) = rings[0],
                  case .array(let first) = ring[0], case .number(let x) = first[0], case .number(let y) = first[1]
            else { Issue.record("no ring in \(polygon)"); continue }
            let parameters: [String: JSONValue] = ["q": Self.point(x + 0.007, y + 0.003)]
            for text in ["SELECT VALUE c.id FROM c WHERE ST_WITHIN(@q, c.location)",
                         "SELECT VALUE c.id FROM c WHERE ST_INTERSECTS(c.location, @q)"] {
                #expect(try test.store.explain(in: "indexed", text, parameters: parameters).contains("spatial index"))
                let want = try queryAll(test.store, "plain", text, parameters: parameters)
                #expect(want.contains(polygon["id"]!), "\(text) at \(x), \(y)")
                let page = try test.store.query(in: "indexed", text, parameters: parameters)
                #expect(try page.items.map { try $0.value() } == want)
                #expect(page.metrics.documentsLoaded <= 5)
            }
        }
        // ORDER BY reads an ordered index; the spatial rows only filter when nothing orders.
        let ordered = "SELECT c.id FROM c WHERE ST_DISTANCE(c.location, @p) < 30000 ORDER BY c.id"
        let parameters: [String: JSONValue] = ["p": Self.point(-122.3, 47.6)]
        #expect(!(try test.store.explain(in: "indexed", ordered, parameters: parameters)).contains("spatial index"))
        #expect(try queryAll(test.store, "indexed", ordered, parameters: parameters, pageSize: 2)
            == (try queryAll(test.store, "plain", ordered, parameters: parameters)))
    }

    /// Under the geometry model points are filed in the bounding box's grid; points outside it are still found.
    @Test func theGeometryModelFilesPointsInItsBox() throws {
        let policy = #"{"includedPaths": [{"path": "/*"}], "spatialIndexes": [{"path": "/location/?", "#
            + #""types": ["Point"], "boundingBox": {"xmin": 0, "ymin": 0, "xmax": 100, "ymax": 100}}]}"#
        let test = try TestStore()
        let config = #", "geospatialConfig": {"type": "Geometry"}"#
        for (id, indexing) in [("plain", Self.plain), ("indexed", policy)] {
            try test.store.createContainer(try ContainerDefinition(json: try json(
                #"{"id": "\#(id)", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": \#(indexing)\#(config)}"#)))
            for i in 0..<150 {
                let x = Double(i % 15) * 9 - 10, y = Double(i / 15) * 12 - 5   // some outside the box
                _ = try test.store.createItem(in: id, document: .object([
                    "id": .string("g\(i)"), "pk": "a", "location": Self.point(x, y)]))
            }
        }
        for (condition, parameters) in [
            ("ST_DISTANCE(c.location, @p) < 20", ["p": Self.point(50, 50)]),
            ("ST_DISTANCE(c.location, @p) <= 15", ["p": Self.point(-5, 100)]),
            ("ST_WITHIN(c.location, @a)", ["a": Self.polygon([(20, 20), (60, 20), (60, 70)])]),
        ] as [(String, [String: JSONValue])] {
            let text = "SELECT c.id FROM c WHERE \(condition)"
            #expect(try test.store.explain(in: "indexed", text, parameters: parameters).contains("spatial index /location"))
            let want = ids(try queryAll(test.store, "plain", text, parameters: parameters)).sorted()
            #expect(!want.isEmpty, "\(condition)")
            #expect(ids(try queryAll(test.store, "indexed", text, parameters: parameters, pageSize: 4)).sorted() == want)
        }
    }

    /// Rows follow creates, replaces, patches and deletes (strict mode checks them after every commit), an index
    /// added online serves once built, and one removed leaves no row.
    @Test func rowsFollowEveryWriteAndPolicyChange() throws {
        let test = try Self.twins(items: 60, seed: 0xB0B)
        let store = test.store
        _ = try store.replaceItem(in: "indexed", id: "i0", partitionKey: PartitionKey("p0"), document: .object([
            "id": "i0", "pk": "p0", "location": Self.point(10, 10)]))
        _ = try store.patchItem(in: "indexed", id: "i1", partitionKey: PartitionKey("p1"),
                                operations: [PatchOperation(.set, path: try JSONPointer("/location/coordinates/0"),
                                                            value: 11)])
        _ = try store.patchItem(in: "indexed", id: "i2", partitionKey: PartitionKey("p2"),
                                operations: [PatchOperation(.remove, path: try JSONPointer("/location"))])
        try store.deleteItem(in: "indexed", id: "i4", partitionKey: PartitionKey("p0"))
        _ = try store.upsertItem(in: "indexed", document: .object(["id": "n", "pk": "p1", "location": Self.point(10.1, 10)]))
        #expect(try store.verify().isEmpty)
        let near = "SELECT VALUE c.id FROM c WHERE ST_DISTANCE(c.location, @p) < 20000"
        let parameters: [String: JSONValue] = ["p": Self.point(10.05, 10)]
        #expect(try queryAll(store, "indexed", near, parameters: parameters).count == 2)
        // Removing the index, then adding one online: queries read the items until it is built.
        let definition = try store.container("indexed").definition
        let without = try ContainerDefinition(json: try json(
            #"{"id": "indexed", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": \#(Self.plain)}"#))
        try store.replaceContainer(without)
        try store.finishIndexTransformations()
        #expect(try store.verify().isEmpty)
        #expect(!(try store.explain(in: "indexed", near, parameters: parameters)).contains("spatial index"))
        try store.replaceContainer(definition)
        #expect(try store.indexTransformationProgress(in: "indexed") < 100)
        #expect(!(try store.explain(in: "indexed", near, parameters: parameters)).contains("spatial index"))
        #expect(try queryAll(store, "indexed", near, parameters: parameters).count == 2)
        try store.finishIndexTransformations()
        #expect(try store.explain(in: "indexed", near, parameters: parameters).contains("spatial index /location"))
        #expect(try queryAll(store, "indexed", near, parameters: parameters).count == 2)
        #expect(try store.verify().isEmpty)
    }
}

/// The boxes a spatial index reads hold every point of the area, checked on points sampled along and inside random
/// shapes: long edges that bulge towards a pole, the antimeridian, the poles themselves.
struct GeoBoxTests {
    static func inside(_ p: GeoPosition, _ boxes: [GeoBox]) -> Bool {
        boxes.contains { $0.xmin <= p.x && p.x <= $0.xmax && $0.ymin <= p.y && p.y <= $0.ymax }
    }

    @Test func boxesHoldEveryPointOfTheArea() throws {
        var random = SeededGenerator(seed: 0xB0C5)
        let relations = SpatialRelations(surface: Ellipsoid())
        var sampled = 0
        for _ in 0..<200 {
            // A triangle or quadrilateral counter-clockwise around a center, up to 40° across.
            let center = GeoPosition(x: Double.random(in: -180...180, using: &random),
                                     y: Double.random(in: -80...80, using: &random))
            let size = Double.random(in: 0.01...20, using: &random)
            let corners = Int.random(in: 3...4, using: &random)
            var ring = (0..<corners).map { k -> GeoPosition in
                let angle = (Double(k) + Double.random(in: 0...0.5, using: &random)) / Double(corners) * 2 * .pi
                var x = center.x + size * cos(angle) / max(0.2, cos(center.y * .pi / 180))
                if x > 180 { x -= 360 } else if x < -180 { x += 360 }
                return GeoPosition(x: x, y: max(-89.9, min(89.9, center.y + size * sin(angle))))
            }
            ring.append(ring[0])
            let shape = GeoShape.polygon([ring])
            let distance = [0, 1_000, 500_000][Int.random(in: 0...2, using: &random)]
            let boxes = GeoBox.covering(shape, within: Double(distance), model: .geography)
            // Points along every edge, and points near the shape that are inside it or within the distance.
            for (a, b) in shape.segments {
                let edge = Geodesic.inverse(latitude1: a.y, longitude1: a.x, latitude2: b.y, longitude2: b.x)
                for k in 0...20 {
                    let q = Geodesic.direct(latitude: a.y, longitude: a.x, azimuth: edge.azimuth1,
                                                    distance: edge.distance * Double(k) / 20)
                    let p = GeoPosition(x: q.longitude, y: q.latitude)
                    #expect(Self.inside(p, boxes), "edge point \(p) of \(ring) outside \(boxes)")
                    sampled += 1
                }
            }
            for _ in 0..<20 {
                let p = GeoPosition(x: center.x + Double.random(in: -30...30, using: &random),
                                    y: max(-90, min(90, center.y + Double.random(in: -30...30, using: &random))))
                let q = GeoPosition(x: p.x > 180 ? p.x - 360 : p.x < -180 ? p.x + 360 : p.x, y: p.y)
                guard relations.distance(.point(q), shape) <= Double(distance) else { continue }
                #expect(Self.inside(q, boxes), "\(q) near \(ring) (\(distance) m) outside \(boxes)")
                sampled += 1
            }
        }
        #expect(sampled > 15_000)
    }

    /// A shape filed at the block holding its box is found by every read of an area its box meets: inside the
    /// area's cell intervals, or at one of their enclosing blocks' first cells.
    @Test func filedBlocksAreFoundByEveryAreaTheyMeet() {
        var random = SeededGenerator(seed: 0xF11E)
        let frame = SpatialFrame.earth
        func box(near: (Double, Double)? = nil) -> GeoBox {
            let w = [0.00001, 0.01, 1, 9][Int.random(in: 0...3, using: &random)]
            let x = near.map { $0.0 + Double.random(in: -1...1, using: &random) * w }
                ?? Double.random(in: -179...170, using: &random)
            let y = near.map { $0.1 + Double.random(in: -1...1, using: &random) * w }
                ?? Double.random(in: -89...80, using: &random)
            return GeoBox(xmin: x, ymin: y, xmax: x + w * Double.random(in: 0.1...1, using: &random),
                          ymax: y + w * Double.random(in: 0.1...1, using: &random))
        }
        var met = 0
        for _ in 0..<20_000 {
            let stored = box()
            let area = box(near: (stored.xmin, stored.ymin))
            guard stored.xmin <= area.xmax, area.xmin <= stored.xmax, stored.ymin <= area.ymax,
                  area.ymin <= stored.ymax, let cell = frame.enclosingCell(of: stored) else { continue }
            met += 1
            let intervals = frame.cellIntervals(covering: [area])
            let found = intervals.contains { $0.contains(cell) } || frame.enclosingStarts(of: intervals).contains(cell)
            #expect(found, "\(stored) filed at \(cell) not found for \(area)")
        }
        #expect(met > 500)
    }
}
