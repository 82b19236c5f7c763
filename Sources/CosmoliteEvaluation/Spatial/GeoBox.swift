// SPDX-License-Identifier: Apache-2.0

import Foundation

/// A box of coordinates, bounds included: longitudes and latitudes in degrees under the geography model (never
/// across the antimeridian: a region across it is two boxes), plain coordinates under geometry.
package struct GeoBox: Sendable, Equatable {
    /// The least x (longitude).
    package var xmin: Double
    /// The least y (latitude).
    package var ymin: Double
    /// The greatest x.
    package var xmax: Double
    /// The greatest y.
    package var ymax: Double

    /// The box `xmin…xmax` × `ymin…ymax`.
    package init(xmin: Double, ymin: Double, xmax: Double, ymax: Double) {
        self.xmin = xmin
        self.ymin = ymin
        self.xmax = xmax
        self.ymax = ymax
    }

    /// The whole earth.
    package static let earth = GeoBox(xmin: -180, ymin: -90, xmax: 180, ymax: 90)

    /// Boxes holding every point within `distance` of a point of `shape` (the whole shape for a distance of 0),
    /// which a spatial index reads for `ST_DISTANCE(c.path, shape) < distance`, `ST_WITHIN(c.path, shape)` and
    /// `ST_INTERSECTS(c.path, shape)`. They may hold more, never less.
    ///
    /// Under the geography model the shape's edges are geodesics, which bulge towards the poles: an edge whose
    /// northernmost (or southernmost) point lies between its ends reaches the latitude of its vertex, found from
    /// its azimuths by Clairaut's relation. A polygon holding a pole, or walked clockwise (holding the rest of the
    /// earth), is bounded by the whole earth. The distance widens the boxes by a radius of curvature smaller than
    /// any of the ellipsoid's, and by 1 % more.
    package static func covering(_ shape: GeoShape, within distance: Double, model: SpatialModel) -> [GeoBox] {
        switch model {
        case .geometry:
            let positions = shape.positions
            let xs = positions.map(\.x), ys = positions.map(\.y)
            let d = Swift.max(0, distance)
            return [GeoBox(xmin: xs.min()! - d, ymin: ys.min()! - d, xmax: xs.max()! + d, ymax: ys.max()! + d)]
        case .geography:
            guard let (low, high, south, north) = geographyBounds(shape) else { return [earth] }
            return widened(low: low, high: high, south: south, north: north, by: Swift.max(0, distance))
        }
    }

    /// A slack (degrees) for rounding in the azimuths and in the grid.
    private static let slack = 1e-7

    /// The shape's longitudes as one unwrapped interval `low…high` (which may pass ±180) and its latitudes, or
    /// `nil` when only the whole earth bounds it.
    private static func geographyBounds(_ shape: GeoShape) -> (Double, Double, Double, Double)? {
        var low = Double.infinity, high = -Double.infinity, south = 90.0, north = -90.0
        var reference: Double?
        /// Adds the unwrapped longitude interval of a line starting at `line[0]`, and its latitudes.
        func add(_ line: [GeoPosition]) {
            guard let first = line.first else { return }
            // Unwrap the line next to what came before, so that the shape's longitudes stay one interval.
            var x = first.x
            if let reference { x = reference + remainder(first.x - reference, 360) }
            reference = reference ?? x
            low = Swift.min(low, x)
            high = Swift.max(high, x)
            south = Swift.min(south, first.y)
            north = Swift.max(north, first.y)
            for (a, b) in zip(line, line.dropFirst()) {
                x += remainder(b.x - a.x, 360)
                low = Swift.min(low, x)
                high = Swift.max(high, x)
                south = Swift.min(south, b.y)
                north = Swift.max(north, b.y)
                if let (vertex, isNorth) = vertexLatitude(a, b) {
                    if isNorth { north = Swift.max(north, vertex) } else { south = Swift.min(south, vertex) }
                }
            }
        }
        switch shape {
        case .point(let p):
            add([p])
        case .lineString(let line):
            add(line)
        case .polygon, .multiPolygon:
            for polygon in shape.polygons {
                // The exterior ring bounds the polygon only when it goes counter-clockwise around a region without
                // a pole.
                let ring = polygon[0]
                let region = SpatialRelations(surface: Ellipsoid())
                for pole in [GeoPosition(x: 0, y: 90), GeoPosition(x: 0, y: -90)]
                where region.locate(pole, polygon: [ring]) != .exterior {
                    return nil
                }
                add(ring)
            }
        }
        return high - low >= 360 ? nil : (low, high, south, north)
    }

    /// The latitude of the geodesic's vertex (its point nearest a pole) when it lies strictly between `a` and `b`,
    /// and whether it is the northern one.
    private static func vertexLatitude(_ a: GeoPosition, _ b: GeoPosition) -> (Double, Bool)? {
        let edge = Geodesic.inverse(latitude1: a.y, longitude1: a.x, latitude2: b.y, longitude2: b.x)
        let start = cos(edge.azimuth1 * .pi / 180), end = cos(edge.azimuth2 * .pi / 180)
        guard (start > 0 && end < 0) || (start < 0 && end > 0) else { return nil }
        let f = Geodesic.flattening
        let reduced = atan((1 - f) * tan(a.y * .pi / 180))
        let vertexReduced = acos(Swift.min(1, Swift.abs(sin(edge.azimuth1 * .pi / 180)) * cos(reduced)))
        let latitude = atan(tan(vertexReduced) / (1 - f)) * 180 / .pi
        return start > 0 ? (latitude, true) : (-latitude, false)
    }

    /// The boxes of longitudes `low…high` (unwrapped) and latitudes `south…north`, widened by `distance` metres and
    /// the slack, split at the antimeridian.
    private static func widened(low: Double, high: Double, south: Double, north: Double, by distance: Double)
        -> [GeoBox] {
        // The smallest radius of curvature of WGS-84 is a(1 - e²) ≈ 6,335,439 m (the meridian's, at the equator).
        let angle = distance / 6_335_000 * 1.01
        let degrees = angle * 180 / .pi + slack
        let s = south - degrees, n = north + degrees
        guard s > -90, n < 90 else {
            return [GeoBox(xmin: -180, ymin: Swift.max(-90, s), xmax: 180, ymax: Swift.min(90, n))]
        }
        let widest = Swift.max(Swift.abs(s), Swift.abs(n)) * .pi / 180
        let ratio = sin(Swift.min(angle, .pi / 2)) / cos(widest)
        guard ratio < 1 else { return [GeoBox(xmin: -180, ymin: s, xmax: 180, ymax: n)] }
        let spread = asin(ratio) * 180 / .pi * 1.01 + slack
        var west = low - spread, east = high + spread
        guard east - west < 360 else { return [GeoBox(xmin: -180, ymin: s, xmax: 180, ymax: n)] }
        // Bring the interval's west end into [-180, 180), then split what passes 180.
        let shift = (west + 180).truncatingRemainder(dividingBy: 360)
        let offset = (shift < 0 ? shift + 360 : shift) - 180 - west
        west += offset
        east += offset
        if east <= 180 { return [GeoBox(xmin: west, ymin: s, xmax: east, ymax: n)] }
        return [GeoBox(xmin: west, ymin: s, xmax: 180, ymax: n), GeoBox(xmin: -180, ymin: s, xmax: east - 360, ymax: n)]
    }
}
