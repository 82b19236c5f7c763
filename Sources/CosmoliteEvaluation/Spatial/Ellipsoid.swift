// SPDX-License-Identifier: Apache-2.0

/// The round earth of the geography model (the default `geospatialConfig`): the WGS-84 ellipsoid, positions as
/// longitude and latitude in degrees, edges along the shortest geodesics (``Geodesic``), distances in metres and
/// areas in square metres.
///
/// A ring's region is on its left as it is walked: a ring walked counter-clockwise around a region holds that
/// region, and walked clockwise, the rest of the earth (the service's rule).
package struct Ellipsoid: SpatialSurface {
    /// The ellipsoid.
    package init() {}

    /// Angles closer than this (degrees) count as equal: about 0.1 mm at the earth's surface.
    private static let angleTolerance = 1e-9
    /// Lengths closer than this (metres) count as equal.
    private static let lengthTolerance = 1e-6

    /// The shortest geodesic from `a` to `b`.
    private func inverse(_ a: GeoPosition, _ b: GeoPosition) -> Geodesic.Inverse {
        Geodesic.inverse(latitude1: a.y, longitude1: a.x, latitude2: b.y, longitude2: b.x)
    }

    /// `degrees` reduced to (-180, 180].
    private static func normalized(_ degrees: Double) -> Double {
        var value = degrees.truncatingRemainder(dividingBy: 360)
        if value <= -180 { value += 360 } else if value > 180 { value -= 360 }
        return value
    }

    /// Whether two positions are the same place (the poles whatever their longitude, ±180 alike).
    private static func same(_ a: GeoPosition, _ b: GeoPosition) -> Bool {
        a.y == b.y && (Swift.abs(a.y) == 90 || normalized(a.x - b.x) == 0)
    }

    /// Compares the azimuths from `a` to `c` and from `a` to `b`: `c` lies left of the geodesic from `a` through
    /// `b` when its azimuth is counter-clockwise of `b`'s.
    package func side(_ c: GeoPosition, of a: GeoPosition, _ b: GeoPosition) -> Int {
        if Self.same(c, a) || Self.same(a, b) { return 0 }
        let turn = Self.normalized(inverse(a, c).azimuth1 - inverse(a, b).azimuth1)
        if Swift.abs(turn) < Self.angleTolerance || 180 - Swift.abs(turn) < Self.angleTolerance { return 0 }
        return turn < 0 ? 1 : -1
    }

    package func isOnSegment(_ p: GeoPosition, _ a: GeoPosition, _ b: GeoPosition) -> Bool {
        if Self.same(p, a) || Self.same(p, b) { return true }
        let length = inverse(a, b).distance
        return inverse(a, p).distance + inverse(p, b).distance - length <= Self.lengthTolerance
    }

    package func distance(_ a: GeoPosition, _ b: GeoPosition) -> Double {
        inverse(a, b).distance
    }

    /// The distance from `p` to the geodesic segment from `a` to `b`: at an end when the segment leaves that end
    /// away from `p` (the angle there is 90° or more), else at the minimum along the segment, found by golden-section
    /// search (the distance has one minimum along a segment shorter than half the earth).
    package func distance(_ p: GeoPosition, toSegment a: GeoPosition, _ b: GeoPosition) -> Double {
        let segment = inverse(a, b)
        let fromA = inverse(a, p)
        if segment.distance == 0 || Swift.abs(Self.normalized(fromA.azimuth1 - segment.azimuth1)) >= 90 {
            return fromA.distance
        }
        let fromB = inverse(b, p)
        if Swift.abs(Self.normalized(fromB.azimuth1 - segment.azimuth2)) <= 90 { return fromB.distance }
        func distance(at fraction: Double) -> Double {
            let q = Geodesic.direct(latitude: a.y, longitude: a.x, azimuth: segment.azimuth1,
                                    distance: fraction * segment.distance)
            return Geodesic.inverse(latitude1: q.latitude, longitude1: q.longitude, latitude2: p.y,
                                    longitude2: p.x).distance
        }
        let ratio = (5.0.squareRoot() - 1) / 2
        var low = 0.0, high = 1.0
        var left = high - ratio * (high - low), right = low + ratio * (high - low)
        var atLeft = distance(at: left), atRight = distance(at: right)
        while (high - low) * segment.distance > Self.lengthTolerance {
            if atLeft < atRight {
                high = right
                right = left
                atRight = atLeft
                left = high - ratio * (high - low)
                atLeft = distance(at: left)
            } else {
                low = left
                left = right
                atLeft = atRight
                right = low + ratio * (high - low)
                atRight = distance(at: right)
            }
        }
        return min(atLeft, atRight, fromA.distance, fromB.distance)
    }

    package func midpoint(_ a: GeoPosition, _ b: GeoPosition) -> GeoPosition {
        point(from: a, toward: b, fraction: 0.5)
    }

    package func point(from a: GeoPosition, toward b: GeoPosition, fraction: Double) -> GeoPosition {
        let segment = inverse(a, b)
        let q = Geodesic.direct(latitude: a.y, longitude: a.x, azimuth: segment.azimuth1,
                                distance: segment.distance * fraction)
        return GeoPosition(x: q.longitude, y: q.latitude)
    }

    /// Two geodesics that separate each other's ends meet twice, nearly antipodally; the segments meet only if they
    /// are within reach of each other.
    package func segmentsAreNear(_ a: GeoPosition, _ b: GeoPosition, _ c: GeoPosition, _ d: GeoPosition) -> Bool {
        inverse(a, c).distance <= inverse(a, b).distance + inverse(c, d).distance + Self.lengthTolerance
    }

    /// Counts the edges that pass north of `p` on its meridian: an odd count puts `p` on the other side of the ring
    /// from the north pole. Which side that is comes from the ring's winding around the pole (a ring walked
    /// eastward around it has the pole on its left) or, for a ring that does not wind around it, from its direction
    /// (a clockwise ring has the pole on its left). A ring with a vertex at the north pole is read the same way
    /// from the south pole (edges passing south of `p`).
    package func locate(_ p: GeoPosition, ring: [GeoPosition], isHole: Bool) -> SpatialLocation {
        let south = ring.contains { $0.y == 90 } && !ring.contains { $0.y == -90 }
        var crossings = 0
        var winding = 0.0
        var trapezoids = 0.0
        for i in ring.indices.dropLast() {
            let a = ring[i], b = ring[i + 1]
            if Self.same(p, a) { return .boundary }
            let span = Self.normalized(b.x - a.x)
            winding += span
            trapezoids += span * (a.y + b.y)
            let east = Self.normalized(a.x - p.x)
            let endEast = east + span
            if span == 0 || Swift.abs(a.y) == 90 || Swift.abs(b.y) == 90 {
                // A meridian edge (an edge from a pole runs along one): p is on it, or it does not pass p's meridian
                // elsewhere than at a pole.
                if east == 0 && min(a.y, b.y) <= p.y && p.y <= max(a.y, b.y) { return .boundary }
                continue
            }
            guard (east > 0) != (endEast > 0), endEast > -180, endEast <= 180 else { continue }
            let s = side(p, of: a, b)
            if s == 0 { return .boundary }
            // Walking east, the edge's left is north: p lies south of it when on its right.
            if (span > 0) == (south ? s > 0 : s < 0) { crossings += 1 }
        }
        let turns = (winding / 360).rounded()
        let poleOnLeft = turns == 0 ? trapezoids > 0 : (south ? turns < 0 : turns > 0)
        return (crossings % 2 == 1) != poleOnLeft ? .interior : .exterior
    }

    /// The exterior ring's region less each hole, where a hole (walked clockwise) has the earth less the hole on
    /// its left.
    package func area(polygon rings: [[GeoPosition]]) -> Double {
        var total = 0.0
        for (number, ring) in rings.enumerated() {
            let left = Geodesic.areaLeftOf(ring: ring.map { (longitude: $0.x, latitude: $0.y) })
            total += number == 0 ? left : -(Geodesic.totalArea - left)
        }
        return max(0, total)
    }
}
