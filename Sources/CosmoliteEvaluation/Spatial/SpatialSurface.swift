// SPDX-License-Identifier: Apache-2.0

/// The surface spatial values lie on: what ``SpatialRelations`` needs to measure and compare them.
///
/// Two surfaces implement it: ``Plane`` (the geometry model: straight edges, Euclidean distances) and ``Ellipsoid``
/// (the geography model: the WGS-84 ellipsoid, geodesic edges, distances in metres).
package protocol SpatialSurface: Sendable {
    /// Which side of the directed line from `a` through `b` the position `c` lies on: 1 left, -1 right, 0 on the
    /// line (or `c` is `a`).
    func side(_ c: GeoPosition, of a: GeoPosition, _ b: GeoPosition) -> Int

    /// Whether `p` lies on the segment from `a` to `b`, ends included.
    func isOnSegment(_ p: GeoPosition, _ a: GeoPosition, _ b: GeoPosition) -> Bool

    /// The distance between two positions.
    func distance(_ a: GeoPosition, _ b: GeoPosition) -> Double

    /// The shortest distance from `p` to a point of the segment from `a` to `b`.
    func distance(_ p: GeoPosition, toSegment a: GeoPosition, _ b: GeoPosition) -> Double

    /// The point halfway along the segment from `a` to `b`.
    func midpoint(_ a: GeoPosition, _ b: GeoPosition) -> GeoPosition

    /// The point `fraction` of the way along the line from `a` through `b`: before `a` when negative.
    func point(from a: GeoPosition, toward b: GeoPosition, fraction: Double) -> GeoPosition

    /// Whether two segments whose ends lie on opposite sides of each other's lines do meet, rather than their lines
    /// meeting elsewhere (on the ellipsoid, two geodesics also meet near the antipodes).
    func segmentsAreNear(_ a: GeoPosition, _ b: GeoPosition, _ c: GeoPosition, _ d: GeoPosition) -> Bool

    /// Where `p` lies against the region a polygon's ring bounds: on the geography model the region on the ring's
    /// left; on the geometry model the region it encloses, or for a hole (`isHole`) the region outside it.
    func locate(_ p: GeoPosition, ring: [GeoPosition], isHole: Bool) -> SpatialLocation

    /// The area of a polygon (its exterior ring's region without its holes).
    func area(polygon rings: [[GeoPosition]]) -> Double
}

/// Where a position lies against a region.
package enum SpatialLocation: Sendable, Equatable {
    /// Strictly inside.
    case interior
    /// On the edge.
    case boundary
    /// Outside.
    case exterior
}
