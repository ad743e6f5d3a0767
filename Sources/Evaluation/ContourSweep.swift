import Torch

/// wsolevaluation's contours of one map at every threshold t: those of m8 > int(t * max(m8)) with
/// m8 = uint8(map * 255). Many thresholds share a cutoff (only 256 exist), so each distinct cutoff's
/// contours are found once; the conventions that turn them into boxes live here, for both the box
/// lists (`Contours.boxesAtThresholds`) and the IoU sweep FullProtocolBoxes runs on every map.
struct ContourSweep {
    /// The order a sweep lists each cutoff's contours in. `openCV`: findContours's, for box lists
    /// (compared and drawn in that order). `scan`: border following's, for the IoU sweep, about twice
    /// as fast; its maximum over all contours needs no order, and the largest contour, when contours
    /// of equal area differ, is taken from findContours's list for that cutoff.
    enum Order { case openCV, scan }

    let height: Int, width: Int
    let order: Order
    /// The contours of each distinct cutoff, ascending.
    let table: ContourTable
    /// Per threshold, its cutoff's index in `table`.
    let cutoffIndex: [Int]
    private let m8: [UInt8]
    private let cutoffs: [Int]

    /// The map must be normalized (checked; `name` is what the error calls it).
    init(_ map: ScoreMap, thresholds: [Double], name: String?, order: Order) throws {
        m8 = try map.normalizedQuantized(name: name)
        let peak = Double(m8.max() ?? 0)
        let perThreshold = thresholds.map { Int($0 * peak) }
        cutoffs = Array(Set(perThreshold)).sorted()
        let position = Dictionary(uniqueKeysWithValues: cutoffs.enumerated().map { ($1, $0) })
        height = map.height
        width = map.width
        self.order = order
        switch order {
        case .openCV: table = try ImageRegions.contourTable(m8, height: height, width: width,
                                                            cutoffs: cutoffs)
        case .scan: table = try ImageRegions.borderTable(m8, height: height, width: width, cutoffs: cutoffs)
        }
        cutoffIndex = perThreshold.map { position[$0]! }
    }

    /// A contour as [x, y, x + w, y + h], the right and bottom clipped to width - 1 and height - 1.
    func box(_ r: ContourRect) -> PixelBox {
        PixelBox(r.x, r.y, min(r.x + r.width, width - 1), min(r.y + r.height, height - 1))
    }

    /// The box of cutoff `c`'s largest contour by area, the first of equals in OpenCV's order (as
    /// Python's max picks); no contour gives [0, 0, 0, 0].
    func largestBox(_ c: Int) throws -> PixelBox {
        guard let found = Self.largest(in: table, c) else { return PixelBox(0, 0, 0, 0) }
        guard order == .scan && found.tied else { return box(table.rect(c, found.index)) }
        let listed = try ImageRegions.contourTable(m8, height: height, width: width, cutoffs: [cutoffs[c]])
        return box(listed.rect(0, Self.largest(in: listed, 0)!.index))
    }

    /// The first contour of the largest area in `table`'s order, and whether another of that area has
    /// a different rectangle (so that the order decides); nil when cutoff `c` has none.
    private static func largest(in table: ContourTable, _ c: Int) -> (index: Int, tied: Bool)? {
        let n = table.count(c)
        guard n > 0 else { return nil }
        var chosen = table.rect(c, 0), index = 0, tied = false
        for i in 1..<n {
            let r = table.rect(c, i)
            if r.twiceArea > chosen.twiceArea {
                chosen = r; index = i; tied = false
            } else if r.twiceArea == chosen.twiceArea && r != chosen {
                tied = true
            }
        }
        return (index, tied)
    }

    /// Every contour's box of cutoff `c`, in the sweep's order; no contour gives [[0, 0, 0, 0]].
    func boxes(_ c: Int) -> [PixelBox] {
        let n = table.count(c)
        return n == 0 ? [PixelBox(0, 0, 0, 0)] : (0..<n).map { box(table.rect(c, $0)) }
    }

    /// The best IoU with `groundTruth` of cutoff `c`'s largest contour (MaxBoxAcc) and of any of its
    /// contours (MaxBoxAccV2), without building its box list.
    func bestIoU(_ c: Int, _ groundTruth: [PixelBox]) throws -> (largest: Double, all: Double) {
        let largest = try largestBox(c).maxIoU(groundTruth)
        let n = table.count(c)
        guard n > 0 else { return (largest, largest) }
        // As [Double].max() over the boxes' IoUs (the same in any order: an IoU is never NaN for the
        // readers' boxes, whose corners are ordered).
        var all = box(table.rect(c, 0)).maxIoU(groundTruth)
        for i in 1..<n {
            let iou = box(table.rect(c, i)).maxIoU(groundTruth)
            if all < iou { all = iou }
        }
        return (largest, all)
    }

    /// Per threshold, `bestIoU` of its cutoff.
    func bestIoUs(_ groundTruth: [PixelBox]) throws -> (largest: [Double], all: [Double]) {
        let perCutoff = try (0..<table.cutoffCount).map { try bestIoU($0, groundTruth) }
        return (cutoffIndex.map { perCutoff[$0].largest }, cutoffIndex.map { perCutoff[$0].all })
    }
}
