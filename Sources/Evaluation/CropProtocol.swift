import Datasets

/// Counts behind the crop protocol's metrics for a set of images; additive.
public struct CropCounts: Sendable {
    public private(set) var images = 0
    var top1Cls = 0, top5Cls = 0, top1Loc = 0, top5Loc = 0, gtKnown = 0
    var fixed = [Int](repeating: 0, count: IoULevels.reported.count)

    mutating func add(top1: Bool, top5: Bool, gtKnownIoU: Double, predictedIoU: Double) {
        images += 1
        if top1 { top1Cls += 1 }
        if top5 { top5Cls += 1 }
        if gtKnownIoU >= 0.5 { gtKnown += 1 }
        if top1 && predictedIoU >= 0.5 { top1Loc += 1 }
        if top5 && predictedIoU >= 0.5 { top5Loc += 1 }
        for (i, level) in IoULevels.reported.enumerated() where gtKnownIoU >= level { fixed[i] += 1 }
    }

    public mutating func merge(_ other: CropCounts) {
        images += other.images
        top1Cls += other.top1Cls; top5Cls += other.top5Cls
        top1Loc += other.top1Loc; top5Loc += other.top5Loc; gtKnown += other.gtKnown
        fixed = zip(fixed, other.fixed).map(+)
    }
}

/// One test image for the crop protocol.
public struct CropSample {
    public var label: Int
    /// Class scores (softmax or logits; only their order matters) for Top-1/Top-5 classification.
    public var scores: [Float]
    /// The raw map that GT-known Loc and the fixed-threshold accuracies judge.
    public var map: ScoreMap
    /// The raw map for Top-1/Top-5 Loc when it differs (CAM: the top-1 predicted class); nil: `map`.
    public var predictedClassMap: ScoreMap?
    /// Ground-truth boxes in original-image pixels.
    public var boxes: [Box]
    public var imageSize: ImageSize

    public init(label: Int, scores: [Float], map: ScoreMap, predictedClassMap: ScoreMap? = nil,
                boxes: [Box], imageSize: ImageSize) {
        self.label = label; self.scores = scores; self.map = map; self.predictedClassMap = predictedClassMap
        self.boxes = boxes; self.imageSize = imageSize
    }
}

/// The crop protocol (BAS; the paper's tables): image resized to `resize`, centre crop `crop`; map
/// min-max normalized (+1e-5) and resized bilinearly to the crop; foreground = map > threshold;
/// the largest 8-connected component's box; IoU (+1 convention) with the mapped ground truth.
public struct CropProtocol: Sendable {
    public let threshold: Double
    public let resize: Int
    public let crop: Int
    public private(set) var total = CropCounts()
    public private(set) var perClass: [Int: CropCounts]?

    public init(threshold: Double, resize: Int = 256, crop: Int = 224, perClass: Bool = false) {
        self.threshold = threshold
        self.resize = resize
        self.crop = crop
        self.perClass = perClass ? [:] : nil
    }

    /// The predicted box for a raw map.
    public func box(for map: ScoreMap) throws -> PixelBox {
        try Contours.largestComponentBox(map.preparedForCropProtocol(size: crop), threshold: threshold)
    }

    public mutating func add(_ sample: CropSample) throws {
        let groundTruth = sample.boxes.map {
            $0.intoCenterCrop(from: sample.imageSize, resize: resize, crop: crop)
        }
        let gtKnownIoU = try box(for: sample.map).maxIoU(groundTruth)
        let predictedIoU = try sample.predictedClassMap.map { try box(for: $0).maxIoU(groundTruth) }
            ?? gtKnownIoU
        let ranked = Classification.ranking(sample.scores)
        let top1 = ranked.first == sample.label
        let top5 = ranked.prefix(5).contains(sample.label)
        total.add(top1: top1, top5: top5, gtKnownIoU: gtKnownIoU, predictedIoU: predictedIoU)
        if perClass != nil {
            perClass![sample.label, default: CropCounts()].add(top1: top1, top5: top5, gtKnownIoU: gtKnownIoU,
                                                               predictedIoU: predictedIoU)
        }
    }

    public mutating func merge(_ other: CropProtocol) {
        total.merge(other.total)
        if perClass != nil, let theirs = other.perClass {
            for (label, counts) in theirs { perClass![label, default: CropCounts()].merge(counts) }
        }
    }

    public var result: CropProtocolResult {
        var r = metrics(total)
        r.perClass = perClass.map { classes in
            Dictionary(uniqueKeysWithValues: classes.map { (String($0.key), metrics($0.value)) })
        }
        return r
    }

    private func metrics(_ c: CropCounts) -> CropProtocolResult {
        func percent(_ n: Int) -> Double { c.images == 0 ? 0 : Double(n) * 100 / Double(c.images) }
        let fixed = c.fixed.map(percent)
        return CropProtocolResult(
            images: c.images, top1Cls: percent(c.top1Cls), top5Cls: percent(c.top5Cls),
            top1Loc: percent(c.top1Loc), top5Loc: percent(c.top5Loc), gtKnownLoc: percent(c.gtKnown),
            threshold: threshold,
            boxaccFixed: BoxAccFixed(iou30: fixed[0], iou50: fixed[1], iou70: fixed[2],
                                     mean: fixed.reduce(0, +) / 3))
    }
}

/// Top-k classification from class scores.
public enum Classification {
    /// Class indices by decreasing score; equal scores keep index order.
    public static func ranking(_ scores: [Float]) -> [Int] {
        scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    }

    /// Whether `label` is among the `k` best-scored classes.
    public static func isInTop(_ k: Int, label: Int, scores: [Float]) -> Bool {
        ranking(scores).prefix(k).contains(label)
    }
}
