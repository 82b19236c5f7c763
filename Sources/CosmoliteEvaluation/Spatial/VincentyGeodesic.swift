// SPDX-License-Identifier: Apache-2.0

import Foundation

/// Geodesics on the WGS-84 ellipsoid by T. Vincenty's formulas ("Direct and inverse solutions of geodesics on the
/// ellipsoid with application of nested equations", Survey Review 23 (1975) 88–93): iteration on the auxiliary
/// sphere, accurate to a fraction of a millimetre. The inverse iteration does not converge for nearly antipodal
/// points (within about half a degree of the antipode); there it falls back to the great circle of the mean-radius
/// sphere, 0.5 % off at worst.
///
/// Areas: the ellipsoid maps onto the sphere of equal area (the authalic sphere) by authalic latitude, keeping
/// longitudes and areas. Each geodesic edge is cut into pieces of at most 10 km (and at least 8), their ends
/// mapped, and the polygon's area summed on the sphere; the map bends geodesics only slightly, so the pieces'
/// great circles bound nearly the same area.
package enum VincentyGeodesic {
    /// The semi-major axis, metres.
    static let a = 6_378_137.0
    /// The flattening.
    static let f = 1 / 298.257223563
    /// The semi-minor axis, metres.
    static let b = a * (1 - f)
    /// The first eccentricity squared.
    static let e2 = f * (2 - f)
    /// The first eccentricity.
    static let e = e2.squareRoot()
    /// The mean radius (2a + b) / 3, for the fallback near antipodes.
    static let meanRadius = (2 * a + b) / 3

    /// The result of the inverse problem.
    package struct Inverse: Sendable, Equatable {
        /// The length of the shortest geodesic, metres.
        package var distance: Double
        /// Its azimuth at the first point, degrees clockwise from north.
        package var azimuth1: Double
        /// Its forward azimuth at the second point, degrees clockwise from north.
        package var azimuth2: Double
    }

    /// Degrees to radians.
    private static func radians(_ degrees: Double) -> Double { degrees * .pi / 180 }
    /// Radians to degrees.
    private static func degrees(_ radians: Double) -> Double { radians * 180 / .pi }

    /// The series factors A and B of the distance for `u2` = cos²α (a² − b²) / b².
    private static func factors(_ u2: Double) -> (a: Double, b: Double) {
        (1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2))),
         u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2))))
    }

    /// Δσ, the correction of the arc on the auxiliary sphere.
    private static func deltaSigma(_ bFactor: Double, sinSigma: Double, cosSigma: Double, cos2SigmaM: Double)
        -> Double {
        let c2 = cos2SigmaM * cos2SigmaM
        return bFactor * sinSigma * (cos2SigmaM + bFactor / 4 * (cosSigma * (-1 + 2 * c2)
            - bFactor / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * c2)))
    }

    /// The shortest geodesic between two points given in degrees.
    package static func inverse(latitude1: Double, longitude1: Double, latitude2: Double, longitude2: Double)
        -> Inverse {
        let bigL = radians(remainder(longitude2 - longitude1, 360))
        let u1 = atan((1 - f) * tan(radians(latitude1))), u2 = atan((1 - f) * tan(radians(latitude2)))
        let sinU1 = sin(u1), cosU1 = cos(u1), sinU2 = sin(u2), cosU2 = cos(u2)
        var lambda = bigL
        var sinSigma = 0.0, cosSigma = 1.0, sigma = 0.0, cos2Alpha = 1.0, cos2SigmaM = 0.0
        var sinLambda = 0.0, cosLambda = 1.0
        var converged = false
        for _ in 0..<200 {
            sinLambda = sin(lambda)
            cosLambda = cos(lambda)
            let x = cosU2 * sinLambda, y = cosU1 * sinU2 - sinU1 * cosU2 * cosLambda
            sinSigma = (x * x + y * y).squareRoot()
            if sinSigma == 0 { return Inverse(distance: 0, azimuth1: 0, azimuth2: 0) }
            cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda
            sigma = atan2(sinSigma, cosSigma)
            let sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma
            cos2Alpha = 1 - sinAlpha * sinAlpha
            cos2SigmaM = cos2Alpha != 0 ? cosSigma - 2 * sinU1 * sinU2 / cos2Alpha : 0
            let c = f / 16 * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha))
            let next = bigL + (1 - c) * f * sinAlpha
                * (sigma + c * sinSigma * (cos2SigmaM + c * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)))
            if Swift.abs(next - lambda) < 1e-13 {
                lambda = next
                converged = true
                break
            }
            lambda = next
        }
        guard converged, Swift.abs(lambda) <= .pi + 1e-9 else {
            return sphericalInverse(latitude1: latitude1, longitude1: longitude1, latitude2: latitude2,
                                    longitude2: longitude2)
        }
        sinLambda = sin(lambda)
        cosLambda = cos(lambda)
        let (aFactor, bFactor) = factors(cos2Alpha * (a * a - b * b) / (b * b))
        let s = b * aFactor * (sigma - deltaSigma(bFactor, sinSigma: sinSigma, cosSigma: cosSigma,
                                                  cos2SigmaM: cos2SigmaM))
        let alpha1 = atan2(cosU2 * sinLambda, cosU1 * sinU2 - sinU1 * cosU2 * cosLambda)
        let alpha2 = atan2(cosU1 * sinLambda, -sinU1 * cosU2 + cosU1 * sinU2 * cosLambda)
        return Inverse(distance: s, azimuth1: degrees(alpha1), azimuth2: degrees(alpha2))
    }

    /// The great circle of the mean-radius sphere: the fallback for nearly antipodal points.
    private static func sphericalInverse(latitude1: Double, longitude1: Double, latitude2: Double,
                                         longitude2: Double) -> Inverse {
        let p1 = radians(latitude1), p2 = radians(latitude2), dl = radians(longitude2 - longitude1)
        let x = cos(p2) * sin(dl), y = cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl)
        let central = atan2((x * x + y * y).squareRoot(), sin(p1) * sin(p2) + cos(p1) * cos(p2) * cos(dl))
        let alpha2 = atan2(cos(p1) * sin(dl), -sin(p1) * cos(p2) + cos(p1) * sin(p2) * cos(dl))
        return Inverse(distance: central * meanRadius, azimuth1: degrees(atan2(x, y)), azimuth2: degrees(alpha2))
    }

    /// The point `distance` metres from (latitude, longitude) along the geodesic leaving at `azimuth` (degrees).
    package static func direct(latitude: Double, longitude: Double, azimuth: Double, distance: Double)
        -> (latitude: Double, longitude: Double, azimuth: Double) {
        let alpha1 = radians(azimuth)
        let sinAlpha1 = sin(alpha1), cosAlpha1 = cos(alpha1)
        let u1 = atan((1 - f) * tan(radians(latitude)))
        let sinU1 = sin(u1), cosU1 = cos(u1)
        let sigma1 = atan2(tan(u1), cosAlpha1)
        let sinAlpha = cosU1 * sinAlpha1
        let cos2Alpha = 1 - sinAlpha * sinAlpha
        let (aFactor, bFactor) = factors(cos2Alpha * (a * a - b * b) / (b * b))
        var sigma = distance / (b * aFactor)
        var sinSigma = sin(sigma), cosSigma = cos(sigma), cos2SigmaM = cos(2 * sigma1 + sigma)
        for _ in 0..<100 {
            cos2SigmaM = cos(2 * sigma1 + sigma)
            sinSigma = sin(sigma)
            cosSigma = cos(sigma)
            let next = distance / (b * aFactor)
                + deltaSigma(bFactor, sinSigma: sinSigma, cosSigma: cosSigma, cos2SigmaM: cos2SigmaM)
            if Swift.abs(next - sigma) < 1e-13 {
                sigma = next
                break
            }
            sigma = next
        }
        sinSigma = sin(sigma)
        cosSigma = cos(sigma)
        cos2SigmaM = cos(2 * sigma1 + sigma)
        let x = sinU1 * sinSigma - cosU1 * cosSigma * cosAlpha1
        let latitude2 = atan2(sinU1 * cosSigma + cosU1 * sinSigma * cosAlpha1,
                              (1 - f) * (sinAlpha * sinAlpha + x * x).squareRoot())
        let lambda = atan2(sinSigma * sinAlpha1, cosU1 * cosSigma - sinU1 * sinSigma * cosAlpha1)
        let c = f / 16 * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha))
        let bigL = lambda - (1 - c) * f * sinAlpha
            * (sigma + c * sinSigma * (cos2SigmaM + c * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)))
        let alpha2 = atan2(sinAlpha, -x)
        return (degrees(latitude2), remainder(longitude + degrees(bigL), 360), degrees(alpha2))
    }

    /// q(φ), the authalic function: q(φ) / q(90°) is the sine of the authalic latitude.
    private static func q(_ sinPhi: Double) -> Double {
        let es = e * sinPhi
        return (1 - e2) * (sinPhi / (1 - es * es) - 1 / (2 * e) * log((1 - es) / (1 + es)))
    }

    /// q at the pole.
    private static let qPole = q(1)

    /// The radius of the authalic sphere, whose area equals the ellipsoid's.
    static let authalicRadius = a * (qPole / 2).squareRoot()

    /// The ellipsoid's total surface area, square metres.
    package static let totalArea = 4 * .pi * authalicRadius * authalicRadius

    /// The authalic latitude (radians) of a geodetic latitude in degrees.
    private static func authalic(_ latitude: Double) -> Double {
        asin(max(-1, min(1, q(sin(radians(latitude))) / qPole)))
    }

    /// The area (square metres) of the region on the left of a ring of (longitude, latitude) positions in degrees
    /// joined by geodesics, walked in order; the last position may repeat the first.
    package static func areaLeftOf(ring: [(longitude: Double, latitude: Double)]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var points = ring
        if points.first! == points.last! { points.removeLast() }
        // The ring, densified: (longitude in radians, authalic latitude) of each piece's start.
        var mapped = [(Double, Double)]()
        for (i, start) in points.enumerated() {
            let end = points[(i + 1) % points.count]
            let edge = inverse(latitude1: start.latitude, longitude1: start.longitude, latitude2: end.latitude,
                               longitude2: end.longitude)
            let pieces = max(8, Int((edge.distance / 10_000).rounded(.up)))
            mapped.append((radians(start.longitude), authalic(start.latitude)))
            for k in 1..<pieces {
                let p = direct(latitude: start.latitude, longitude: start.longitude, azimuth: edge.azimuth1,
                               distance: edge.distance * Double(k) / Double(pieces))
                mapped.append((radians(p.longitude), authalic(p.latitude)))
            }
        }
        // Each piece and the south pole bound a triangle with sides θ1, θ2 (the ends' distances from the pole) and
        // the angle Δλ between them: tan(E/2) = tan(θ1/2) tan(θ2/2) sin Δλ / (1 + tan(θ1/2) tan(θ2/2) cos Δλ).
        // Eastward pieces count the area between them and the south pole, westward ones take it off: the sum is
        // the area on the ring's right, so the left's is its opposite, modulo the whole sphere.
        var excess = 0.0
        for (i, start) in mapped.enumerated() {
            let end = mapped[(i + 1) % mapped.count]
            let dl = remainder(end.0 - start.0, 2 * .pi)
            let t = tan((start.1 + .pi / 2) / 2) * tan((end.1 + .pi / 2) / 2)
            excess += 2 * atan2(t * sin(dl), 1 + t * cos(dl))
        }
        var area = -excess * authalicRadius * authalicRadius
        area = area.truncatingRemainder(dividingBy: totalArea)
        if area < 0 { area += totalArea }
        return area
    }
}
