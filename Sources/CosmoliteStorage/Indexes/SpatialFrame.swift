// SPDX-License-Identifier: Apache-2.0

package import CosmoliteEvaluation

/// The grid a spatial index files points in: the frame's area cut into 2^26 × 2^26 cells, each numbered along the
/// Z-order (Morton) curve, which interleaves the bits of the cell's column and row. A square block of cells whose
/// side is a power of two and which is aligned on it is one interval of numbers, so an area of the frame is a few
/// key intervals of the index.
///
/// Under the geography model the frame is the whole earth in degrees (longitude -180…180, latitude -90…90: a cell
/// is about 0.6 m wide at the equator); under the geometry model, the spatial index's `boundingBox`. A point
/// outside the frame has no cell.
package struct SpatialFrame: Sendable, Equatable {
    /// The box the grid covers.
    package let area: GeoBox

    /// The least x (longitude).
    private var xmin: Double { area.xmin }
    /// The least y (latitude).
    private var ymin: Double { area.ymin }
    /// The greatest x.
    private var xmax: Double { area.xmax }
    /// The greatest y.
    private var ymax: Double { area.ymax }

    /// Bits per axis: cell numbers stay below 2^52, exact as JSON numbers.
    static let bits = 26
    /// The number of cells per axis.
    private static let side = UInt64(1) << UInt64(bits)

    /// The whole earth, for the geography model.
    package static let earth = SpatialFrame(area: .earth)

    /// A frame over `area`.
    package init(area: GeoBox) {
        self.area = area
    }

    /// The column (or row) of coordinate `v` of the axis `low…high`, clamped to the grid; `nil` outside.
    private static func index(_ v: Double, _ low: Double, _ high: Double) -> UInt64? {
        guard v >= low, v <= high else { return nil }
        let scaled = (v - low) / (high - low) * Double(side)
        return min(side - 1, UInt64(max(0, scaled)))
    }

    /// Interleaves the bits of `x` (even bits) and `y` (odd bits).
    private static func morton(_ x: UInt64, _ y: UInt64) -> UInt64 {
        func spread(_ v: UInt64) -> UInt64 {
            var v = v & 0xFFFF_FFFF
            v = (v | (v << 16)) & 0x0000_FFFF_0000_FFFF
            v = (v | (v << 8)) & 0x00FF_00FF_00FF_00FF
            v = (v | (v << 4)) & 0x0F0F_0F0F_0F0F_0F0F
            v = (v | (v << 2)) & 0x3333_3333_3333_3333
            v = (v | (v << 1)) & 0x5555_5555_5555_5555
            return v
        }
        return spread(x) | (spread(y) << 1)
    }

    /// The cell of a point, or `nil` outside the frame.
    package func cell(of p: GeoPosition) -> UInt64? {
        guard let x = Self.index(p.x, xmin, xmax), let y = Self.index(p.y, ymin, ymax) else { return nil }
        return Self.morton(x, y)
    }

    /// The first cell of the smallest aligned block of cells (a node of the grid's quadtree) that holds all of
    /// `box`, or `nil` when the box does not lie within the frame. Blocks of the quadtree nest or are apart, so a
    /// read of an area finds a shape filed here either inside its cell intervals or at one of their enclosing
    /// blocks' first cells (``enclosingStarts(of:)``).
    package func enclosingCell(of box: GeoBox) -> UInt64? {
        guard box.xmin >= xmin, box.xmax <= xmax, box.ymin >= ymin, box.ymax <= ymax,
              let x0 = Self.index(box.xmin, xmin, xmax), let x1 = Self.index(box.xmax, xmin, xmax),
              let y0 = Self.index(box.ymin, ymin, ymax), let y1 = Self.index(box.ymax, ymin, ymax) else { return nil }
        var shift: UInt64 = 0
        while x0 >> shift != x1 >> shift || y0 >> shift != y1 >> shift { shift += 1 }
        return Self.morton((x0 >> shift) << shift, (y0 >> shift) << shift)
    }

    /// The first cells of the blocks that strictly enclose a part of `intervals` (as ``cellIntervals(covering:)``
    /// gives them) and start before it: a shape filed at such a block (``enclosingCell(of:)``) may meet the area
    /// though its key lies outside every interval. At most one per interval and level, sorted and unique.
    package func enclosingStarts(of intervals: [ClosedRange<UInt64>]) -> [UInt64] {
        var starts = Set<UInt64>()
        for interval in intervals {
            // A block of level k spans 4^k cells: its first cell has the 2k lowest bits clear.
            var bits: UInt64 = 2
            while bits <= 2 * UInt64(Self.bits) {
                let start = (interval.lowerBound >> bits) << bits
                if start < interval.lowerBound { starts.insert(start) }
                bits += 2
            }
        }
        return starts.sorted()
    }

    /// The cell numbers of the cells that meet any of `boxes` (bounds included; parts outside the frame are
    /// ignored), as sorted, disjoint, inclusive intervals: each box is cut along a grid coarse
    /// enough that it spans at most four blocks a side, each block one interval, adjacent ones merged.
    package func cellIntervals(covering boxes: [GeoBox]) -> [ClosedRange<UInt64>] {
        var ranges = [ClosedRange<UInt64>]()
        for box in boxes {
            guard box.xmax >= xmin, box.xmin <= xmax, box.ymax >= ymin, box.ymin <= ymax else { continue }
            // The box meets the frame: its clamped corners have cells.
            let x0 = Self.index(Swift.max(box.xmin, xmin), xmin, xmax)!
            let x1 = Self.index(Swift.min(box.xmax, xmax), xmin, xmax)!
            let y0 = Self.index(Swift.max(box.ymin, ymin), ymin, ymax)!
            let y1 = Self.index(Swift.min(box.ymax, ymax), ymin, ymax)!
            var shift: UInt64 = 0
            while (x1 >> shift) - (x0 >> shift) > 3 || (y1 >> shift) - (y0 >> shift) > 3 { shift += 1 }
            let mask = (UInt64(1) << shift) - 1
            for bx in (x0 >> shift)...(x1 >> shift) {
                for by in (y0 >> shift)...(y1 >> shift) {
                    ranges.append(Self.morton(bx << shift, by << shift)...Self.morton((bx << shift) | mask,
                                                                                        (by << shift) | mask))
                }
            }
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged = [ClosedRange<UInt64>]()
        for range in ranges {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...Swift.max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}
