// SPDX-License-Identifier: Apache-2.0

package import CosmoliteJSON

extension Functions {
    /// The spatial functions under the geography model (the default); ``spatial(_:_:model:)`` runs them under
    /// either.
    static let spatial: [String: Implementation] = Dictionary(uniqueKeysWithValues: spatialNames.map { name in
        let implementation: Implementation = { a, _ in spatial(name, a, model: .geography) }
        return (name, implementation)
    })

    /// The spatial functions' uppercase names.
    package static let spatialNames = ["ST_DISTANCE", "ST_WITHIN", "ST_INTERSECTS", "ST_AREA", "ST_ISVALID",
                                       "ST_ISVALIDDETAILED"]

    /// Runs the spatial function `name` (uppercase) over argument values `a` with positions read under `model`:
    ///
    /// - `ST_DISTANCE(a, b)`: the shortest distance between the shapes (metres under geography, 0 when they
    ///   intersect);
    /// - `ST_WITHIN(a, b)`: whether `a` lies within `b`; `ST_INTERSECTS(a, b)`: whether they share a point;
    /// - `ST_AREA(a)`: a polygon's or multipolygon's area (square metres under geography), 0 for points and lines;
    /// - `ST_ISVALID(a)`, `ST_ISVALIDDETAILED(a)`: whether `a` is a valid GeoJSON shape, and if not why
    ///   (`{"valid": false, "reason": "..."}`).
    ///
    /// An argument that is undefined, or (for the first four) not a valid shape, gives undefined, as in the service.
    package static func spatial(_ name: String, _ a: [JSONValue?], model: SpatialModel) -> JSONValue? {
        func shape(_ value: JSONValue?) -> GeoShape? {
            guard let value, case .success(let shape) = GeoShape.parse(value, model: model) else { return nil }
            return shape
        }
        switch name {
        case "ST_ISVALID", "ST_ISVALIDDETAILED":
            guard let value = a[0] else { return nil }
            let result = GeoShape.parse(value, model: model)
            guard name == "ST_ISVALIDDETAILED" else {
                if case .success = result { return .bool(true) } else { return .bool(false) }
            }
            switch result {
            case .success: return .object(["valid": .bool(true)])
            case .failure(let invalid): return .object(["valid": .bool(false), "reason": .string(invalid.reason)])
            }
        case "ST_AREA":
            guard let s = shape(a[0]) else { return nil }
            return finite(model == .geography ? SpatialRelations(surface: Ellipsoid()).area(s)
                                              : SpatialRelations(surface: Plane()).area(s))
        default:
            guard let s = shape(a[0]), let t = shape(a[1]) else { return nil }
            switch model {
            case .geography: return relate(name, s, t, SpatialRelations(surface: Ellipsoid()))
            case .geometry: return relate(name, s, t, SpatialRelations(surface: Plane()))
            }
        }
    }

    /// `ST_DISTANCE`, `ST_WITHIN` or `ST_INTERSECTS` of two shapes.
    private static func relate<S>(_ name: String, _ a: GeoShape, _ b: GeoShape,
                                  _ relations: SpatialRelations<S>) -> JSONValue? {
        switch name {
        case "ST_DISTANCE": finite(relations.distance(a, b))
        case "ST_WITHIN": .bool(relations.within(a, b))
        default: .bool(relations.intersects(a, b))
        }
    }
}
