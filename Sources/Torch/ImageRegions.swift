import CTorchBridge

/// A contour's bounding rectangle and twice its area (an exact integer), as OpenCV reports them.
public struct ContourRect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public var twiceArea: Int
    public init(x: Int, y: Int, width: Int, height: Int, twiceArea: Int) {
        self.x = x; self.y = y; self.width = width; self.height = height; self.twiceArea = twiceArea
    }
}

/// Every cutoff's contours in the bridge's flat layout, read in place: a sweep over many cutoffs and
/// thousands of tiny contours (score-maps at a fine interval) builds no array per cutoff or contour.
public struct ContourTable: Equatable, Sendable {
    /// Per cutoff the count n, then n records [x, y, w, h, twiceArea].
    private let flat: [Int32]
    /// Where each cutoff's first record starts in `flat`.
    private let starts: [Int]

    init(flat: [Int32], cutoffCount: Int) {
        var starts: [Int] = []
        starts.reserveCapacity(cutoffCount)
        var i = 0
        for _ in 0..<cutoffCount {
            starts.append(i + 1)
            i += 1 + 5 * Int(flat[i])
        }
        precondition(i == flat.count, "contour table of \(flat.count) values for \(cutoffCount) cutoffs")
        self.flat = flat
        self.starts = starts
    }

    public var cutoffCount: Int { starts.count }

    /// How many contours cutoff `c` has.
    public func count(_ c: Int) -> Int { Int(flat[starts[c] - 1]) }

    /// Contour `i` of cutoff `c`, in the table's order (OpenCV's, or the scan's for `borderTable`).
    public func rect(_ c: Int, _ i: Int) -> ContourRect {
        let k = starts[c] + 5 * i
        return ContourRect(x: Int(flat[k]), y: Int(flat[k + 1]), width: Int(flat[k + 2]),
                           height: Int(flat[k + 3]), twiceArea: Int(flat[k + 4]))
    }
}

/// An 8-connected component: its pixel count, bounding rectangle, and the row-major index of its
/// first pixel (so callers can break ties in raster order, whatever OpenCV's labelling does).
public struct ConnectedComponent: Equatable, Sendable {
    public var area: Int
    public var x: Int, y: Int, width: Int, height: Int
    public var firstPixel: Int
}

/// Regions of row-major uint8 maps (height * width bytes) through OpenCV: contours and connected
/// components, the primitives of box extraction.
public enum ImageRegions {
    /// For each cutoff c (clamped to Int32), the contours of the foreground (map8 > c) as OpenCV's
    /// findContours(RETR_TREE, CHAIN_APPROX_SIMPLE) returns them: outer borders and holes, in its order,
    /// each as boundingRect and 2 * contourArea. `plain` runs OpenCV on the whole map per cutoff rather
    /// than on the rectangle bounding its foreground (same results, slower: the reference for tests).
    public static func contourTable(_ map8: [UInt8], height: Int, width: Int, cutoffs: [Int],
                                    plain: Bool = false) throws -> ContourTable {
        try table(map8, height: height, width: width, cutoffs: cutoffs) {
            tb.contourRects($0, Int32(height), Int32(width), $1, $2, plain)
        }
    }

    /// `contourTable`'s contours, rectangles and areas found by border following without OpenCV's
    /// findContours (about twice as fast on maps with many tiny holes), listed in the order the raster
    /// scan meets them rather than OpenCV's: for sweeps that need no order.
    public static func borderTable(_ map8: [UInt8], height: Int, width: Int,
                                   cutoffs: [Int]) throws -> ContourTable {
        try table(map8, height: height, width: width, cutoffs: cutoffs) {
            tb.borderRects($0, Int32(height), Int32(width), $1, $2)
        }
    }

    /// The bridge call `call(map, cutoffs, cutoff count)` over the map and its cutoffs (clamped to
    /// Int32).
    private static func table(
        _ map8: [UInt8], height: Int, width: Int, cutoffs: [Int],
        call: (UnsafePointer<UInt8>?, UnsafePointer<Int32>?, Int32) -> tb.Int32VectorResult
    ) throws -> ContourTable {
        precondition(map8.count == height * width, "map of \(map8.count) bytes is not \(height) x \(width)")
        let cut = cutoffs.map { Int32(clamping: $0) }
        let flat = try map8.withUnsafeBufferPointer { m in
            try cut.withUnsafeBufferPointer { c in
                try check(call(m.baseAddress, c.baseAddress, Int32(c.count)))
            }
        }
        return ContourTable(flat: flat, cutoffCount: cutoffs.count)
    }

    /// `contourTable` as one array of rectangles per cutoff.
    public static func contourRects(_ map8: [UInt8], height: Int, width: Int,
                                    cutoffs: [Int]) throws -> [[ContourRect]] {
        let table = try contourTable(map8, height: height, width: width, cutoffs: cutoffs)
        return (0..<table.cutoffCount).map { c in (0..<table.count(c)).map { table.rect(c, $0) } }
    }

    /// The 8-connected components of (mask != 0), background excluded, in OpenCV's label order.
    public static func connectedComponents8(_ mask: [UInt8], height: Int,
                                            width: Int) throws -> [ConnectedComponent] {
        precondition(mask.count == height * width, "mask of \(mask.count) bytes is not \(height) x \(width)")
        let flat = try mask.withUnsafeBufferPointer {
            try check(tb.connectedComponents8($0.baseAddress, Int32(height), Int32(width)))
        }
        // Flat: per component [area, left, top, width, height, firstPixel].
        return stride(from: 0, to: flat.count, by: 6).map { start in
            let c = flat[start..<(start + 6)].map(Int.init)
            return ConnectedComponent(area: c[0], x: c[1], y: c[2], width: c[3], height: c[4],
                                      firstPixel: c[5])
        }
    }
}
