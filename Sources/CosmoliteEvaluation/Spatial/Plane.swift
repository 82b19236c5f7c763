// SPDX-License-Identifier: Apache-2.0

/// The flat surface of the geometry model (`geospatialConfig.type` `Geometry`): straight edges, Euclidean
/// distances and areas in the coordinates' units, no range on coordinates. A ring bounds the region it encloses,
/// whichever way it is walked.
package struct Plane: SpatialSurface {
    /// The plane.
    package init() {}

    /// The cross product of `b - a` and `c - a`: positive when `c` is left of the line from `a` to `b`.
    private func cross(_ a: GeoPosition, _ b: GeoPosition, _ c: GeoPosition) -> Double {
        (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
    }

    package func side(_ c: GeoPosition, of a: GeoPosition, _ b: GeoPosition) -> Int {
        let value = cross(a, b, c)
        return value > 0 ? 1 : value < 0 ? -1 : 0
    }

    package func isOnSegment(_ p: GeoPosition, _ a: GeoPosition, _ b: GeoPosition) -> Bool {
        cross(a, b, p) == 0 && min(a.x, b.x) <= p.x && p.x <= max(a.x, b.x)
            && min(a.y, b.y) <= p.y && p.y <= max(a.y, b.y)
    }

    package func distance(_ a: GeoPosition, _ b: GeoPosition) -> Double {
        ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }

    package func distance(_ p: GeoPosition, toSegment a: GeoPosition, _ b: GeoPosition) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let length2 = dx * dx + dy * dy
        guard length2 > 0 else { return distance(p, a) }
        let t = min(1, max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2))
        return distance(p, GeoPosition(x: a.x + t * dx, y: a.y + t * dy))
    }

    package func midpoint(_ a: GeoPosition, _ b: GeoPosition) -> GeoPosition {
        GeoPosition(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2)
    }

    package func point(from a: GeoPosition, toward b: GeoPosition, fraction: Double) -> GeoPosition {
        GeoPosition(x: a.x + (b.x - a.x) * fraction, y: a.y + (b.y - a.y) * fraction)
    }

    package func segmentsAreNear(_ a: GeoPosition, _ b: GeoPosition, _ c: GeoPosition, _ d: GeoPosition) -> Bool {
        true
    }

    /// Counts the ring's edges a ray from `p` towards +x crosses (each edge half-open in y, so a vertex on the ray
    /// counts once or not at all).
    package func locate(_ p: GeoPosition, ring: [GeoPosition], isHole: Bool) -> SpatialLocation {
        var inside = false
        for i in ring.indices.dropLast() {
            let a = ring[i], b = ring[i + 1]
            if isOnSegment(p, a, b) { return .boundary }
            if (a.y > p.y) != (b.y > p.y) {
                let x = a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x)
                if p.x < x { inside.toggle() }
            }
        }
        return inside != isHole ? .interior : .exterior
    }

    package func area(polygon rings: [[GeoPosition]]) -> Double {
        var total = 0.0
        for (number, ring) in rings.enumerated() {
            var twice = 0.0
            for i in ring.indices.dropLast() { twice += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y }
            total += (number == 0 ? 1 : -1) * Swift.abs(twice) / 2
        }
        return max(0, total)
    }
}
