import CTorchBridge

/// A contour's bounding rectangle and twice its area (an exact integer), as OpenCV reports them.
public struct ContourRect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public var twiceArea: Int
    public init(x: Int, y: Int, width: Int, height: Int, twiceArea: Int) {
        self.x = x; self.y = y; self.width = width; self.height = height; self.twiceArea = twiceArea
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
    /// each as boundingRect and 2 * contourArea.
    public static func contourRects(_ map8: [UInt8], height: Int, width: Int,
                                    cutoffs: [Int]) throws -> [[ContourRect]] {
        precondition(map8.count == height * width, "map of \(map8.count) bytes is not \(height) x \(width)")
        let cut = cutoffs.map { Int32(clamping: $0) }
        let flat = try map8.withUnsafeBufferPointer { m in
            try cut.withUnsafeBufferPointer { c in
                try check(tb.contourRects(m.baseAddress, Int32(height), Int32(width), c.baseAddress,
                                          Int32(c.count)))
            }
        }
        // Flat: per cutoff the count n, then n records [x, y, w, h, twiceArea].
        var out: [[ContourRect]] = []
        var i = 0
        for _ in cutoffs {
            let n = Int(flat[i]); i += 1
            var rects: [ContourRect] = []
            for _ in 0..<n {
                rects.append(ContourRect(x: Int(flat[i]), y: Int(flat[i + 1]), width: Int(flat[i + 2]),
                                         height: Int(flat[i + 3]), twiceArea: Int(flat[i + 4])))
                i += 5
            }
            out.append(rects)
        }
        return out
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
