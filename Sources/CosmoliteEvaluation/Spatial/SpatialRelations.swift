// SPDX-License-Identifier: Apache-2.0

/// Distance, intersection, containment and area of GeoJSON shapes on a surface: what `ST_DISTANCE`,
/// `ST_INTERSECTS`, `ST_WITHIN` and `ST_AREA` compute.
///
/// The service documents the functions but not how they treat boundaries; Cosmolite follows the OGC conventions
/// (SQL Server's too): shapes that touch intersect, a shape within another has no point outside it and is not only
/// on its boundary, and the distance between shapes that intersect is 0.
package struct SpatialRelations<Surface: SpatialSurface>: Sendable {
    /// The surface the shapes lie on.
    package let surface: Surface

    /// Relations on `surface`.
    package init(surface: Surface) {
        self.surface = surface
    }

    // MARK: - Distance

    /// The shortest distance between a point of `a` and a point of `b`: 0 when they intersect (a point inside a
    /// polygon included).
    package func distance(_ a: GeoShape, _ b: GeoShape) -> Double {
        if case .point(let p) = a, case .point(let q) = b { return surface.distance(p, q) }
        if intersects(a, b) { return 0 }
        // Shapes apart are closest at a vertex of one of them.
        return min(a.positions.map { distance($0, to: b) }.min() ?? .infinity,
                   b.positions.map { distance($0, to: a) }.min() ?? .infinity)
    }

    /// The shortest distance from `p` to the positions and segments of `shape`.
    private func distance(_ p: GeoPosition, to shape: GeoShape) -> Double {
        if case .point(let q) = shape { return surface.distance(p, q) }
        return shape.segments.map { surface.distance(p, toSegment: $0.0, $0.1) }.min() ?? .infinity
    }

    // MARK: - Intersection

    /// Whether `a` and `b` share a point.
    package func intersects(_ a: GeoShape, _ b: GeoShape) -> Bool {
        if a.positions.contains(where: { covers(b, $0) }) || b.positions.contains(where: { covers(a, $0) }) {
            return true
        }
        let bSegments = b.segments
        return a.segments.contains { s in bSegments.contains { t in segmentsMeet(s.0, s.1, t.0, t.1) } }
    }

    /// Whether `p` is a point of `shape`, its boundary included.
    package func covers(_ shape: GeoShape, _ p: GeoPosition) -> Bool {
        switch shape {
        case .point(let q):
            return surface.distance(p, q) == 0
        case .lineString:
            return shape.segments.contains { surface.isOnSegment(p, $0.0, $0.1) }
        case .polygon, .multiPolygon:
            return shape.polygons.contains { locate(p, polygon: $0) != .exterior }
        }
    }

    /// Where `p` lies against a polygon: inside every ring's region, on a ring, or outside.
    package func locate(_ p: GeoPosition, polygon rings: [[GeoPosition]]) -> SpatialLocation {
        var onBoundary = false
        for (number, ring) in rings.enumerated() {
            switch surface.locate(p, ring: ring, isHole: number > 0) {
            case .exterior: return .exterior
            case .boundary: onBoundary = true
            case .interior: break
            }
        }
        return onBoundary ? .boundary : .interior
    }

    /// Whether the segments `ab` and `cd` share a point.
    private func segmentsMeet(_ a: GeoPosition, _ b: GeoPosition, _ c: GeoPosition, _ d: GeoPosition) -> Bool {
        let c1 = surface.side(c, of: a, b), d1 = surface.side(d, of: a, b)
        if c1 != 0 && c1 == d1 { return false }
        let a1 = surface.side(a, of: c, d), b1 = surface.side(b, of: c, d)
        if a1 != 0 && a1 == b1 { return false }
        if c1 == 0 && d1 == 0 && a1 == 0 && b1 == 0 {
            return surface.isOnSegment(c, a, b) || surface.isOnSegment(d, a, b)
                || surface.isOnSegment(a, c, d) || surface.isOnSegment(b, c, d)
        }
        return surface.segmentsAreNear(a, b, c, d)
    }

    /// Whether the segments `ab` and `cd` cross at a point inside both (neither touching nor overlapping).
    private func segmentsCross(_ a: GeoPosition, _ b: GeoPosition, _ c: GeoPosition, _ d: GeoPosition) -> Bool {
        let c1 = surface.side(c, of: a, b), d1 = surface.side(d, of: a, b)
        guard c1 != 0, d1 != 0, c1 != d1 else { return false }
        let a1 = surface.side(a, of: c, d), b1 = surface.side(b, of: c, d)
        guard a1 != 0, b1 != 0, a1 != b1 else { return false }
        return surface.segmentsAreNear(a, b, c, d)
    }

    // MARK: - Containment

    /// Whether every point of `a` is a point of `b` and some point of `a` is inside `b` (not only on its boundary).
    ///
    /// Within a polygon: every vertex and every segment's midpoint of `a` lie in the polygon, no segment of `a`
    /// crosses the polygon's rings, no vertex of the polygon lies inside a polygon of `a` (which would be a hole of
    /// `b`, or `b`'s boundary, reaching into `a`), and one of those points of `a` lies inside the polygon, not on its
    /// boundary. When all of them lie on the boundary, a line is not within it (it runs along the edge), and a
    /// polygon is when a point inside it lies in `b`: two polygons with the same rings in opposite directions are a
    /// region and its complement on the geography model, which share only their boundary.
    package func within(_ a: GeoShape, _ b: GeoShape) -> Bool {
        switch b {
        case .point(let q):
            return a.positions.allSatisfy { surface.distance($0, q) == 0 }
        case .lineString:
            guard a.polygons.isEmpty else { return false }
            return a.positions.allSatisfy { covers(b, $0) }
                && a.segments.allSatisfy { covers(b, surface.midpoint($0.0, $0.1)) }
        case .polygon, .multiPolygon:
            if case .point(let p) = a {
                return b.polygons.contains { locate(p, polygon: $0) == .interior }
            }
            guard a.positions.allSatisfy({ covers(b, $0) }),
                  a.segments.allSatisfy({ covers(b, surface.midpoint($0.0, $0.1)) }) else { return false }
            if segmentsCross(a, b) { return false }
            let aPolygons = a.polygons
            if b.positions.contains(where: { p in aPolygons.contains { locate(p, polygon: $0) == .interior } }) {
                return false
            }
            if samplesInside(a, b.polygons) { return true }
            guard let inner = aPolygons.lazy.compactMap(interiorPoint).first else { return false }
            return covers(b, inner)
        }
    }

    /// Whether two polygons have a common area, not only common boundary points: their rings cross, or a vertex or
    /// an edge's midpoint of one lies inside the other, or a point inside one lies in the other (two polygons with the
    /// same rings).
    package func shareArea(_ a: [[GeoPosition]], _ b: [[GeoPosition]]) -> Bool {
        let shapeA = GeoShape.polygon(a), shapeB = GeoShape.polygon(b)
        if segmentsCross(shapeA, shapeB) || samplesInside(shapeA, [b]) || samplesInside(shapeB, [a]) { return true }
        if let inner = interiorPoint(a), locate(inner, polygon: b) == .interior { return true }
        if let inner = interiorPoint(b), locate(inner, polygon: a) == .interior { return true }
        return false
    }

    /// Whether a segment of `a` crosses a segment of `b` at a point inside both.
    private func segmentsCross(_ a: GeoShape, _ b: GeoShape) -> Bool {
        let bSegments = b.segments
        return a.segments.contains { s in bSegments.contains { t in segmentsCross(s.0, s.1, t.0, t.1) } }
    }

    /// Whether a vertex or an edge's midpoint of `shape` lies inside one of `polygons` (not on its boundary).
    private func samplesInside(_ shape: GeoShape, _ polygons: [[[GeoPosition]]]) -> Bool {
        func inside(_ p: GeoPosition) -> Bool { polygons.contains { locate(p, polygon: $0) == .interior } }
        return shape.positions.contains(where: inside)
            || shape.segments.contains { inside(surface.midpoint($0.0, $0.1)) }
    }

    /// A point strictly inside `polygon` (its rings), if a corner of its exterior ring shows one: halfway from a
    /// vertex towards the midpoint of its neighbours (inside a convex corner), or as far the other way (inside a
    /// reflex one, as every corner of a region larger than a hemisphere is), the first of these that lies inside.
    private func interiorPoint(_ polygon: [[GeoPosition]]) -> GeoPosition? {
        guard let ring = polygon.first, ring.count >= 4 else { return nil }
        let corners = ring.count - 1  // the ring is closed: its last position repeats the first
        for i in 0..<corners {
            let before = ring[(i + corners - 1) % corners], vertex = ring[i], after = ring[(i + 1) % corners]
            let across = surface.midpoint(before, after)
            for fraction in [0.5, -0.5] {
                let candidate = surface.point(from: vertex, toward: across, fraction: fraction)
                if locate(candidate, polygon: polygon) == .interior { return candidate }
            }
        }
        return nil
    }

    // MARK: - Area

    /// The area of a polygon or multipolygon (the sum of its polygons'); 0 for points and line strings.
    package func area(_ shape: GeoShape) -> Double {
        shape.polygons.reduce(0) { $0 + surface.area(polygon: $1) }
    }
}
