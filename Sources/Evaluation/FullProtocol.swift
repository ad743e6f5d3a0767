/// Counts behind MaxBoxAcc (v1) and MaxBoxAccV2 for a set of images; additive, so per-class and
/// per-worker counts merge.
public struct FullBoxCounts: Sendable {
    public private(set) var images = 0
    /// Images correct at IoU >= 0.5 with the largest contour, per threshold (v1).
    public private(set) var correctLargest: [Int]
    /// Images correct with all contours, per IoU level then per threshold (v2).
    public private(set) var correctAll: [[Int]]

    init(thresholdCount: Int, levelCount: Int) {
        correctLargest = [Int](repeating: 0, count: thresholdCount)
        correctAll = [[Int]](repeating: [Int](repeating: 0, count: thresholdCount), count: levelCount)
    }

    mutating func add(bestLargest: [Double], bestAll: [Double], levels: [Double]) {
        images += 1
        for (i, iou) in bestLargest.enumerated() where iou >= 0.5 { correctLargest[i] += 1 }
        for (l, level) in levels.enumerated() {
            for (i, iou) in bestAll.enumerated() where iou >= level { correctAll[l][i] += 1 }
        }
    }

    public mutating func merge(_ other: FullBoxCounts) {
        images += other.images
        correctLargest = zip(correctLargest, other.correctLargest).map(+)
        correctAll = zip(correctAll, other.correctAll).map { zip($0, $1).map(+) }
    }
}

/// The full-image protocol's box metrics (wsolevaluation, "Evaluating WSOL Right"): maps for the
/// ground-truth class at size x size, thresholds numpy.arange(0, 1, interval), the best threshold
/// chosen per metric over the whole set.
public struct FullProtocolBoxes: Sendable {
    public static let iouLevels = [30, 50, 70]
    public let interval: Double
    public let size: Int
    public let thresholds: [Double]
    public private(set) var total: FullBoxCounts
    /// Filled only when asked for at creation.
    public private(set) var perClass: [Int: FullBoxCounts]?
    private let levels = FullProtocolBoxes.iouLevels.map { Double($0) / 100 }

    public init(interval: Double = 0.01, size: Int = 224, perClass: Bool = false) {
        self.interval = interval
        self.size = size
        thresholds = Thresholds.arange(step: interval)
        total = FullBoxCounts(thresholdCount: thresholds.count, levelCount: Self.iouLevels.count)
        self.perClass = perClass ? [:] : nil
    }

    /// A map already at size x size and normalized to [0, 1] (as wsolevaluation reads them), with
    /// ground-truth boxes already in map coordinates.
    public mutating func add(_ map: ScoreMap, groundTruth: [Box], label: Int = 0) throws {
        precondition(map.height == size && map.width == size, "full-protocol maps are \(size)x\(size)")
        let sweep = try Contours.sweep(map, thresholds: thresholds)
        func best(_ allContours: Bool) -> [Double] {
            let perCutoff = sweep.distinct.map { rects in
                Contours.boxes(from: rects, allContours: allContours, width: size, height: size)
                    .map { $0.maxIoU(groundTruth) }.max() ?? 0
            }
            return sweep.cutoffIndex.map { perCutoff[$0] }
        }
        let bestLargest = best(false)
        let bestAll = best(true)
        total.add(bestLargest: bestLargest, bestAll: bestAll, levels: levels)
        if perClass != nil {
            let empty = emptyCounts
            perClass![label, default: empty].add(bestLargest: bestLargest, bestAll: bestAll, levels: levels)
        }
    }

    /// A raw map (any size) and boxes in original-image pixels: the map is resized and normalized,
    /// the boxes scaled, as the protocol prescribes.
    public mutating func add(raw map: ScoreMap, boxes: [SourceBox], imageWidth: Int, imageHeight: Int, label: Int = 0) throws {
        let groundTruth = boxes.map { $0.resized(imageWidth: imageWidth, imageHeight: imageHeight, toWidth: size, toHeight: size) }
        try add(map.preparedForFullProtocol(size: size), groundTruth: groundTruth, label: label)
    }

    public mutating func merge(_ other: FullProtocolBoxes) {
        total.merge(other.total)
        if perClass != nil, let theirs = other.perClass {
            let empty = emptyCounts
            for (label, counts) in theirs { perClass![label, default: empty].merge(counts) }
        }
    }

    private var emptyCounts: FullBoxCounts {
        FullBoxCounts(thresholdCount: thresholds.count, levelCount: Self.iouLevels.count)
    }

    public var result: FullBoxMetrics { metrics(total) }

    /// The JSON-ready report, with the per-class breakdown when it was asked for.
    public var report: FullProtocolResult {
        var r = FullProtocolResult(interval: interval, images: total.images, boxes: result)
        r.perClass = perClass.map { classes in
            Dictionary(uniqueKeysWithValues: classes.map {
                (String($0.key), FullProtocolResult(interval: interval, images: $0.value.images, boxes: metrics($0.value)))
            })
        }
        return r
    }

    /// Accuracy (%) at the best threshold: the first threshold reaching the maximum, as numpy's argmax.
    private func best(_ correct: [Int], images: Int) -> (accuracy: Double, threshold: Double) {
        var bestIndex = 0
        for (i, c) in correct.enumerated() where c > correct[bestIndex] { bestIndex = i }
        let accuracy = images == 0 ? 0 : Double(correct[bestIndex]) * 100 / Double(images)
        return (accuracy, thresholds[bestIndex])
    }

    private func metrics(_ counts: FullBoxCounts) -> FullBoxMetrics {
        let v1 = best(counts.correctLargest, images: counts.images)
        let v2 = counts.correctAll.map { best($0, images: counts.images) }
        return FullBoxMetrics(images: counts.images, maxBoxAccV1: v1.accuracy, maxBoxAccV1Threshold: v1.threshold,
                              maxBoxAccV2: MaxBoxAccV2(levels: v2.map(\.accuracy), thresholds: v2.map(\.threshold)))
    }
}
