import Torch

/// wsolevaluation's contours of one map at every threshold t: those of m8 > int(t * max(m8)) with
/// m8 = uint8(map * 255). Many thresholds share a cutoff (only 256 exist), so each distinct cutoff's
/// contours are found once; the conventions that turn them into boxes live here, for both the box
/// lists (`Contours.boxesAtThresholds`) and the IoU sweep FullProtocolBoxes runs on every map.
struct ContourSweep {
    let height: Int, width: Int
    /// The contours of each distinct cutoff, ascending.
    let table: ContourTable
    /// Per threshold, its cutoff's index in `table`.
    let cutoffIndex: [Int]

    /// The map must be normalized (checked; `name` is what the error calls it).
    init(_ map: ScoreMap, thresholds: [Double], name: String?) throws {
        let m8 = try map.normalizedQuantized(name: name)
        let peak = Double(m8.max() ?? 0)
        let cutoffs = thresholds.map { Int($0 * peak) }
        let distinct = Array(Set(cutoffs)).sorted()
        let position = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
        height = map.height
        width = map.width
        table = try ImageRegions.contourTable(m8, height: height, width: width, cutoffs: distinct)
        cutoffIndex = cutoffs.map { position[$0]! }
    }

    /// Contour `i` of cutoff `c` as [x, y, x + w, y + h], the right and bottom clipped to width - 1
    /// and height - 1.
    func box(_ c: Int, _ i: Int) -> PixelBox {
        let r = table.rect(c, i)
        return PixelBox(r.x, r.y, min(r.x + r.width, width - 1), min(r.y + r.height, height - 1))
    }

    /// The index of cutoff `c`'s largest contour by area, the first of equals (as Python's max
    /// picks); nil when it has none.
    func largestIndex(_ c: Int) -> Int? {
        let n = table.count(c)
        guard n > 0 else { return nil }
        var chosen = 0, area = table.rect(c, 0).twiceArea
        for i in 1..<n {
            let a = table.rect(c, i).twiceArea
            if a > area { chosen = i; area = a }
        }
        return chosen
    }

    /// The box of cutoff `c`'s largest contour; no contour gives [0, 0, 0, 0].
    func largestBox(_ c: Int) -> PixelBox { largestIndex(c).map { box(c, $0) } ?? PixelBox(0, 0, 0, 0) }

    /// Every contour's box of cutoff `c`, in OpenCV's order; no contour gives [[0, 0, 0, 0]].
    func boxes(_ c: Int) -> [PixelBox] {
        let n = table.count(c)
        return n == 0 ? [PixelBox(0, 0, 0, 0)] : (0..<n).map { box(c, $0) }
    }

    /// The best IoU with `groundTruth` of cutoff `c`'s largest contour (MaxBoxAcc) and of any of its
    /// contours (MaxBoxAccV2), without building its box list.
    func bestIoU(_ c: Int, _ groundTruth: [PixelBox]) -> (largest: Double, all: Double) {
        let largest = largestBox(c).maxIoU(groundTruth)
        let n = table.count(c)
        guard n > 0 else { return (largest, largest) }
        // As [Double].max() over the boxes' IoUs: the first value, replaced by any greater one.
        var all = box(c, 0).maxIoU(groundTruth)
        for i in 1..<n {
            let iou = box(c, i).maxIoU(groundTruth)
            if all < iou { all = iou }
        }
        return (largest, all)
    }

    /// Per threshold, `bestIoU` of its cutoff.
    func bestIoUs(_ groundTruth: [PixelBox]) -> (largest: [Double], all: [Double]) {
        let perCutoff = (0..<table.cutoffCount).map { bestIoU($0, groundTruth) }
        return (cutoffIndex.map { perCutoff[$0].largest }, cutoffIndex.map { perCutoff[$0].all })
    }
}
