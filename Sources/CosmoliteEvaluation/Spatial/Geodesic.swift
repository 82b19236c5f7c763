// SPDX-License-Identifier: Apache-2.0

import Foundation

/// Geodesics on the WGS-84 ellipsoid, written from the equations of C. F. F. Karney, "Algorithms for geodesics",
/// Journal of Geodesy 87 (2013) 43–55 (arXiv:1109.4448).
///
/// A geodesic on the ellipsoid is mapped onto a great circle of an auxiliary sphere (Bessel's construction): the
/// latitude φ becomes the reduced latitude β (tan β = (1 − f) tan φ), the azimuth α is kept, and a point of the
/// geodesic is located by its arc σ from the northward crossing of the equator, where the geodesic has azimuth α₀
/// (sin α₀ = sin α cos β, Clairaut). Distance and longitude on the ellipsoid are integrals over σ,
///
///     s = b I₁(σ),    λ = ω − f sin α₀ I₃(σ),
///
/// (ω the longitude on the sphere), expanded as Fourier series in σ whose coefficients are series in
/// ε = (√(1 + k²) − 1) / (√(1 + k²) + 1), k = e′ cos α₀, and in the third flattening n = f / (2 − f), here carried to
/// order 6; the truncation error is far below double precision for the earth's flattening. The coefficients below
/// were derived anew from the integrals by computer algebra, and agree with the paper's.
///
/// - The direct problem (start, azimuth, distance → end) is an evaluation: σ₂ follows from s₂ by the reverted
///   series of I₁.
/// - The inverse problem (two points → distance, azimuths) is solved by Newton's method on the azimuth α₁ at the
///   first point, so that the longitude reached at the second latitude is the given one; the derivative
///   dλ₁₂/dα₁ = m₁₂ / (a cos α₂ cos β₂) comes from the reduced length m₁₂. The starting azimuth is that of the great
///   circle on the auxiliary sphere or, for nearly antipodal points, the astroid approximation. Every step stays
///   inside an interval known to hold the solution, so the iteration falls back to bisection where Newton's method
///   would wander. Meridians, the equator, poles and coincident points are handled before the iteration.
/// - Areas use S₁₂ = c² (α₂ − α₁) + e² a² cos α₀ sin α₀ (I₄(σ₂) − I₄(σ₁)), the area between a geodesic edge and
///   the equator (c is the authalic radius); a ring's area is the sum over its edges, corrected by half the earth
///   for each time the ring goes round a pole.
///
/// Angles are kept as (sine, cosine) pairs wherever possible, so that poles and multiples of 90° stay exact. A pole
/// is treated as the limit of a point a negligible distance (≈ 1e-147 m) away from it, which fixes the azimuths
/// there in terms of the given longitude.
package enum Geodesic {
    /// The result of the inverse problem.
    package struct Inverse: Sendable, Equatable {
        /// The length of the shortest geodesic between the points, in metres.
        package var distance: Double
        /// Its azimuth at the first point, degrees clockwise from north, in (-180, 180].
        package var azimuth1: Double
        /// Its azimuth at the second point (forward direction), degrees clockwise from north, in (-180, 180].
        package var azimuth2: Double

        /// Creates a result from its parts.
        package init(distance: Double, azimuth1: Double, azimuth2: Double) {
            self.distance = distance
            self.azimuth1 = azimuth1
            self.azimuth2 = azimuth2
        }
    }

    /// The shortest geodesic from (latitude1, longitude1) to (latitude2, longitude2), degrees.
    package static func inverse(
        latitude1: Double, longitude1: Double, latitude2: Double, longitude2: Double
    ) -> Inverse {
        let solution = solveInverse(
            latitude1: latitude1, longitude1: longitude1, latitude2: latitude2, longitude2: longitude2, area: false
        )
        return solution.inverse
    }

    /// The point at `distance` metres from (latitude, longitude) along the geodesic leaving it at `azimuth` degrees;
    /// returns latitude, longitude (in (-180,180]) and the forward azimuth there.
    package static func direct(
        latitude: Double, longitude: Double, azimuth: Double, distance: Double
    ) -> (latitude: Double, longitude: Double, azimuth: Double) {
        let coefficients = Coefficients.shared
        let beta1 = reducedLatitude(latitude)
        let alpha1 = SinCos(degrees: azimuth)
        // The equator crossing: sin α₀ = sin α₁ cos β₁, cos α₀ = |cos α₁ + i sin α₁ sin β₁|.
        let sinAlpha0 = alpha1.sin * beta1.cos
        let cosAlpha0 = hypot(alpha1.cos, alpha1.sin * beta1.sin)
        // σ₁ and ω₁ from tan σ₁ = tan β₁ / cos α₁ and tan ω₁ = sin α₀ tan σ₁.
        let sigma1 = SinCos(normalizing: beta1.sin, alpha1.cos * beta1.cos)
        let omega1 = SinCos(normalizing: sinAlpha0 * beta1.sin, alpha1.cos * beta1.cos)
        let epsilon = Self.epsilon(cosAlpha0: cosAlpha0)
        let a1 = Series.a1(epsilon)
        // τ = s / (b A₁) = σ + B₁(σ); σ₂ from τ₂ by the reverted series.
        let sigma1Angle = atan2(sigma1.sin, sigma1.cos)
        let tau1 = sigma1Angle + Series.c1(epsilon).sineSum(sigma1)
        let tau2 = tau1 + distance / (WGS84.b * a1)
        let tau2Pair = SinCos(sin: sin(tau2), cos: cos(tau2))
        let sigma2Angle = tau2 + Series.c1Prime(epsilon).sineSum(tau2Pair)
        let sigma2 = SinCos(sin: sin(sigma2Angle), cos: cos(sigma2Angle))
        // The end point on the auxiliary sphere.
        let sinBeta2 = cosAlpha0 * sigma2.sin
        let cosBeta2 = hypot(cosAlpha0 * sigma2.cos, sinAlpha0)
        let omega2 = SinCos(normalizing: sinAlpha0 * sigma2.sin, sigma2.cos)
        // λ₁₂ = ω₁₂ − f sin α₀ (I₃(σ₂) − I₃(σ₁)).
        let c3 = coefficients.c3(epsilon)
        let i3 = coefficients.a3(epsilon) * (sigma2Angle - sigma1Angle + c3.sineSum(sigma2) - c3.sineSum(sigma1))
        let omega12 = atan2(
            omega1.cos * omega2.sin - omega1.sin * omega2.cos, omega1.cos * omega2.cos + omega1.sin * omega2.sin
        )
        let lambda12 = omega12 - WGS84.f * sinAlpha0 * i3
        let latitude2 = atan2(sinBeta2, (1 - WGS84.f) * cosBeta2) * degreesPerRadian
        let longitude2 = reducedDegrees(reducedDegrees(longitude) + lambda12 * degreesPerRadian)
        let azimuth2 = atan2Degrees(sinAlpha0, cosAlpha0 * sigma2.cos)
        return (latitude2, longitude2, azimuth2)
    }

    /// The area in square metres of the region on the LEFT of a closed ring whose consecutive vertices are joined by
    /// shortest geodesics, as you walk the ring in its order. `ring` holds (longitude, latitude) pairs in degrees; the
    /// last point may or may not repeat the first (treat it as closed either way). A counter-clockwise ring (seen from
    /// outside the earth) around a small region gives that region's area; the same ring reversed gives the earth's
    /// total area minus it. Result in [0, total area).
    package static func areaLeftOf(ring: [(longitude: Double, latitude: Double)]) -> Double {
        var count = ring.count
        if count > 1, ring[count - 1] == ring[0] {
            count -= 1
        }
        guard count > 1 else { return 0 }
        // S₁₂ is the area between an edge and the equator, positive for an eastward edge north of the equator, so
        // the region on the left of the ring is minus their sum, plus the northern hemisphere for each time the
        // ring goes eastward round the earth (the equator, walked eastward, has the northern hemisphere on its
        // left).
        var sum = CompensatedSum()
        var turns = 0.0
        for index in 0..<count {
            let from = ring[index]
            let to = ring[index + 1 == count ? 0 : index + 1]
            let edge = solveInverse(
                latitude1: from.latitude, longitude1: from.longitude,
                latitude2: to.latitude, longitude2: to.longitude, area: true
            )
            sum.add(-edge.area)
            turns += edge.longitudeDifference
        }
        let windings = (turns / 360).rounded()
        sum.add(windings * totalArea / 2)
        var area = sum.value.remainder(dividingBy: totalArea)
        if area < 0 {
            area += totalArea
        }
        return area < totalArea && area > 0 ? area : 0
    }

    /// The ellipsoid's total surface area, m² (≈ 5.10065621724e14).
    package static let totalArea: Double = 4 * Double.pi * WGS84.authalicRadiusSquared

    /// The ellipsoid's flattening f (1 / 298.257223563).
    package static let flattening = WGS84.f
}

// MARK: - The ellipsoid and its series

extension Geodesic {
    /// The WGS-84 ellipsoid and the constants derived from it.
    private enum WGS84 {
        /// The equatorial radius a, metres.
        static let a = 6_378_137.0
        /// The flattening f.
        static let f = 1 / 298.257_223_563
        /// The polar semi-axis b = a (1 − f), metres.
        static let b = a * (1 - f)
        /// The first eccentricity squared, e² = f (2 − f).
        static let e2 = f * (2 - f)
        /// The second eccentricity squared, e′² = e² / (1 − e²).
        static let ep2 = e2 / (1 - e2)
        /// The third flattening n = f / (2 − f).
        static let n = f / (2 - f)
        /// The square of the authalic radius, c² = a²/2 + (b²/2) tanh⁻¹(e) / e.
        static let authalicRadiusSquared = a * a / 2 + b * b / 2 * atanh(e2.squareRoot()) / e2.squareRoot()
        /// e² a², the factor of the I₄ term of the area.
        static let e2a2 = e2 * a * a
    }

    /// Degrees in a radian.
    private static let degreesPerRadian = 180 / Double.pi

    /// The cos β that stands for 0 at a pole (≈ 1.5e-154): the pole is taken as a point this close to it.
    private static let tiny = Double.leastNormalMagnitude.squareRoot()

    /// The six coefficients c₁…c₆ of a truncated Fourier series, kept in a fixed-size value so that evaluating a
    /// series allocates nothing.
    private struct SixTerms {
        /// The coefficients c₁…c₆ (for a cosine series of odd multiples, c₀…c₅).
        var t1, t2, t3, t4, t5, t6: Double

        /// Σ cₗ sin 2lσ, l = 1…6, by Clenshaw's recurrence on 2 cos 2σ.
        func sineSum(_ sigma: SinCos) -> Double {
            2 * sigma.sin * sigma.cos * clenshaw(sigma).b1
        }

        /// Σ cₗ cos (2l + 1)σ, l = 0…5 (t1 holding c₀), by Clenshaw's recurrence on 2 cos 2σ.
        func oddCosineSum(_ sigma: SinCos) -> Double {
            // The sum is (b₀ − b₁) cos σ.
            let (b0, b1) = clenshaw(sigma)
            return (b0 - b1) * sigma.cos
        }

        /// Clenshaw's recurrence over t6…t1 on x = 2 cos 2σ: the last two terms, b₀ (`b1`) and b₁ (`b2`).
        private func clenshaw(_ sigma: SinCos) -> (b1: Double, b2: Double) {
            let x = 2 * (sigma.cos - sigma.sin) * (sigma.cos + sigma.sin)
            var b1 = 0.0, b2 = 0.0
            // Written out: an array of the terms would allocate on every call.
            Self.clenshawStep(t6, x, &b1, &b2)
            Self.clenshawStep(t5, x, &b1, &b2)
            Self.clenshawStep(t4, x, &b1, &b2)
            Self.clenshawStep(t3, x, &b1, &b2)
            Self.clenshawStep(t2, x, &b1, &b2)
            Self.clenshawStep(t1, x, &b1, &b2)
            return (b1, b2)
        }

        /// One step bₗ = cₗ + x bₗ₊₁ − bₗ₊₂ of Clenshaw's recurrence, shifting (b1, b2) along.
        @inline(__always)
        private static func clenshawStep(_ c: Double, _ x: Double, _ b1: inout Double, _ b2: inout Double) {
            let b = c + x * b1 - b2
            b2 = b1
            b1 = b
        }
    }

    /// The coefficients of a polynomial of degree at most 5 in ε, lowest power first.
    private typealias Quintic = (Double, Double, Double, Double, Double, Double)

    /// The value of a `Quintic` at ε, by Horner's rule.
    @inline(__always)
    private static func horner(_ p: Quintic, _ e: Double) -> Double {
        p.0 + e * (p.1 + e * (p.2 + e * (p.3 + e * (p.4 + e * p.5))))
    }

    /// The series coefficients that do not depend on the ellipsoid: functions of ε only, from the expansions of the
    /// integrands of I₁ (distance) and I₂ (part of the reduced length) in ε.
    private enum Series {
        /// A₁ = (1 + ε²/4 + ε⁴/64 + ε⁶/256) / (1 − ε), the scale of I₁.
        static func a1(_ e: Double) -> Double {
            let e2 = e * e
            return (1 + e2 * (1.0 / 4 + e2 * (1.0 / 64 + e2 / 256))) / (1 - e)
        }

        /// C₁ₗ, the Fourier coefficients of I₁.
        static func c1(_ e: Double) -> SixTerms {
            let e2 = e * e
            let e3 = e2 * e, e4 = e2 * e2
            return SixTerms(
                t1: e * (-1.0 / 2 + e2 * (3.0 / 16 - e2 / 32)),
                t2: e2 * (-1.0 / 16 + e2 * (1.0 / 32 - e2 * 9 / 2048)),
                t3: e3 * (-1.0 / 48 + e2 * 3 / 256),
                t4: e4 * (-5.0 / 512 + e2 * 3 / 512),
                t5: e4 * e * (-7.0 / 1280),
                t6: e4 * e2 * (-7.0 / 2048)
            )
        }

        /// C′₁ₗ, the coefficients of the reverted series σ = τ + Σ C′₁ₗ sin 2lτ.
        static func c1Prime(_ e: Double) -> SixTerms {
            let e2 = e * e
            let e3 = e2 * e, e4 = e2 * e2
            return SixTerms(
                t1: e * (1.0 / 2 + e2 * (-9.0 / 32 + e2 * 205 / 1536)),
                t2: e2 * (5.0 / 16 + e2 * (-37.0 / 96 + e2 * 1335 / 4096)),
                t3: e3 * (29.0 / 96 + e2 * -75 / 128),
                t4: e4 * (539.0 / 1536 + e2 * -2391 / 2560),
                t5: e4 * e * (3467.0 / 7680),
                t6: e4 * e2 * (38081.0 / 61440)
            )
        }

        /// A₂ = (1 + ε²/4 + 9ε⁴/64 + 25ε⁶/256)(1 − ε), the scale of I₂.
        static func a2(_ e: Double) -> Double {
            let e2 = e * e
            return (1 + e2 * (1.0 / 4 + e2 * (9.0 / 64 + e2 * 25 / 256))) * (1 - e)
        }

        /// C₂ₗ, the Fourier coefficients of I₂.
        static func c2(_ e: Double) -> SixTerms {
            let e2 = e * e
            let e3 = e2 * e, e4 = e2 * e2
            return SixTerms(
                t1: e * (1.0 / 2 + e2 * (1.0 / 16 + e2 / 32)),
                t2: e2 * (3.0 / 16 + e2 * (1.0 / 32 + e2 * 35 / 2048)),
                t3: e3 * (5.0 / 48 + e2 * 5 / 256),
                t4: e4 * (35.0 / 512 + e2 * 7 / 512),
                t5: e4 * e * (63.0 / 1280),
                t6: e4 * e2 * (77.0 / 2048)
            )
        }
    }

    /// The coefficients of the longitude (I₃) and area (I₄) series, which depend on the
    /// ellipsoid through n: each is a polynomial in ε whose coefficients are polynomials in n, evaluated once for
    /// WGS-84 (terms up to total order 5 in n and ε, which with the factors f and e² in front gives order 6).
    private struct Coefficients {
        /// A₃ as a polynomial in ε.
        let a3Polynomial: Quintic
        /// C₃ₗ, l = 1…5, as polynomials in ε.
        let c3Polynomials: (Quintic, Quintic, Quintic, Quintic, Quintic)
        /// C₄ₗ, l = 0…5, as polynomials in ε.
        let c4Polynomials: (Quintic, Quintic, Quintic, Quintic, Quintic, Quintic)

        /// The coefficients for WGS-84, computed once.
        static let shared = Coefficients(n: WGS84.n)

        /// Evaluates the n-polynomials for the third flattening `n`.
        init(n: Double) {
            let n2 = n * n
            a3Polynomial = (
                1,
                (n - 1) / 2,
                (-2 + n * (-1 + n * 3)) / 8,
                (-1 + n * (-3 - n)) / 16,
                (-3 - n * 2) / 64,
                -3.0 / 128
            )
            c3Polynomials = (
                (0, (1 - n) / 4, (1 - n2) / 8, (3 + n * (3 - n)) / 64, (5 + n * 2) / 128, 3.0 / 128),
                (0, 0, (2 + n * (-3 + n)) / 32, (3 + n * (-2 - n * 3)) / 64, (3 + n) / 128, 5.0 / 256),
                (0, 0, 0, (5 + n * (-9 + n * 5)) / 192, (9 - n * 10) / 384, 7.0 / 512),
                (0, 0, 0, 0, (7 - n * 14) / 512, 7.0 / 512),
                (0, 0, 0, 0, 0, 21.0 / 2560)
            )
            let c40: Quintic = (
                2.0 / 3 + n * (-4.0 / 15 + n * (8.0 / 105 + n * (4.0 / 315 + n * (16.0 / 3465 + n * 20 / 9009)))),
                -1.0 / 5 + n * (16.0 / 35 + n * (-32.0 / 105 + n * (16.0 / 385 + n * 64 / 15015))),
                -2.0 / 105 + n * (-32.0 / 315 + n * (1088.0 / 3465 + n * -1184 / 5005)),
                11.0 / 315 + n * (-368.0 / 3465 + n * -32 / 6435),
                4.0 / 1155 + n * 1088 / 45045,
                97.0 / 15015
            )
            let c41: Quintic = (
                0,
                1.0 / 45 + n * (-16.0 / 315 + n * (32.0 / 945 + n * (-16.0 / 3465 + n * -64 / 135_135))),
                -2.0 / 105 + n * (64.0 / 945 + n * (-128.0 / 1485 + n * 1984 / 45045)),
                -1.0 / 105 + n * (16.0 / 2079 + n * 5792 / 135_135),
                4.0 / 1155 + n * -2944 / 135_135,
                1.0 / 9009
            )
            let c42: Quintic = (
                0,
                0,
                4.0 / 525 + n * (-32.0 / 1575 + n * (64.0 / 3465 + n * -32 / 5005)),
                -8.0 / 1575 + n * (128.0 / 5775 + n * -256 / 6825),
                -8.0 / 1925 + n * 1856 / 225_225,
                8.0 / 10725
            )
            let c43: Quintic = (
                0, 0, 0,
                8.0 / 2205 + n * (-256.0 / 24255 + n * 512 / 45045),
                -16.0 / 8085 + n * 1024 / 105_105,
                -136.0 / 63063
            )
            let c44: Quintic = (0, 0, 0, 0, 64.0 / 31185 + n * -512 / 81081, -128.0 / 135_135)
            let c45: Quintic = (0, 0, 0, 0, 0, 128.0 / 99099)
            c4Polynomials = (c40, c41, c42, c43, c44, c45)
        }

        /// A₃ at ε.
        func a3(_ e: Double) -> Double {
            horner(a3Polynomial, e)
        }

        /// C₃ₗ at ε; the sixth term is zero at this order.
        func c3(_ e: Double) -> SixTerms {
            SixTerms(
                t1: horner(c3Polynomials.0, e), t2: horner(c3Polynomials.1, e), t3: horner(c3Polynomials.2, e),
                t4: horner(c3Polynomials.3, e), t5: horner(c3Polynomials.4, e), t6: 0
            )
        }

        /// C₄ₗ at ε, l = 0…5, in `t1`…`t6`.
        func c4(_ e: Double) -> SixTerms {
            SixTerms(
                t1: horner(c4Polynomials.0, e), t2: horner(c4Polynomials.1, e), t3: horner(c4Polynomials.2, e),
                t4: horner(c4Polynomials.3, e), t5: horner(c4Polynomials.4, e), t6: horner(c4Polynomials.5, e)
            )
        }
    }

    /// The expansion parameter ε = k² / (√(1 + k²) + 1)², k² = e′² cos² α₀.
    private static func epsilon(cosAlpha0: Double) -> Double {
        let k2 = WGS84.ep2 * cosAlpha0 * cosAlpha0
        let root = (1 + k2).squareRoot() + 1
        return k2 / (root * root)
    }
}

// MARK: - Angles

extension Geodesic {
    /// An angle held as its sine and cosine (a unit vector), so that no precision is lost near multiples of 90°.
    private struct SinCos {
        /// The sine.
        var sin: Double
        /// The cosine.
        var cos: Double

        /// The angle with this sine and cosine, which must already be normalized.
        init(sin: Double, cos: Double) {
            self.sin = sin
            self.cos = cos
        }

        /// The angle of the vector (x, y), given y first as for atan2; the zero vector gives the angle 0.
        init(normalizing y: Double, _ x: Double) {
            let r = hypot(y, x)
            if r > 0 {
                sin = y / r
                cos = x / r
            } else {
                sin = 0
                cos = 1
            }
        }

        /// This angle plus `radians`.
        func rotated(by radians: Double) -> SinCos {
            let (s, c) = Geodesic.sineAndCosine(radians)
            return SinCos(normalizing: sin * c + cos * s, cos * c - sin * s)
        }

        /// Whether this angle lies strictly between `low` and `high`, where low < high ≤ low + π, judged by the
        /// signs of sin (self − low) and sin (high − self), which keep their precision at every angle.
        func isStrictlyBetween(_ low: SinCos, _ high: SinCos) -> Bool {
            low.cos * sin - low.sin * cos > 0 && cos * high.sin - sin * high.cos > 0
        }

        /// The angle halfway between `low` and `high` (low < high ≤ low + π); for a span of nearly π, low + 90°.
        static func bisecting(_ low: SinCos, _ high: SinCos) -> SinCos {
            let s = low.sin + high.sin, c = low.cos + high.cos
            if hypot(s, c) < 1e-3 {
                return SinCos(sin: low.cos, cos: -low.sin)
            }
            return SinCos(normalizing: s, c)
        }

        /// The sine and cosine of an angle in degrees, exact at multiples of 90°.
        init(degrees: Double) {
            let reduced = degrees.remainder(dividingBy: 360)
            let quadrant = (reduced / 90).rounded()
            let radians = (reduced - 90 * quadrant) / Geodesic.degreesPerRadian
            let (s, c) = Geodesic.sineAndCosine(radians)
            switch Int(quadrant) & 3 {
            case 0: (sin, cos) = (s, c)
            case 1: (sin, cos) = (c, -s)
            case 2: (sin, cos) = (-s, -c)
            default: (sin, cos) = (-c, s)
            }
            if sin == 0 {
                sin = 0  // no negative zero, so that atan2 gives +180° rather than −180°
            }
        }
    }

    /// sin x and cos x of an angle in radians.
    fileprivate static func sineAndCosine(_ x: Double) -> (Double, Double) {
        (sin(x), cos(x))
    }

    /// The reduced latitude β of a geodetic latitude in degrees, tan β = (1 − f) tan φ; at a pole, cos β is
    /// a tiny positive number instead of zero, standing for a point next to the pole.
    private static func reducedLatitude(_ latitude: Double) -> SinCos {
        let phi = SinCos(degrees: min(max(latitude, -90), 90))
        var beta = SinCos(normalizing: (1 - WGS84.f) * phi.sin, phi.cos)
        beta.cos = max(beta.cos, tiny)
        return beta
    }

    /// An angle in degrees reduced to (-180, 180].
    private static func reducedDegrees(_ x: Double) -> Double {
        let reduced = x.remainder(dividingBy: 360)
        return reduced == -180 ? 180 : reduced + 0  // + 0 turns −0 into 0
    }

    /// atan2(y, x) in degrees, in (-180, 180].
    private static func atan2Degrees(_ y: Double, _ x: Double) -> Double {
        let angle = atan2(y, x) * degreesPerRadian
        return angle == -180 ? 180 : angle + 0
    }

    /// x·y − z·w with a single rounding error in effect (Kahan's method with fused multiply–adds), for the sines of
    /// differences of nearly equal angles.
    @inline(__always)
    private static func differenceOfProducts(_ x: Double, _ y: Double, _ z: Double, _ w: Double) -> Double {
        let product = z * w
        let productError = product.addingProduct(-z, w)
        return (-product).addingProduct(x, y) + productError
    }

    /// The angle from a to b (b − a), in [0, π], for two angles known to be at most π apart in that order.
    @inline(__always)
    private static func forwardDifference(_ a: SinCos, _ b: SinCos) -> Double {
        let s = differenceOfProducts(a.cos, b.sin, a.sin, b.cos)
        return atan2(s > 0 ? s : 0, a.cos * b.cos + a.sin * b.sin)  // +0, never −0, for the sine
    }

    /// A sum of doubles with the rounding errors of the additions carried along (Neumaier's compensated sum).
    private struct CompensatedSum {
        /// The rounded running sum.
        private var sum = 0.0
        /// The accumulated rounding errors.
        private var error = 0.0

        /// The sum so far.
        var value: Double { sum + error }

        /// Adds `x`.
        mutating func add(_ x: Double) {
            let total = sum + x
            if abs(sum) >= abs(x) {
                error += (sum - total) + x
            } else {
                error += (x - total) + sum
            }
            sum = total
        }
    }
}

// MARK: - The inverse problem

extension Geodesic {
    /// The inverse solution in the caller's orientation, with the edge's area when asked for.
    private struct InverseSolution {
        /// The distance and both azimuths.
        var inverse: Inverse
        /// S₁₂, the area between the geodesic and the equator, m²; zero unless asked for.
        var area: Double
        /// The longitude difference the solution spans, degrees in (-180, 180], which says how the edge goes round.
        var longitudeDifference: Double
    }

    /// What one trial azimuth α₁ gives in the inverse problem, in the normalized configuration.
    private struct Trial {
        /// The azimuth α₁ tried.
        var alpha1: SinCos
        /// The azimuth α₂ where the geodesic first reaches the second latitude going north.
        var alpha2: SinCos
        /// The arcs σ₁ and σ₂ from the equator crossing on the auxiliary sphere.
        var sigma1: SinCos, sigma2: SinCos
        /// sin α₀ and cos α₀ of the equator crossing.
        var sinAlpha0: Double, cosAlpha0: Double
        /// ε for this geodesic.
        var epsilon: Double
        /// λ₁₂ reached (radians).
        var lambda12: Double
        /// ω₁₂ − λ₁₂ = f sin α₀ (I₃(σ₂) − I₃(σ₁)) (radians).
        var eta: Double
        /// dλ₁₂/dα₁; not finite where cos α₂ cos β₂ vanishes.
        var derivative: Double
        /// The distance s₁₂, metres.
        var distance: Double
        /// The reduced length m₁₂, metres.
        var reducedLength: Double
    }

    /// The geodesic from the latitudes (reduced, normalized so that β₁ ≤ 0 and |β₂| ≤ |β₁|) leaving at α₁, up to the
    /// first point where it reaches β₂ going north, with the distance and reduced length there.
    private static func trial(
        alpha1: SinCos, beta1: SinCos, beta2: SinCos, coefficients: Coefficients
    ) -> Trial {
        let sinAlpha0 = alpha1.sin * beta1.cos
        let cosAlpha0 = hypot(alpha1.cos, alpha1.sin * beta1.sin)
        let sigma1 = SinCos(normalizing: beta1.sin, alpha1.cos * beta1.cos)
        let omega1 = SinCos(normalizing: sinAlpha0 * beta1.sin, alpha1.cos * beta1.cos)
        // α₂ from Clairaut and cos α₂ = +√(cos² α₁ cos² β₁ + (cos² β₂ − cos² β₁)) / cos β₂, the difference
        // of squares taken in the form that loses least.
        let sinAlpha2 = sinAlpha0 / beta2.cos
        let difference = beta1.cos < -beta1.sin
            ? (beta2.cos - beta1.cos) * (beta1.cos + beta2.cos)
            : (beta1.sin - beta2.sin) * (beta1.sin + beta2.sin)
        let product = alpha1.cos * beta1.cos
        let cosAlpha2 = max(0, product * product + difference).squareRoot() / beta2.cos
        let alpha2 = SinCos(normalizing: sinAlpha2, cosAlpha2)
        let sigma2 = SinCos(normalizing: beta2.sin, alpha2.cos * beta2.cos)
        let omega2 = SinCos(normalizing: sinAlpha0 * beta2.sin, alpha2.cos * beta2.cos)
        let sigma12 = forwardDifference(sigma1, sigma2)
        let omega12 = forwardDifference(omega1, omega2)
        let epsilon = Self.epsilon(cosAlpha0: cosAlpha0)
        let c3 = coefficients.c3(epsilon)
        let eta = WGS84.f * sinAlpha0 * coefficients.a3(epsilon)
            * (sigma12 + c3.sineSum(sigma2) - c3.sineSum(sigma1))
        // s₁₂ = b (I₁(σ₂) − I₁(σ₁)) and m₁₂ from J = I₁ − I₂.
        let a1 = Series.a1(epsilon), a2 = Series.a2(epsilon)
        let c1 = Series.c1(epsilon), c2 = Series.c2(epsilon)
        let b1Difference = c1.sineSum(sigma2) - c1.sineSum(sigma1)
        let b2Difference = c2.sineSum(sigma2) - c2.sineSum(sigma1)
        let j12 = (a1 - a2) * sigma12 + a1 * b1Difference - a2 * b2Difference
        let k2 = WGS84.ep2 * cosAlpha0 * cosAlpha0
        let w1 = (1 + k2 * sigma1.sin * sigma1.sin).squareRoot()
        let w2 = (1 + k2 * sigma2.sin * sigma2.sin).squareRoot()
        let reducedLength = WGS84.b * (
            w2 * sigma1.cos * sigma2.sin - w1 * sigma1.sin * sigma2.cos - sigma1.cos * sigma2.cos * j12
        )
        return Trial(
            alpha1: alpha1, alpha2: alpha2, sigma1: sigma1, sigma2: sigma2,
            sinAlpha0: sinAlpha0, cosAlpha0: cosAlpha0, epsilon: epsilon,
            lambda12: omega12 - eta, eta: eta,
            derivative: reducedLength / (WGS84.a * alpha2.cos * beta2.cos),
            distance: WGS84.b * a1 * (sigma12 + b1Difference),
            reducedLength: reducedLength
        )
    }

    /// The inverse problem, with S₁₂ when `area` is set.
    ///
    /// The points are first brought to a normalized configuration by the ellipsoid's symmetries: the first point
    /// the farther from the equator, in the southern hemisphere, and the second east of it by λ₁₂ ∈ [0°, 180°].
    /// Azimuths and S₁₂ are mapped back at the end.
    private static func solveInverse(
        latitude1: Double, longitude1: Double, latitude2: Double, longitude2: Double, area: Bool
    ) -> InverseSolution {
        let longitudeDifference = reducedDegrees(reducedDegrees(longitude2) - reducedDegrees(longitude1))
        var lat1 = min(max(latitude1, -90), 90), lat2 = min(max(latitude2, -90), 90)
        var lambda12Degrees = longitudeDifference
        let swapped = abs(lat1) < abs(lat2)
        if swapped {
            swap(&lat1, &lat2)
            lambda12Degrees = -lambda12Degrees
        }
        let latitudeFlipped = lat1 > 0
        if latitudeFlipped {
            lat1 = -lat1
            lat2 = -lat2
        }
        let longitudeFlipped = lambda12Degrees < 0
        lambda12Degrees = abs(lambda12Degrees)

        let beta1 = reducedLatitude(lat1), beta2 = reducedLatitude(lat2)
        var (distance, alpha1, alpha2, s12) = solveNormalized(
            lat1: lat1, lat2: lat2, beta1: beta1, beta2: beta2, lambda12Degrees: lambda12Degrees, area: area
        )

        // Undo the normalization: a north–south mirror turns α into π − α, an east–west mirror into −α, and
        // walking the geodesic backwards swaps the points and turns both azimuths round; each reverses S₁₂.
        if latitudeFlipped {
            alpha1.cos = -alpha1.cos
            alpha2.cos = -alpha2.cos
            s12 = -s12
        }
        if swapped {
            (alpha1, alpha2) = (SinCos(sin: -alpha2.sin, cos: -alpha2.cos), SinCos(sin: -alpha1.sin, cos: -alpha1.cos))
            s12 = -s12
        }
        if longitudeFlipped {
            alpha1.sin = -alpha1.sin
            alpha2.sin = -alpha2.sin
            s12 = -s12
        }
        return InverseSolution(
            inverse: Inverse(distance: distance, azimuth1: atan2Degrees(alpha1.sin + 0, alpha1.cos),
                             azimuth2: atan2Degrees(alpha2.sin + 0, alpha2.cos)),
            area: s12,
            longitudeDifference: longitudeDifference
        )
    }

    /// The inverse problem in the normalized configuration (φ₁ ≤ 0, |φ₂| ≤ |φ₁|, 0 ≤ λ₁₂ ≤ 180°): distance, α₁,
    /// α₂ and, when `area` is set, S₁₂.
    private static func solveNormalized(
        lat1: Double, lat2: Double, beta1: SinCos, beta2: SinCos, lambda12Degrees: Double, area: Bool
    ) -> (distance: Double, alpha1: SinCos, alpha2: SinCos, area: Double) {
        let coefficients = Coefficients.shared
        let lambda12Pair = SinCos(degrees: lambda12Degrees)
        let lambda12 = lambda12Degrees / degreesPerRadian
        let north = SinCos(sin: 0, cos: 1)
        // A meridian (or a start at the pole): α₁ = λ₁₂, α₂ = 0. Over the pole (λ₁₂ = 180°) it is the shortest path
        // unless it passes a conjugate point (m₁₂ < 0), which cannot happen on an oblate ellipsoid but is checked
        // all the same. Its S₁₂ is c² (α₂ − α₁), since sin α₀ = 0.
        if lambda12Pair.sin == 0 || lat1 == -90 {
            let meridian = trial(alpha1: lambda12Pair, beta1: beta1, beta2: beta2, coefficients: coefficients)
            if lat1 == -90 || lambda12Pair.cos > 0 || meridian.reducedLength >= 0 {
                let s12 = area ? -WGS84.authalicRadiusSquared * lambda12 : 0
                return (meridian.distance, lambda12Pair, north, s12)
            }
        }
        // Along the equator, as long as that is shortest (λ₁₂ ≤ (1 − f) π); S₁₂ is zero there.
        if lat1 == 0, lat2 == 0, lambda12 <= (1 - WGS84.f) * Double.pi {
            let east = SinCos(sin: 1, cos: 0)
            return (WGS84.a * lambda12, east, east, 0)
        }
        let solution = newton(lambda12: lambda12, beta1: beta1, beta2: beta2, coefficients: coefficients)
        let s12 = area
            ? edgeArea(solution, lambda12: lambda12, beta1: beta1, beta2: beta2, coefficients: coefficients)
            : 0
        return (solution.distance, solution.alpha1, solution.alpha2, s12)
    }

    /// Newton's method on α₁ ∈ (0, π) for λ₁₂(α₁) = `lambda12`, in the normalized configuration, kept inside a
    /// bracketing interval (λ₁₂ grows with α₁ from 0 at α₁ = 0 to π at α₁ = π) with bisection as the fallback.
    ///
    /// α₁ is held as a (sine, cosine) pair and moved by rotation: near 90°, where two points at almost the same
    /// latitude need cos α₁ of 1e-19 or less, an angle in radians could not resolve the solution.
    private static func newton(
        lambda12: Double, beta1: SinCos, beta2: SinCos, coefficients: Coefficients
    ) -> Trial {
        var low = SinCos(sin: 0, cos: 1), high = SinCos(sin: 0, cos: -1)
        var alpha = startingAzimuth(lambda12: lambda12, beta1: beta1, beta2: beta2)
        if !alpha.isStrictlyBetween(low, high) {
            alpha = SinCos(sin: 1, cos: 0)
        }
        // The λ₁₂ error that is final (a few units in the last place of λ₁₂), and the one below which a step that
        // does not reduce it means the iteration has reached the rounding noise of λ₁₂.
        let tolerance = 2 * Double.ulpOfOne
        let noise = 64 * Double.ulpOfOne
        var previous = Double.infinity
        var current = trial(alpha1: alpha, beta1: beta1, beta2: beta2, coefficients: coefficients)
        for _ in 0..<100 {
            let residual = current.lambda12 - lambda12
            if residual > 0 {
                high = alpha
            } else if residual < 0 {
                low = alpha
            }
            if abs(residual) <= tolerance || (abs(residual) < noise && abs(residual) >= previous) { break }
            previous = abs(residual)
            var next: SinCos? = nil
            let step = -residual / current.derivative
            if current.derivative > 0, abs(step) < Double.pi / 2 {
                let rotated = alpha.rotated(by: step)
                if rotated.sin == alpha.sin, rotated.cos == alpha.cos { break }  // below the resolution of α₁
                if rotated.isStrictlyBetween(low, high) {
                    next = rotated
                }
            }
            alpha = next ?? SinCos.bisecting(low, high)
            current = trial(alpha1: alpha, beta1: beta1, beta2: beta2, coefficients: coefficients)
        }
        return current
    }

    /// The starting azimuth α₁ for Newton's method: that of the great circle on the auxiliary sphere with
    /// ω₁₂ = λ₁₂ / w̄, w̄ = √(1 − e² cos² β̄) at the mean cos β, or for nearly antipodal points the astroid
    /// approximation, in which the geodesics from the first point envelop an astroid round its antipode.
    private static func startingAzimuth(lambda12: Double, beta1: SinCos, beta2: SinCos) -> SinCos {
        // Lengths near the antipode scaled by f a π cos² β₁: x across the meridian, y along it.
        let lambdaScale = WGS84.f * Double.pi * beta1.cos
        let x = (lambda12 - Double.pi) / lambdaScale
        let sinBeta12 = beta1.sin * beta2.cos + beta1.cos * beta2.sin  // sin (β₁ + β₂) ≤ 0
        let y = asin(max(-1, min(1, sinBeta12))) / (lambdaScale * beta1.cos)
        if x * x + y * y <= 100 {
            let mu = astroidRoot(x: x, y: y)
            if mu == 0 {
                return SinCos(normalizing: -x, -max(0, 1 - x * x).squareRoot())
            }
            return SinCos(normalizing: -x / (1 + mu), y / mu)
        }
        let meanCos = (beta1.cos + beta2.cos) / 2
        let omega12 = lambda12 / (1 - WGS84.e2 * meanCos * meanCos).squareRoot()
        let halfSine = sin(omega12 / 2)
        // cos β₁ sin β₂ − sin β₁ cos β₂ cos ω₁₂, written so that it is exact for equal latitudes and tiny ω₁₂.
        let northward = differenceOfProducts(beta1.cos, beta2.sin, beta1.sin, beta2.cos)
            + 2 * beta1.sin * beta2.cos * halfSine * halfSine
        return SinCos(normalizing: beta2.cos * sin(omega12), northward)
    }

    /// The non-negative root μ of μ⁴ + 2μ³ + (1 − x² − y²)μ² − 2y²μ − y² = 0, that is of x²/(1 + μ)² + y²/μ² = 1,
    /// by Newton's method safeguarded with bisection on [max(|y|, |x| − 1), √(x² + y²)], which holds it.
    private static func astroidRoot(x: Double, y: Double) -> Double {
        let p = x * x, q = y * y
        if q == 0 {
            return max(0, abs(x) - 1)
        }
        var low = max(abs(y), abs(x) - 1), high = (p + q).squareRoot()
        let r = 1 - p - q
        var mu = high
        for _ in 0..<100 {
            let value = (((mu + 2) * mu + r) * mu - 2 * q) * mu - q
            if value > 0 {
                high = mu
            } else if value < 0 {
                low = mu
            } else {
                return mu
            }
            let slope = ((4 * mu + 6) * mu + 2 * r) * mu - 2 * q
            var next = mu - value / slope
            if !(next > low && next < high) {
                next = (low + high) / 2
            }
            if abs(next - mu) <= 1e-15 * mu || high - low <= 1e-15 * high {
                return next
            }
            mu = next
        }
        return mu
    }

    /// S₁₂ of a solved general geodesic, in the normalized configuration.
    ///
    /// α₂ − α₁ is the spherical excess of the quadrilateral between the great circle and the equator on the
    /// auxiliary sphere, tan((α₂ − α₁)/2) = tan(ω₁₂/2) (t₁ + t₂)/(1 + t₁t₂) with t = tan(β/2), which keeps its
    /// relative precision for short edges; ω₁₂ = λ₁₂ + η is known to relative precision from the given λ₁₂.
    private static func edgeArea(
        _ trial: Trial, lambda12: Double, beta1: SinCos, beta2: SinCos, coefficients: Coefficients
    ) -> Double {
        let omega12 = lambda12 + trial.eta
        let alpha12: Double
        if omega12 < Double.pi / 2 {
            let t1 = beta1.sin / (1 + beta1.cos), t2 = beta2.sin / (1 + beta2.cos)
            alpha12 = 2 * atan2(sin(omega12 / 2) * (t1 + t2), cos(omega12 / 2) * (1 + t1 * t2))
        } else {
            alpha12 = atan2(trial.alpha2.sin, trial.alpha2.cos) - atan2(trial.alpha1.sin, trial.alpha1.cos)
        }
        let c4 = coefficients.c4(trial.epsilon)
        let i4Difference = c4.oddCosineSum(trial.sigma2) - c4.oddCosineSum(trial.sigma1)
        return WGS84.authalicRadiusSquared * alpha12
            + WGS84.e2a2 * trial.cosAlpha0 * trial.sinAlpha0 * i4Difference
    }
}
