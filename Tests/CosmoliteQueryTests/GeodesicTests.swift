// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import Foundation
import Testing

/// `Geodesic` (WGS-84 geodesics after Karney, "Algorithms for geodesics", J. Geodesy 87 (2013) 43–55) against the
/// worked examples of that paper, the values Azure Cosmos DB's documentation publishes for `ST_DISTANCE` and
/// `ST_AREA`, published constants of the WGS-84 ellipsoid, closed-form areas computed here independently, and
/// properties over seeded pseudo-random pairs of points.
@Suite struct GeodesicTests {
    /// The WGS-84 equatorial radius a, metres (NIMA TR8350.2, the defining parameters of WGS 84).
    static let a = 6_378_137.0
    /// The WGS-84 flattening f (NIMA TR8350.2, the defining parameters of WGS 84).
    static let f = 1 / 298.257_223_563

    /// A ring of (longitude, latitude) vertices.
    typealias Ring = [(longitude: Double, latitude: Double)]

    /// Expects |got − want| ≤ tolerance.
    static func expectClose(
        _ got: Double, _ want: Double, within tolerance: Double, _ what: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(abs(got - want) <= tolerance, "\(what) \(got) where \(want) ± \(tolerance) was expected",
                sourceLocation: sourceLocation)
    }

    /// The difference of two angles in degrees, reduced to [0, 180].
    static func angleDifference(_ x: Double, _ y: Double) -> Double {
        abs((x - y).remainder(dividingBy: 360))
    }

    /// The area of the zone of the ellipsoid between the equator and latitude φ (degrees), all the way round, in
    /// closed form: π b² (sin φ / (1 − e² sin² φ) + tanh⁻¹(e sin φ) / e).
    static func zoneArea(toLatitude phi: Double) -> Double {
        let b = a * (1 - f), e2 = f * (2 - f), e = e2.squareRoot()
        let s = sin(phi * .pi / 180)
        return .pi * b * b * (s / (1 - e2 * s * s) + atanh(e * s) / e)
    }

    /// A deterministic pseudo-random generator (SplitMix64), so that every run checks the same points.
    struct SplitMix64 {
        /// The generator's state.
        var state: UInt64

        /// The next 64 random bits.
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// A uniform double in [0, 1).
        mutating func unit() -> Double {
            Double(next() >> 11) / Double(UInt64(1) << 53)
        }

        /// A uniform double in [low, high).
        mutating func uniform(_ low: Double, _ high: Double) -> Double {
            low + (high - low) * unit()
        }

        /// A magnitude spread evenly over the decades from 10^-decades to 1.
        mutating func decades(_ decades: Double) -> Double {
            pow(10, -decades * unit())
        }
    }

    // MARK: - The paper's worked examples

    /// Karney (2013), Table 2, the direct problem: φ₁ = 40°, α₁ = 30°, s₁₂ = 10 000 km gives φ₂ = 41.79331020506°,
    /// λ₁₂ = 137.84490004377°, α₂ = 149.09016931807° (values rounded to 11 decimals in the table).
    @Test func paperDirectExample() {
        let end = Geodesic.direct(latitude: 40, longitude: 0, azimuth: 30, distance: 10_000_000)
        Self.expectClose(end.latitude, 41.793_310_205_06, within: 1e-11, "φ₂")
        Self.expectClose(end.longitude, 137.844_900_043_77, within: 1e-11, "λ₂")
        Self.expectClose(end.azimuth, 149.090_169_318_07, within: 1e-11, "α₂")
        // Starting from another longitude shifts the end point by as much.
        let shifted = Geodesic.direct(latitude: 40, longitude: -170, azimuth: 30, distance: 10_000_000)
        Self.expectClose(shifted.longitude, 137.844_900_043_77 - 170, within: 1e-11, "λ₂ from -170°")
    }

    /// Karney (2013), Tables 4–6, the inverse problem for nearly antipodal points: φ₁ = −30°, φ₂ = 29.9°,
    /// λ₁₂ = 179.8° gives α₁ = 161.89052473633°, α₂ = 18.09073724574°, s₁₂ = 19 989 832.827610 m.
    @Test func paperNearlyAntipodalInverseExample() {
        let line = Geodesic.inverse(latitude1: -30, longitude1: 0, latitude2: 29.9, longitude2: 179.8)
        Self.expectClose(line.distance, 19_989_832.827_610, within: 1e-6, "s₁₂")
        Self.expectClose(line.azimuth1, 161.890_524_736_33, within: 1e-11, "α₁")
        Self.expectClose(line.azimuth2, 18.090_737_245_74, within: 1e-11, "α₂")
        // The same geodesic walked backwards, and the direct problem along it back to the second point.
        let back = Geodesic.inverse(latitude1: 29.9, longitude1: 179.8, latitude2: -30, longitude2: 0)
        Self.expectClose(back.distance, 19_989_832.827_610, within: 1e-6, "s₂₁")
        Self.expectClose(back.azimuth1, 18.090_737_245_74 - 180, within: 1e-11, "α₂ reversed")
        let end = Geodesic.direct(latitude: -30, longitude: 0, azimuth: line.azimuth1, distance: line.distance)
        Self.expectClose(end.latitude, 29.9, within: 1e-12, "φ₂ by the direct problem")
        Self.expectClose(end.longitude, 179.8, within: 1e-12, "λ₂ by the direct problem")
    }

    /// Karney (2013), Table 3, the inverse problem for close points: φ₁ = −30.12345°, φ₂ = −30.12344°,
    /// λ₁₂ = 0.00005° gives s₁₂ = 4.944208 m, α₁ = 77.04353354237°, α₂ = 77.04350844913°. The table's azimuths are
    /// the closed-form short-line estimate, which the iteration refines by a few 1e-9°.
    @Test func paperShortInverseExample() {
        let line = Geodesic.inverse(latitude1: -30.123_45, longitude1: 0, latitude2: -30.123_44, longitude2: 0.000_05)
        Self.expectClose(line.distance, 4.944_208, within: 1e-6, "s₁₂")
        Self.expectClose(line.azimuth1, 77.043_533_542_37, within: 1e-8, "α₁")
        Self.expectClose(line.azimuth2, 77.043_508_449_13, within: 1e-8, "α₂")
    }

    // MARK: - Azure Cosmos DB's published values

    /// learn.microsoft.com/cosmos-db/query/st-distance (Azure-Samples/cosmos-db-nosql-query-samples, st-distance):
    /// 3345.269817267368 m and 1907438.421299902 m. The service's numbers are within 1e-6 of the exact geodesic
    /// distances, 3345.269740 m and 1907438.342 m.
    @Test func cosmosDistanceExamples() {
        let near = Geodesic.inverse(
            latitude1: 47.639_802_393_357_18, longitude1: -122.128_268_223_046_72,
            latitude2: 47.669_010_870_061_31, longitude2: -122.117_581_139_535_35
        )
        Self.expectClose(near.distance, 3345.269_817_267_368, within: 1e-6 * near.distance, "Cosmos near")
        Self.expectClose(near.distance, 3345.269_740, within: 1e-6, "geodesic near")
        let far = Geodesic.inverse(
            latitude1: 46.812_977_943_146_63, longitude1: -96.843_686_647_659_94,
            latitude2: 47.669_010_870_061_31, longitude2: -122.117_581_139_535_35
        )
        Self.expectClose(far.distance, 1_907_438.421_299_902, within: 1e-6 * far.distance, "Cosmos far")
        Self.expectClose(far.distance, 1_907_438.342, within: 1e-3, "geodesic far")
    }

    /// learn.microsoft.com/cosmos-db/query/st-area (Azure-Samples/cosmos-db-nosql-query-samples, st-area): the
    /// polygon [31.8,-5],[32,-5],[32,-4.7],[31.8,-4.7],[31.8,-5] has 735970283.0522614 m². The exact geodesic
    /// area is 735970287.94 m², within 1e-8 of it; walking the ring the other way leaves the rest of the earth on the
    /// left.
    @Test func cosmosAreaExample() {
        let ring: Ring = [(31.8, -5), (32, -5), (32, -4.7), (31.8, -4.7), (31.8, -5)]
        let area = Geodesic.areaLeftOf(ring: ring)
        Self.expectClose(area, 735_970_283.052_261_4, within: 1e-6 * area, "Cosmos area")
        Self.expectClose(area, 735_970_287.94, within: 0.01, "geodesic area")
        // The closing vertex may be left out.
        Self.expectClose(Geodesic.areaLeftOf(ring: Array(ring.dropLast())), area, within: 1e-6, "open ring")
        // Reversed: the earth minus the polygon (to the rounding of numbers as large as the earth's area).
        let outside = Geodesic.areaLeftOf(ring: ring.reversed())
        Self.expectClose(outside, Geodesic.totalArea - area, within: 0.125, "reversed ring")
        // Moving the polygon across the antimeridian does not change its area (but for the rounding of the moved
        // longitudes, which shifts the vertices by nanometres).
        let moved: Ring = ring.map { ($0.longitude + 148.1, $0.latitude) }
        Self.expectClose(Geodesic.areaLeftOf(ring: moved), area, within: 1e-3, "across the antimeridian")
    }

    // MARK: - Published constants of the ellipsoid

    /// NIMA TR8350.2 (the WGS 84 definition), derived geometric constants: the ellipsoid's surface area is
    /// 5.10065621724e14 m². To more digits, 2πa² (1 + (1 − e²) tanh⁻¹(e) / e) = 510065621724088.5 m², computed
    /// here from a and f.
    @Test func totalAreaIsTheEllipsoidsSurfaceArea() {
        let e2 = Self.f * (2 - Self.f), e = e2.squareRoot()
        let closedForm = 2 * Double.pi * Self.a * Self.a * (1 + (1 - e2) * atanh(e) / e)
        Self.expectClose(Geodesic.totalArea, 510_065_621_724_088.5, within: 1, "total area")
        Self.expectClose(Geodesic.totalArea, closedForm, within: 1, "closed form")
        Self.expectClose(Geodesic.totalArea, 5.100_656_217_24e14, within: 0.5e3, "TR8350.2 (12 digits)")
    }

    /// The quarter meridian of WGS-84, equator to pole, is 10 001 965.729 m (the meridian quadrant; e.g. NGA's
    /// and Wikipedia's "Earth quadrant" tables). Pole to pole, and between antipodal points of the equator (whose
    /// shortest geodesic runs over a pole, since b < a), it is twice that.
    @Test func quarterMeridian() {
        let quarter = 10_001_965.729
        for longitude in [0.0, 37.5, -120, 180] {
            let line = Geodesic.inverse(latitude1: 0, longitude1: longitude, latitude2: 90, longitude2: longitude)
            Self.expectClose(line.distance, quarter, within: 1e-3, "equator to the north pole")
            Self.expectClose(line.azimuth1, 0, within: 0, "due north")
            let south = Geodesic.inverse(latitude1: 0, longitude1: longitude, latitude2: -90, longitude2: 10)
            Self.expectClose(south.distance, quarter, within: 1e-3, "equator to the south pole")
            Self.expectClose(south.azimuth1, 180, within: 0, "due south")
        }
        Self.expectClose(Geodesic.inverse(latitude1: -90, longitude1: 0, latitude2: 90, longitude2: 45).distance,
                         2 * quarter, within: 2e-3, "pole to pole")
        let antipodes = Geodesic.inverse(latitude1: 0, longitude1: 20, latitude2: 0, longitude2: -160)
        Self.expectClose(antipodes.distance, 2 * quarter, within: 2e-3, "antipodes on the equator")
        #expect(antipodes.azimuth1 == 0 || antipodes.azimuth1 == 180, "over a pole: \(antipodes)")
        // The direct problem: a quarter meridian north from the equator reaches the pole.
        let end = Geodesic.direct(latitude: 0, longitude: 10, azimuth: 0, distance: 10_001_965.729_3)
        Self.expectClose(end.latitude, 90, within: 1e-9, "the pole by the direct problem")
    }

    /// Along the equator the geodesic is the equator itself up to (1 − f)·180° of longitude, so one degree of it is
    /// a·π/180 = 111 319.490 793 273 57 m, and 179° of it is 179 times that; beyond (1 − f)·180° the shortest path
    /// leaves the equator.
    @Test func equatorialArc() {
        let degree = Self.a * .pi / 180
        let one = Geodesic.inverse(latitude1: 0, longitude1: 0, latitude2: 0, longitude2: 1)
        Self.expectClose(one.distance, degree, within: 1e-9 * degree, "1°")
        Self.expectClose(one.azimuth1, 90, within: 0, "due east")
        Self.expectClose(one.azimuth2, 90, within: 0, "due east at the end")
        let west = Geodesic.inverse(latitude1: 0, longitude1: -170, latitude2: 0, longitude2: 11)
        Self.expectClose(west.distance, 179 * degree, within: 1e-9 * degree, "179° westward across 180°")
        Self.expectClose(west.azimuth1, -90, within: 0, "due west")
        let beyond = Geodesic.inverse(latitude1: 0, longitude1: 0, latitude2: 0, longitude2: 179.9)
        #expect(beyond.distance < 179.9 * degree, "179.9° on the equator has a shorter path off it")
        #expect(abs(beyond.azimuth1 - 90) > 1, "so it does not leave due east")
        let end = Geodesic.direct(latitude: 0, longitude: -179.5, azimuth: -90, distance: 2 * degree)
        Self.expectClose(end.latitude, 0, within: 0, "stays on the equator")
        Self.expectClose(end.longitude, 178.5, within: 1e-12, "wraps to (-180, 180]")
    }

    /// At a pole the azimuth is taken relative to the given longitude, as the limit of points approaching the pole
    /// along its meridian: leaving the north pole at azimuth α follows the meridian λ + 180° − α, and leaving the
    /// south pole follows λ + α.
    @Test func polesAsLimits() {
        let north = Geodesic.direct(latitude: 90, longitude: 10, azimuth: 30, distance: 1_000_000)
        Self.expectClose(north.longitude, 160, within: 1e-9, "from the north pole")
        let south = Geodesic.direct(latitude: -90, longitude: 10, azimuth: 30, distance: 1_000_000)
        Self.expectClose(south.longitude, 40, within: 1e-9, "from the south pole")
        let toNorth = Geodesic.inverse(latitude1: 90, longitude1: 10, latitude2: 60, longitude2: 160)
        Self.expectClose(toNorth.azimuth1, 30, within: 1e-9, "azimuth at the north pole")
        Self.expectClose(toNorth.azimuth2, 180, within: 1e-9, "due south after it")
        let same = Geodesic.inverse(latitude1: 90, longitude1: 10, latitude2: 90, longitude2: -100)
        Self.expectClose(same.distance, 0, within: 1e-9, "the pole and itself")
    }

    // MARK: - Properties over pseudo-random pairs

    /// The kinds of pairs the property test draws.
    enum PairKind: CaseIterable {
        case anywhere, nearlyAntipodal, onTheEquator, nearTheEquator, atAPole, nearThePoles, coincident, close
    }

    /// A pair of points (latitude, longitude) of the given kind.
    static func pair(_ kind: PairKind, _ random: inout SplitMix64) -> (Double, Double, Double, Double) {
        let lat1 = random.uniform(-90, 90), lon1 = random.uniform(-180, 180)
        let lat2 = random.uniform(-90, 90), lon2 = random.uniform(-180, 180)
        switch kind {
        case .anywhere:
            return (lat1, lon1, lat2, lon2)
        case .nearlyAntipodal:
            let dLat = random.uniform(-1, 1) * random.decades(8), dLon = random.uniform(-1, 1) * random.decades(8)
            return (lat1, lon1, min(90, max(-90, -lat1 + dLat)), lon1 + 180 + dLon)
        case .onTheEquator:
            return (0, lon1, 0, lon2)
        case .nearTheEquator:
            return (random.uniform(-1, 1) * random.decades(10), lon1, random.uniform(-1, 1) * random.decades(10),
                    lon1 + random.uniform(90, 180) * (random.unit() < 0.5 ? 1 : -1))
        case .atAPole:
            let pole = random.unit() < 0.5 ? 90.0 : -90
            return random.unit() < 0.2 ? (pole, lon1, -pole, lon2) : (pole, lon1, lat2, lon2)
        case .nearThePoles:
            return ((90 - random.decades(10)) * (random.unit() < 0.5 ? 1 : -1), lon1,
                    (90 - random.decades(6)) * (random.unit() < 0.5 ? 1 : -1), lon2)
        case .coincident:
            return (lat1, lon1, lat1, lon1 + [0, 360, -360][Int(random.next() % 3)])
        case .close:
            let dLat = random.uniform(-1e-4, 1e-4), dLon = random.uniform(-1e-4, 1e-4)
            return (lat1, lon1, min(90, max(-90, lat1 + dLat)), lon1 + dLon)
        }
    }

    /// For every kind of pair: no NaN; the direct problem along the inverse solution lands on the second point
    /// within 1e-6 m (measured by the inverse distance); the distance is the same both ways; the reversed geodesic
    /// has the azimuths turned round; no distance exceeds half the meridian (the longest shortest path on an oblate
    /// ellipsoid).
    @Test(arguments: PairKind.allCases)
    func inverseAndDirectAgree(kind: PairKind) {
        var random = SplitMix64(state: 0x5EED_0000 + UInt64(PairKind.allCases.firstIndex(of: kind)!))
        let halfMeridian = 2 * 10_001_965.729_313
        for _ in 0..<1500 {
            let (lat1, lon1, lat2, lon2) = Self.pair(kind, &random)
            let line = Geodesic.inverse(latitude1: lat1, longitude1: lon1, latitude2: lat2, longitude2: lon2)
            let context = "\(kind) (\(lat1), \(lon1)) → (\(lat2), \(lon2)): \(line)"
            #expect(line.distance.isFinite && line.azimuth1.isFinite && line.azimuth2.isFinite, "\(context)")
            #expect(line.distance >= 0 && line.distance <= halfMeridian + 1e-6, "\(context)")
            #expect(line.azimuth1 > -180 && line.azimuth1 <= 180 && line.azimuth2 > -180 && line.azimuth2 <= 180,
                    "\(context)")
            let end = Geodesic.direct(latitude: lat1, longitude: lon1, azimuth: line.azimuth1, distance: line.distance)
            #expect(end.longitude > -180 && end.longitude <= 180, "\(context)")
            let miss = Geodesic.inverse(
                latitude1: end.latitude, longitude1: end.longitude, latitude2: lat2, longitude2: lon2
            ).distance
            #expect(miss <= 1e-6, "\(context) misses by \(miss) m")
            let back = Geodesic.inverse(latitude1: lat2, longitude1: lon2, latitude2: lat1, longitude2: lon1)
            #expect(abs(back.distance - line.distance) <= 1e-9 * line.distance + 1e-9, "\(context) back: \(back)")
            if line.distance > 1e-3, abs(lat1) < 90, abs(lat2) < 90 {
                #expect(Self.angleDifference(back.azimuth1, line.azimuth2 + 180) <= 1e-9, "\(context) back: \(back)")
                #expect(Self.angleDifference(back.azimuth2, line.azimuth1 + 180) <= 1e-9, "\(context) back: \(back)")
            }
        }
    }

    /// The distance is a metric: d(A, C) ≤ d(A, B) + d(B, C) for random triples (some with B near the A–C
    /// geodesic, where the inequality is nearly tight), and d(A, A) = 0.
    @Test func triangleInequality() {
        var random = SplitMix64(state: 0x7121_A9)
        func distance(_ p: (Double, Double), _ q: (Double, Double)) -> Double {
            Geodesic.inverse(latitude1: p.0, longitude1: p.1, latitude2: q.0, longitude2: q.1).distance
        }
        for index in 0..<2000 {
            let a = (random.uniform(-90, 90), random.uniform(-180, 180))
            let c = (random.uniform(-90, 90), random.uniform(-180, 180))
            var b = (random.uniform(-90, 90), random.uniform(-180, 180))
            if index.isMultiple(of: 2) {
                // A point on the geodesic from A to C, nudged a little off it.
                let line = Geodesic.inverse(latitude1: a.0, longitude1: a.1, latitude2: c.0, longitude2: c.1)
                let mid = Geodesic.direct(latitude: a.0, longitude: a.1, azimuth: line.azimuth1,
                                          distance: line.distance * random.unit())
                b = (min(90, max(-90, mid.latitude + random.uniform(-1e-7, 1e-7))), mid.longitude)
            }
            let direct = distance(a, c), viaB = distance(a, b) + distance(b, c)
            #expect(direct <= viaB + 1e-6, "A \(a) B \(b) C \(c): \(direct) > \(viaB)")
            #expect(distance(a, a) == 0, "A \(a)")
        }
    }

    // MARK: - Areas

    /// A ring round the north pole at latitude 80°, walked eastward (counter-clockwise seen from above the pole).
    static func northernRing(vertices: Int, latitude: Double = 80) -> Ring {
        (0..<vertices).map { (-180 + 360 * Double($0) / Double(vertices), latitude) }
    }

    /// The polar cap above 80°: the square ring through longitudes 0°, 90°, 180°, −90° encloses less than the
    /// cap, since its edges bulge towards the pole; reversed it gives the rest of the earth; the mirror ring round
    /// the south pole walked westward gives the same area. Rings of many vertices converge on the cap's area from
    /// the closed-form zone formula (error ∝ 1/N², so a Richardson extrapolation of N = 1024 and 4096 matches the
    /// formula to 1e-9).
    @Test func ringsRoundThePole() {
        let cap = Self.zoneArea(toLatitude: 90) - Self.zoneArea(toLatitude: 80)
        let square: Ring = [(0, 80), (90, 80), (180, 80), (-90, 80)]
        let squareArea = Geodesic.areaLeftOf(ring: square)
        #expect(squareArea > 0.5 * cap && squareArea < cap, "square \(squareArea), cap \(cap)")
        Self.expectClose(Geodesic.areaLeftOf(ring: square.reversed()), Geodesic.totalArea - squareArea,
                         within: 0.125, "reversed square")
        let southern: Ring = square.map { ($0.longitude, -$0.latitude) }.reversed()
        Self.expectClose(Geodesic.areaLeftOf(ring: southern), squareArea, within: 1e-3, "southern mirror")
        // Starting the ring at another vertex changes nothing.
        Self.expectClose(Geodesic.areaLeftOf(ring: Array(square[2...] + square[..<2])), squareArea,
                         within: 1e-3, "rotated start")

        let coarse = Geodesic.areaLeftOf(ring: Self.northernRing(vertices: 1024))
        let fine = Geodesic.areaLeftOf(ring: Self.northernRing(vertices: 4096))
        #expect(coarse < fine && fine < cap)
        Self.expectClose(fine, cap, within: 1e-6 * cap, "4096 vertices")
        Self.expectClose((16 * fine - coarse) / 15, cap, within: 1e-9 * cap, "extrapolated")
        let reversedFine = Geodesic.areaLeftOf(ring: Self.northernRing(vertices: 4096).reversed())
        Self.expectClose(reversedFine, Geodesic.totalArea - fine, within: 0.125, "4096 vertices reversed")
    }

    /// Regions known by symmetry: the triangle from (0°, 0°) to (90°, 0°) to the north pole is an eighth of the
    /// earth whatever longitude the pole vertex is given; the lune between the meridians 0° and 90° is a quarter;
    /// the equator walked eastward has the northern hemisphere on its left; degenerate rings have no area.
    @Test func areasBySymmetry() {
        let total = Geodesic.totalArea
        for poleLongitude in [0.0, 45, 123, -60, 180] {
            Self.expectClose(Geodesic.areaLeftOf(ring: [(0, 0), (90, 0), (poleLongitude, 90)]), total / 8,
                             within: 0.125, "octant, pole at \(poleLongitude)")
        }
        Self.expectClose(Geodesic.areaLeftOf(ring: [(0, 0), (0, -90), (90, 0)]), total / 8, within: 0.125,
                         "southern octant")
        Self.expectClose(Geodesic.areaLeftOf(ring: [(0, -90), (90, 0), (0, 90), (0, 0)]), total / 4,
                         within: 0.125, "lune")
        Self.expectClose(Geodesic.areaLeftOf(ring: [(0, 0), (90, 0), (180, 0), (-90, 0)]), total / 2,
                         within: 0.125, "northern hemisphere")
        Self.expectClose(Geodesic.areaLeftOf(ring: [(0, 0), (-90, 0), (180, 0), (90, 0)]), total / 2,
                         within: 0.125, "southern hemisphere")
        #expect(Geodesic.areaLeftOf(ring: []) == 0)
        #expect(Geodesic.areaLeftOf(ring: [(10, 10)]) == 0)
        #expect(Geodesic.areaLeftOf(ring: [(10, 10), (11, 12), (10, 10)]) == 0)
        #expect(Geodesic.areaLeftOf(ring: [(10, 10), (11, 12)]) == 0, "out and back")
    }

    /// Areas add up: a quadrilateral is the sum of the two triangles a diagonal cuts it into, for random
    /// quadrilaterals of every size and place (modulo the earth's area).
    @Test func areasAreAdditive() {
        var random = SplitMix64(state: 0xA12EA)
        let total = Geodesic.totalArea
        for _ in 0..<500 {
            let size = random.decades(5) * 60
            let centre = (random.uniform(-180, 180), random.uniform(-80, 80))
            let p: Ring = (0..<4).map { _ in
                (centre.0 + random.uniform(-0.5, 0.5) * size,
                 min(90, max(-90, centre.1 + random.uniform(-0.5, 0.5) * size)))
            }
            let whole = Geodesic.areaLeftOf(ring: p)
            let parts = Geodesic.areaLeftOf(ring: [p[0], p[1], p[2]]) + Geodesic.areaLeftOf(ring: [p[0], p[2], p[3]])
            #expect(abs((whole - parts).remainder(dividingBy: total)) <= 0.25, "\(p): \(whole) vs \(parts)")
        }
    }
}
