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
    /// no contour gives [0, 0, 0, 0]. Many thresholds share a cutoff (only 256 exist), so each
    /// distinct cutoff's contours are found once. The map must be normalized (checked; `name` is
    /// what the error calls it).
    public static func boxesAtThresholds(_ map: ScoreMap, thresholds: [Double],
                                         name: String? = nil) throws -> ThresholdBoxes {
        try map.requireNormalized(name: name)
        let m8 = map.quantized
        let peak = Double(m8.max() ?? 0)
        let cutoffs = thresholds.map { Int($0 * peak) }
        let distinct = Array(Set(cutoffs)).sorted()
        let found = try ImageRegions.contourRects(m8, height: map.height, width: map.width,
                                                  cutoffs: distinct)
        var largest: [Int: [PixelBox]] = [:], all: [Int: [PixelBox]] = [:]
        for (cutoff, rects) in zip(distinct, found) {
            largest[cutoff] = boxes(from: rects, allContours: false, width: map.width, height: map.height)
            all[cutoff] = boxes(from: rects, allContours: true, width: map.width, height: map.height)
        }
        return ThresholdBoxes(largest: cutoffs.map { largest[$0]! }, all: cutoffs.map { all[$0]! })
    }

    /// The boxes a user sees at one threshold (`wsol localize`): every contour of m8 > int(t * max(m8))
    /// (outer borders and holes, as MaxBoxAccV2 counts them) as [x, y, x + w, y + h) with exclusive
    /// right and bottom (no clipping), largest contour area first, each distinct box once.
    public static func contourBoxes(_ map: ScoreMap, threshold: Double) throws -> [PixelBox] {
        try map.requireNormalized(name: nil)
        let m8 = map.quantized
        let cutoff = Int(threshold * Double(m8.max() ?? 0))
        let rects = try ImageRegions.contourRects(m8, height: map.height, width: map.width,
                                                  cutoffs: [cutoff])[0]
        var seen = Set<PixelBox>()
        return rects.sorted { $0.twiceArea > $1.twiceArea }
            .map { PixelBox($0.x, $0.y, $0.x + $0.width, $0.y + $0.height) }
            .filter { seen.insert($0).inserted }
    }

    private static func boxes(from rects: [ContourRect], allContours: Bool,
                              width: Int, height: Int) -> [PixelBox] {
        guard var chosen = rects.first else { return [PixelBox(0, 0, 0, 0)] }
        if !allContours {
            for r in rects.dropFirst() where r.twiceArea > chosen.twiceArea { chosen = r }
        }
        return (allContours ? rects : [chosen]).map {
            PixelBox($0.x, $0.y, min($0.x + $0.width, width - 1), min($0.y + $0.height, height - 1))
        }
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
