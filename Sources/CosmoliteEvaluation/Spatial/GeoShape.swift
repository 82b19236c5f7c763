// SPDX-License-Identifier: Apache-2.0

package import CosmoliteJSON

/// A position in a GeoJSON value: longitude and latitude in degrees under the geography model (`x` east, `y` north),
/// plain coordinates under the geometry model.
package struct GeoPosition: Sendable, Hashable {
    /// Longitude (geography) or horizontal coordinate (geometry).
    package var x: Double
    /// Latitude (geography) or vertical coordinate (geometry).
    package var y: Double

    /// The position at `x`, `y`.
    package init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A GeoJSON value the spatial functions (`ST_DISTANCE`, `ST_WITHIN`, ...) take: the four types Cosmos DB supports.
///
/// Rings of a polygon are closed (their last position repeats the first). Under the geography model the region of
/// a ring is on its left as it is walked (counter-clockwise around a region); a polygon is the intersection of its
/// rings' regions, so holes go clockwise. Under the geometry model a ring bounds the region it encloses, whatever
/// its direction, and later rings are holes.
package enum GeoShape: Sendable, Hashable {
    /// `{"type": "Point", "coordinates": [x, y]}`.
    case point(GeoPosition)
    /// `{"type": "LineString", "coordinates": [[x, y], [x, y], ...]}`: two or more positions.
    case lineString([GeoPosition])
    /// `{"type": "Polygon", "coordinates": [ring, ...]}`: an exterior ring, then holes.
    case polygon([[GeoPosition]])
    /// `{"type": "MultiPolygon", "coordinates": [polygon, ...]}`.
    case multiPolygon([[[GeoPosition]]])

    /// The polygons of a polygon or multipolygon (none for points and line strings).
    package var polygons: [[[GeoPosition]]] {
        switch self {
        case .point, .lineString: []
        case .polygon(let rings): [rings]
        case .multiPolygon(let polygons): polygons
        }
    }

    /// Every position of the shape, rings' closing repeats included.
    package var positions: [GeoPosition] {
        switch self {
        case .point(let p): [p]
        case .lineString(let line): line
        case .polygon(let rings): rings.flatMap { $0 }
        case .multiPolygon(let polygons): polygons.flatMap { $0.flatMap { $0 } }
        }
    }

    /// The segments of the shape's lines and rings, as pairs of consecutive positions.
    package var segments: [(GeoPosition, GeoPosition)] {
        var result = [(GeoPosition, GeoPosition)]()
        func add(_ line: [GeoPosition]) {
            for i in line.indices.dropLast() where line[i] != line[i + 1] { result.append((line[i], line[i + 1])) }
        }
        switch self {
        case .point: break
        case .lineString(let line): add(line)
        case .polygon(let rings): rings.forEach(add)
        case .multiPolygon(let polygons): polygons.forEach { $0.forEach(add) }
        }
        return result
    }
}

/// Why a value is not a valid GeoJSON shape: the `reason` of `ST_ISVALIDDETAILED`.
package struct GeoShapeInvalid: Error, Sendable, Equatable {
    /// What is wrong, in words for the user (the service's own words where they are published).
    package var reason: String
}

extension GeoShape {
    /// The shape `value` describes under `model`, or why it is not a valid one.
    ///
    /// Checked: the type is one of the four, positions are arrays of two or three finite numbers (a third, the
    /// altitude, is ignored), a line string has two or more positions, each polygon ring has four or more and ends
    /// where it starts, and under the geography model latitudes lie in [-90, 90] and longitudes in [-180, 180].
    /// A multipolygon's polygons may not share area (geospatial.md: "MultiPolygons can't overlap sides or have any
    /// common area. They may touch at one or more points."). Not checked: rings that cross themselves or each other.
    package static func parse(_ value: JSONValue, model: SpatialModel) -> Result<GeoShape, GeoShapeInvalid> {
        do {
            return .success(try GeoShapeReader(model: model).shape(value))
        } catch let invalid as GeoShapeInvalid {
            return .failure(invalid)
        } catch {
            preconditionFailure("GeoShapeReader throws only GeoShapeInvalid")
        }
    }
}

/// Reads and checks the members of a GeoJSON object.
private struct GeoShapeReader {
    /// The model positions are checked under.
    let model: SpatialModel

    /// The shape of a GeoJSON object.
    func shape(_ value: JSONValue) throws -> GeoShape {
        guard case .object(let o) = value else {
            throw GeoShapeInvalid(reason: "The input is not a GeoJSON object: expected an object such as "
                + "{\"type\": \"Point\", \"coordinates\": [-122.12, 47.67]}.")
        }
        guard case .string(let type)? = o["type"] else {
            throw GeoShapeInvalid(reason: "The GeoJSON object has no \"type\": use Point, LineString, Polygon or "
                + "MultiPolygon.")
        }
        guard let coordinates = o["coordinates"] else {
            throw GeoShapeInvalid(reason: "The \(type) input is not valid because it has no \"coordinates\".")
        }
        switch type {
        case "Point":
            return .point(try position(coordinates, of: type))
        case "LineString":
            let line = try positions(coordinates, of: type)
            guard line.count >= 2 else {
                throw GeoShapeInvalid(reason: "The LineString input is not valid because it has fewer than two points. "
                    + "A LineString must have at least two points.")
            }
            return .lineString(line)
        case "Polygon":
            return .polygon(try polygon(coordinates, of: type))
        case "MultiPolygon":
            guard case .array(let polygons) = coordinates else { throw notArray(type, "polygons") }
            let parts = try polygons.map { try polygon($0, of: type) }
            if let (i, j) = firstOverlap(parts) {
                throw GeoShapeInvalid(reason: "The MultiPolygon input is not valid because its polygons number "
                    + "\(i + 1) and \(j + 1) have a common area. The polygons of a MultiPolygon can't overlap; they "
                    + "may touch at one or more points.")
            }
            return .multiPolygon(parts)
        default:
            throw GeoShapeInvalid(reason: "The GeoJSON type '\(type)' is not supported: use Point, LineString, "
                + "Polygon or MultiPolygon.")
        }
    }

    /// The first two polygons that share area, if any: checked on the model's surface for pairs whose bounding boxes
    /// meet (see ``SpatialRelations/shareArea(_:_:)``).
    private func firstOverlap(_ parts: [[[GeoPosition]]]) -> (Int, Int)? {
        guard parts.count > 1 else { return nil }
        let boxes = parts.map { GeoBox.covering(.polygon($0), within: 0, model: model) }
        func meet(_ a: [GeoBox], _ b: [GeoBox]) -> Bool {
            a.contains { x in b.contains { y in
                x.xmin <= y.xmax && y.xmin <= x.xmax && x.ymin <= y.ymax && y.ymin <= x.ymax
            } }
        }
        for i in parts.indices {
            for j in parts.indices where j > i && meet(boxes[i], boxes[j]) {
                let overlap = switch model {
                case .geography: SpatialRelations(surface: Ellipsoid()).shareArea(parts[i], parts[j])
                case .geometry: SpatialRelations(surface: Plane()).shareArea(parts[i], parts[j])
                }
                if overlap { return (i, j) }
            }
        }
        return nil
    }

    /// The rings of a polygon, each checked.
    private func polygon(_ value: JSONValue, of type: String) throws -> [[GeoPosition]] {
        guard case .array(let rings) = value else { throw notArray(type, "rings") }
        guard !rings.isEmpty else {
            throw GeoShapeInvalid(reason: "The \(type) input is not valid because a polygon has no ring. A polygon "
                + "needs an exterior ring.")
        }
        return try rings.enumerated().map { number, value in
            let ring = try positions(value, of: type)
            guard ring.first == ring.last else {
                throw GeoShapeInvalid(reason: "The \(type) input is not valid because the start and end points of the "
                    + "ring number \(number + 1) are not the same. Each ring of a polygon must have the same start "
                    + "and end points.")
            }
            guard ring.count >= 4 else {
                throw GeoShapeInvalid(reason: "The \(type) input is not valid because the ring number \(number + 1) "
                    + "has fewer than four points. Each ring of a polygon must have at least four points, the last "
                    + "the same as the first.")
            }
            return ring
        }
    }

    /// An array of positions.
    private func positions(_ value: JSONValue, of type: String) throws -> [GeoPosition] {
        guard case .array(let elements) = value else { throw notArray(type, "positions") }
        return try elements.map { try position($0, of: type) }
    }

    /// One position: two or three finite numbers, in range under the geography model.
    private func position(_ value: JSONValue, of type: String) throws -> GeoPosition {
        guard case .array(let numbers) = value, numbers.count == 2 || numbers.count == 3,
              case .number(let x) = numbers[0], case .number(let y) = numbers[1], x.isFinite, y.isFinite else {
            throw GeoShapeInvalid(reason: "The \(type) input is not valid because a position is not an array of two "
                + "numbers, [longitude, latitude]; got \(JSONWriter.string(value)).")
        }
        if numbers.count == 3, case .number = numbers[2] {} else if numbers.count == 3 {
            throw GeoShapeInvalid(reason: "The \(type) input is not valid because a position's third number (the "
                + "altitude) is not a number; got \(JSONWriter.string(value)).")
        }
        if model == .geography {
            guard (-90...90).contains(y) else {
                throw GeoShapeInvalid(reason: "Latitude values must be between -90 and 90 degrees.")
            }
            guard (-180...180).contains(x) else {
                throw GeoShapeInvalid(reason: "Longitude values must be between -180 and 180 degrees.")
            }
        }
        return GeoPosition(x: x, y: y)
    }

    /// The error for `coordinates` (or a part of them) that is not an array.
    private func notArray(_ type: String, _ what: String) -> GeoShapeInvalid {
        GeoShapeInvalid(reason: "The \(type) input is not valid because its coordinates are not an array of \(what).")
    }
}

/// How spatial values are read: the container's `geospatialConfig.type`.
package enum SpatialModel: String, Sendable, CaseIterable {
    /// Round-earth coordinates on the WGS-84 ellipsoid: longitude and latitude in degrees, distances in metres,
    /// edges along geodesics (the default).
    case geography = "Geography"
    /// Flat (Euclidean) coordinates: distances and areas in the coordinates' units, straight edges.
    case geometry = "Geometry"
}
