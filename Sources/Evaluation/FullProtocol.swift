import Datasets

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
    public let interval: Double
    public let size: Int
    public let thresholds: [Double]
    public private(set) var total: FullBoxCounts
    /// Filled only when asked for at creation.
    public private(set) var perClass: [Int: FullBoxCounts]?
    /// A class's counts before its first image.
    private let empty: FullBoxCounts

    public init(interval: Double = 0.01, size: Int = 224, perClass: Bool = false) {
        self.interval = interval
        self.size = size
        thresholds = Thresholds.arange(step: interval)
        empty = FullBoxCounts(thresholdCount: thresholds.count, levelCount: IoULevels.reported.count)
        total = empty
        self.perClass = perClass ? [:] : nil
    }

    /// One image: a map already at size x size and normalized to [0, 1] (as wsolevaluation reads
    /// maps from files; checked, `name` is what an error calls it), ground-truth boxes in
    /// original-image pixels, scaled here as the protocol prescribes.
    public mutating func add(_ map: ScoreMap, boxes: [Box], imageSize: ImageSize, label: Int = 0,
                             name: String? = nil) throws {
        guard map.height == size && map.width == size else {
            throw EvaluationError.scoreMap(name, "is \(map.height)x\(map.width), expected \(size)x\(size)")
        }
        let groundTruth = boxes.map { $0.resized(from: imageSize, toWidth: size, toHeight: size) }
        let (bestLargest, bestAll) = try ContourSweep(map, thresholds: thresholds, name: name, order: .scan)
            .bestIoUs(groundTruth)
        total.add(bestLargest: bestLargest, bestAll: bestAll, levels: IoULevels.reported)
        if perClass != nil {
            perClass![label, default: empty].add(bestLargest: bestLargest, bestAll: bestAll,
                                                 levels: IoULevels.reported)
        }
    }

    /// One image from a raw map (any size, any range: a CAM), resized and normalized first.
    public mutating func add(raw map: ScoreMap, boxes: [Box], imageSize: ImageSize, label: Int = 0,
                             name: String? = nil) throws {
        try add(map.preparedForFullProtocol(size: size), boxes: boxes, imageSize: imageSize, label: label,
                name: name)
    }

    public mutating func merge(_ other: FullProtocolBoxes) {
        total.merge(other.total)
        if perClass != nil, let theirs = other.perClass {
            for (label, counts) in theirs { perClass![label, default: empty].merge(counts) }
        }
    }

    public var result: FullBoxMetrics { metrics(total) }

    /// The JSON-ready report, with the per-class breakdown when it was asked for.
    public var report: FullProtocolResult {
        var r = FullProtocolResult(interval: interval, images: total.images, boxes: result)
        r.perClass = perClass.map { classes in
            Dictionary(uniqueKeysWithValues: classes.map {
                (String($0.key), FullProtocolResult(interval: interval, images: $0.value.images,
                                                    boxes: metrics($0.value)))
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
        return FullBoxMetrics(images: counts.images, maxBoxAccV1: v1.accuracy,
                              maxBoxAccV1Threshold: v1.threshold,
                              maxBoxAccV2: MaxBoxAccV2(levels: v2.map(\.accuracy),
                                                       thresholds: v2.map(\.threshold)))
    }
}
