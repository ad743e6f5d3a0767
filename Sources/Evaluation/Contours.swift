import CTorchBridge
import Torch

/// A contour's bounding rectangle and twice its area (an exact integer), as OpenCV reports them.
struct ContourRect: Equatable, Sendable {
    var x: Int, y: Int, width: Int, height: Int
    var twiceArea: Int
}

/// Per threshold, the boxes of wsolevaluation's sweep: the largest contour's (MaxBoxAcc) and every
/// contour's (MaxBoxAccV2).
public struct ThresholdBoxes: Equatable, Sendable {
    public var largest: [[PixelBox]]
    public var all: [[PixelBox]]
}

/// Box extraction from score maps through OpenCV (wsolevaluation's and BAS's conventions).
public enum Contours {
    /// For each cutoff c, the contours of the foreground (m8 > c), outer borders and holes, in the
    /// order OpenCV's findContours(RETR_TREE) returns them.
    static func rects(map8: [UInt8], height: Int, width: Int, cutoffs: [Int]) throws -> [[ContourRect]] {
        let cut = cutoffs.map { Int32(clamping: $0) }
        let result = map8.withUnsafeBufferPointer { m in
            cut.withUnsafeBufferPointer { c in
                tb.contourRects(m.baseAddress, Int32(height), Int32(width), c.baseAddress, Int32(c.count))
            }
        }
        if result.failed { throw TorchError(String(result.error)) }
        let flat = Array(result.value)
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
        let found = try rects(map8: m8, height: map.height, width: map.width, cutoffs: distinct)
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
        let rects = try rects(map8: m8, height: map.height, width: map.width, cutoffs: [cutoff])[0]
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
        let result = mask.withUnsafeBufferPointer {
            tb.connectedComponents8($0.baseAddress, Int32(map.height), Int32(map.width))
        }
        if result.failed { throw TorchError(String(result.error)) }
        let flat = Array(result.value)
        var best: (area: Int, first: Int, box: PixelBox)?
        for start in stride(from: 0, to: flat.count, by: 6) {
            let c = flat[start..<(start + 6)].map(Int.init)
            let candidate = (area: c[0], first: c[5], box: PixelBox(c[1], c[2], c[1] + c[3], c[2] + c[4]))
            if let current = best, current.area > candidate.area
                                   || (current.area == candidate.area && current.first < candidate.first) {
                continue
            }
            best = candidate
        }
        return best?.box ?? PixelBox(0, 0, map.width, map.height)
    }
}
