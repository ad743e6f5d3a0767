import Torch

/// Per threshold, the boxes of wsolevaluation's sweep: the largest contour's (MaxBoxAcc) and every
/// contour's (MaxBoxAccV2).
public struct ThresholdBoxes: Equatable, Sendable {
    public var largest: [[PixelBox]]
    public var all: [[PixelBox]]
}

/// Box extraction from score maps through OpenCV (wsolevaluation's and BAS's conventions).
public enum Contours {
    /// wsolevaluation's boxes at every threshold t: the contours of m8 > int(t * max(m8)) with
    /// m8 = uint8(map * 255), each as [x, y, x + w, y + h] with the right and bottom clipped to
    /// width - 1 and height - 1; the largest by area is the first of equals (as Python's max picks);
    /// no contour gives [0, 0, 0, 0] (ContourSweep). The map must be normalized (checked; `name` is
    /// what the error calls it).
    public static func boxesAtThresholds(_ map: ScoreMap, thresholds: [Double],
                                         name: String? = nil) throws -> ThresholdBoxes {
        let sweep = try ContourSweep(map, thresholds: thresholds, name: name, order: .openCV)
        let cutoffs = 0..<sweep.table.cutoffCount
        let largest = try cutoffs.map { [try sweep.largestBox($0)] }, all = cutoffs.map(sweep.boxes)
        return ThresholdBoxes(largest: sweep.cutoffIndex.map { largest[$0] },
                              all: sweep.cutoffIndex.map { all[$0] })
    }

    /// The boxes a user sees at one threshold (`wsol localize`): every contour of m8 > int(t * max(m8))
    /// (outer borders and holes, as MaxBoxAccV2 counts them) as [x, y, x + w, y + h) with exclusive
    /// right and bottom (no clipping), largest contour area first, each distinct box once.
    public static func contourBoxes(_ map: ScoreMap, threshold: Double) throws -> [PixelBox] {
        let m8 = try map.normalizedQuantized(name: nil)
        let cutoff = Int(threshold * Double(m8.max() ?? 0))
        let rects = try ImageRegions.contourRects(m8, height: map.height, width: map.width,
                                                  cutoffs: [cutoff])[0]
        var seen = Set<PixelBox>()
        return rects.sorted { $0.twiceArea > $1.twiceArea }
            .map { PixelBox($0.x, $0.y, $0.x + $0.width, $0.y + $0.height) }
            .filter { seen.insert($0).inserted }
    }

    /// BAS's crop-protocol box: foreground = map > threshold (compared in the map's precision); the
    /// largest 8-connected component (ties: the one whose first pixel comes first in raster order) as
    /// [min_x, min_y, max_x + 1, max_y + 1]; no component gives the whole map [0, 0, width, height].
    public static func largestComponentBox(_ map: ScoreMap, threshold: Double) throws -> PixelBox {
        let mask = map.above(threshold).map { $0 ? UInt8(1) : 0 }
        let components = try ImageRegions.connectedComponents8(mask, height: map.height, width: map.width)
        var best: (area: Int, first: Int, box: PixelBox)?
        for c in components {
            let candidate = (area: c.area, first: c.firstPixel,
                             box: PixelBox(c.x, c.y, c.x + c.width, c.y + c.height))
            if let current = best, current.area > candidate.area
                                   || (current.area == candidate.area && current.first < candidate.first) {
                continue
            }
            best = candidate
        }
        return best?.box ?? PixelBox(0, 0, map.width, map.height)
    }
}
