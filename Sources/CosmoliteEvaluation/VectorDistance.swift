// SPDX-License-Identifier: Apache-2.0

package import CosmoliteJSON

/// `VECTORDISTANCE(v1, v2 [, bruteForce [, options]])`: the similarity score of two vectors, as Cosmos DB's vector
/// search defines it.
///
/// - `cosine`: the cosine of the angle, from -1 (least similar) to 1 (most similar);
/// - `dotproduct`: the dot product, higher is more similar;
/// - `euclidean`: the Euclidean (L2) distance, 0 is most similar.
///
/// The score is computed exactly, in double precision, from the numbers the items hold: Cosmolite searches every
/// selected item (as a `flat` index or `bruteForce: true` does in the service); the service's `quantizedFlat` and
/// `diskANN` indexes approximate the same ranking.
///
/// A vector that is not a one-dimensional array of numbers, two vectors of different lengths, or a cosine with a
/// zero vector give undefined (no score), and so leave the item out of an `ORDER BY VectorDistance(...)`.
package struct VectorDistance: Sendable, Hashable {
    /// How similarity is measured.
    package enum Function: String, Sendable, CaseIterable {
        case cosine, dotproduct, euclidean
    }

    /// The element type vectors are stored as.
    package enum DataType: String, Sendable, CaseIterable {
        case float32, float16, int8, uint8
    }

    /// The similarity measure.
    package var function: Function
    /// The element type.
    package var dataType: DataType

    /// The service's defaults (for a path without a vector embedding policy).
    package static let `default` = VectorDistance(function: .cosine, dataType: .float32)

    /// A measure and element type.
    package init(function: Function, dataType: DataType) {
        self.function = function
        self.dataType = dataType
    }

    /// Whether a higher score means more similar (cosine, dot product): `ORDER BY VectorDistance(...)` then returns
    /// the highest scores first; Euclidean distance, the lowest.
    package var higherIsMoreSimilar: Bool { function != .euclidean }

    /// The options object's members (the fourth argument), over `defaults` for those it leaves out.
    ///
    /// - Throws: 400 for an options value that is not an object, an unknown member or value.
    package static func options(_ value: JSONValue?, defaults: VectorDistance) throws -> VectorDistance {
        guard let value else { return defaults }
        guard case .object(let members) = value else {
            throw EvaluationError.badRequest("the fourth argument of VectorDistance must be an object such as "
                + "{'distanceFunction': 'cosine', 'dataType': 'float32'}")
        }
        var result = defaults
        for (name, member) in members {
            func invalidValue(_ allowed: String) -> EvaluationError {
                .badRequest("VectorDistance function options argument property value \(JSONWriter.string(member)) is "
                    + "not a valid value for option '\(name)'; use \(allowed)")
            }
            switch name.lowercased() {
            case "distancefunction":
                guard case .string(let s) = member, let function = Function(rawValue: s.lowercased()) else {
                    throw invalidValue(Function.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))
                }
                result.function = function
            case "datatype":
                guard case .string(let s) = member, let type = DataType(rawValue: s.lowercased()) else {
                    throw invalidValue(DataType.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))
                }
                result.dataType = type
            case "searchlistsizemultiplier", "quantizedvectorlistmultiplier":
                // How far an approximate index (diskANN, quantizedFlat) looks; an exact search has no use for them.
                guard case .number(let n) = member, n == n.rounded(), (1...100).contains(n) else {
                    throw invalidValue("an integer from 1 to 100")
                }
            case "filterpriority":
                guard case .number(let n) = member, (0...1).contains(n) else {
                    throw invalidValue("a number from 0 to 1")
                }
            default:
                throw EvaluationError.badRequest("'\(name)' is not a valid option name for VectorDistance function "
                    + "options argument. The options are distanceFunction, dataType, searchListSizeMultiplier, "
                    + "quantizedVectorListMultiplier and filterPriority.")
            }
        }
        return result
    }

    /// The score of two vectors, or `nil` (undefined) when either is not a flat array of numbers, their lengths
    /// differ, they are empty, or (cosine) one has no length.
    package func score(_ a: JSONValue?, _ b: JSONValue?) -> Double? {
        guard case .array(let x)? = a, case .array(let y)? = b, x.count == y.count, !x.isEmpty else { return nil }
        guard let p = Functions.numbers(x), let q = Functions.numbers(y) else { return nil }
        return score(count: p.count) { (p[$0], q[$0]) }
    }

    /// The score of a vector packed as little-endian IEEE 754 doubles (a vector index row) against `query`, or
    /// `nil` as ``score(_:_:)`` gives it: the same arithmetic, so the same score as from the item's JSON.
    package func score(packed: UnsafeRawBufferPointer, query: [Double]) -> Double? {
        guard packed.count == query.count * 8, !query.isEmpty else { return nil }
        return query.withUnsafeBufferPointer { q in
            score(count: q.count) { i in
                let bits = UInt64(littleEndian: packed.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
                return (Double(bitPattern: bits), q[i])
            }
        }
    }

    /// Packs a flat array of numbers as little-endian IEEE 754 doubles, or `nil` when `value` is not a non-empty
    /// array of numbers (then it has no score). A negative zero is packed as zero, as JSON stores it (the item
    /// reads back with 0 there), so that the row holds exactly the numbers the stored item does.
    package static func packed(_ value: JSONValue?) -> [UInt8]? {
        guard case .array(let elements)? = value, !elements.isEmpty, let numbers = Functions.numbers(elements) else {
            return nil
        }
        var out = [UInt8]()
        out.reserveCapacity(numbers.count * 8)
        for n in numbers {
            let bits: UInt64 = n == 0 ? 0 : n.bitPattern
            withUnsafeBytes(of: bits.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// The score over `count` pairs of elements. Sums run in four interleaved parts (then added pairwise), which
    /// keeps the processor's adders busy; every score, from JSON or from a packed row, is computed this same way.
    @inline(__always)
    private func score(count: Int, _ pair: (Int) -> (Double, Double)) -> Double? {
        let score: Double
        switch function {
        case .cosine:
            let dot = Self.sum(count) { let (p, q) = pair($0); return p * q }
            let xx = Self.sum(count) { let (p, _) = pair($0); return p * p }
            let yy = Self.sum(count) { let (_, q) = pair($0); return q * q }
            // One square root of the product is the more exact ([1, 2] against [-1, -2] gives -1, not a hair
            // above); two where the product would overflow.
            let product = xx * yy
            score = dot / (product.isFinite ? product.squareRoot() : xx.squareRoot() * yy.squareRoot())
        case .dotproduct:
            score = Self.sum(count) { let (p, q) = pair($0); return p * q }
        case .euclidean:
            score = Self.sum(count) { let (p, q) = pair($0); return (p - q) * (p - q) }.squareRoot()
        }
        guard score.isFinite else { return nil }
        // Rounding may take a cosine a hair past ±1.
        return function == .cosine ? Swift.min(1, Swift.max(-1, score)) : score
    }

    /// `term(0) + ... + term(count - 1)`, in four interleaved partial sums.
    @inline(__always)
    private static func sum(_ count: Int, _ term: (Int) -> Double) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= count {
            s0 += term(i)
            s1 += term(i + 1)
            s2 += term(i + 2)
            s3 += term(i + 3)
            i += 4
        }
        var total = (s0 + s1) + (s2 + s3)
        while i < count {
            total += term(i)
            i += 1
        }
        return total
    }
}
