// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// One entry of an indexing policy's `spatialIndexes`, in Cosmos DB's JSON shape:
/// `{"path": "/location/*", "types": ["Point", "Polygon"]}`, with a `boundingBox` under the geometry model.
///
/// The index covers the GeoJSON shapes at its path (`/location/?`, `/location/*`) or, for a path ending in `/*`,
/// anywhere below it outside arrays (`/*`: the whole item). Each shape has a row, written in the item's
/// transaction, filed on a grid: a point by its cell, a polygon or line by the smallest block of cells holding it.
/// So `WHERE ST_DISTANCE(c.location, @p) < 5000`, `ST_WITHIN(c.location, @area)`, `ST_WITHIN(@point, c.zone)` and
/// `ST_INTERSECTS(c.location, @area)` read the items near the area instead of every item (ADR 0008).
public struct SpatialIndex: Sendable, Hashable {
    /// The GeoJSON types a spatial index may name. The service indexes all of them whichever are named.
    public static let allowedTypes = ["Point", "LineString", "Polygon", "MultiPolygon"]

    /// The area a geometry-model index covers: `{"xmin": ..., "ymin": ..., "xmax": ..., "ymax": ...}`.
    public struct BoundingBox: Sendable, Hashable {
        /// The least x.
        public let xmin: Double
        /// The least y.
        public let ymin: Double
        /// The greatest x.
        public let xmax: Double
        /// The greatest y.
        public let ymax: Double
    }

    /// The path, for example `/location/*` or `/*`.
    public let path: String
    /// The GeoJSON types named, each one of ``allowedTypes``.
    public let types: [String]
    /// The bounding box: required under the geometry model, refused under geography.
    public let boundingBox: BoundingBox?
    /// The path parsed.
    let parsedPath: DocumentPath

    /// Parses and checks the entry at `position` of `spatialIndexes`.
    ///
    /// - Throws: ``StoreError`` 400 naming what to fix.
    public init(json: JSONValue, position: Int) throws {
        let field = "indexingPolicy.spatialIndexes[\(position)]"
        guard case .object(let o) = json else {
            throw StoreError.badRequest("\(field): must be an object like {\"path\": \"/location/*\", \"types\": "
                + "[\"Point\"]}")
        }
        for key in o.keys where !["path", "types", "boundingBox"].contains(key) {
            throw StoreError.badRequest("\(field): unknown property '\(key)'; an entry has path, types and (for the "
                + "Geometry model) boundingBox")
        }
        guard case .string(let path)? = o["path"] else {
            throw StoreError.badRequest("\(field).path: required, a path such as \"/location/*\"")
        }
        parsedPath = try DocumentPath.parse(path, field: "\(field).path", allowTerminal: true, allowArrays: false)
        guard case .array(let rawTypes)? = o["types"], !rawTypes.isEmpty else {
            throw StoreError.badRequest("\(field).types: required, a non-empty array of "
                + Self.allowedTypes.joined(separator: ", "))
        }
        types = try rawTypes.map { raw in
            guard case .string(let name) = raw, let type = Self.allowedTypes.first(where: {
                $0.lowercased() == name.lowercased()
            }) else {
                throw StoreError.badRequest("\(field).types: \(JSONWriter.string(raw)) is not a spatial type; use "
                    + Self.allowedTypes.joined(separator: ", "))
            }
            return type
        }
        switch o["boundingBox"] {
        case nil, .null?:
            boundingBox = nil
        case .object(let box)?:
            func coordinate(_ name: String) throws -> Double {
                guard case .number(let n)? = box[name], n.isFinite else {
                    throw StoreError.badRequest("\(field).boundingBox.\(name): required, a number")
                }
                return n
            }
            for key in box.keys where !["xmin", "ymin", "xmax", "ymax"].contains(key) {
                throw StoreError.badRequest("\(field).boundingBox: unknown property '\(key)'; use xmin, ymin, xmax, "
                    + "ymax")
            }
            let parsed = BoundingBox(xmin: try coordinate("xmin"), ymin: try coordinate("ymin"),
                                     xmax: try coordinate("xmax"), ymax: try coordinate("ymax"))
            guard parsed.xmin < parsed.xmax, parsed.ymin < parsed.ymax else {
                throw StoreError.badRequest("\(field).boundingBox: xmin must be less than xmax and ymin less than "
                    + "ymax")
            }
            boundingBox = parsed
        default:
            throw StoreError.badRequest("\(field).boundingBox: must be an object like {\"xmin\": -10, \"ymin\": -20, "
                + "\"xmax\": 10, \"ymax\": 20}")
        }
        self.path = path
    }

    /// Checks the bounding box against the container's model: required under geometry, refused under geography.
    ///
    /// - Throws: ``StoreError`` 400 naming the path.
    func validate(model: GeospatialType, field: String) throws {
        switch (model, boundingBox) {
        case (.geometry, nil):
            throw StoreError.badRequest("\(field): a spatial index of a container whose geospatialConfig type is "
                + "Geometry needs a boundingBox, such as {\"xmin\": -10, \"ymin\": -20, \"xmax\": 10, \"ymax\": 20}")
        case (.geography, _?):
            throw StoreError.badRequest("\(field): a boundingBox applies only to containers whose geospatialConfig "
                + "type is Geometry; remove it, or set geospatialConfig to {\"type\": \"Geometry\"}")
        default:
            break
        }
    }

    /// The JSON form.
    var json: JSONValue {
        var o: JSONObject = ["path": .string(path), "types": .array(types.map(JSONValue.string))]
        if let box = boundingBox {
            o["boundingBox"] = .object(["xmin": .number(box.xmin), "ymin": .number(box.ymin),
                                        "xmax": .number(box.xmax), "ymax": .number(box.ymax)])
        }
        return .object(o)
    }
}

/// How a container reads GeoJSON values: its `geospatialConfig.type`.
public enum GeospatialType: String, Sendable, Hashable, CaseIterable {
    /// Round-earth longitude and latitude on the WGS-84 ellipsoid (the default): distances in metres.
    case geography = "Geography"
    /// Flat coordinates: Euclidean distances in the coordinates' units. Spatial indexes need a bounding box.
    case geometry = "Geometry"

    /// The model of a `geospatialConfig` value: `{"type": "Geography"}` or `{"type": "Geometry"}`.
    ///
    /// - Throws: ``StoreError`` 400 for anything else.
    init(json: JSONValue) throws {
        guard case .object(let o) = json, o.keys.allSatisfy({ $0 == "type" }), case .string(let name)? = o["type"],
              let type = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() })
        else {
            throw StoreError.badRequest("geospatialConfig: must be {\"type\": \"Geography\"} or {\"type\": "
                + "\"Geometry\"}, got \(JSONWriter.string(json))")
        }
        self = type
    }
}
