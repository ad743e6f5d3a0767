import Datasets
import Foundation
import Testing
import TestSupport
@testable import Evaluation

/// The crop protocol's bookkeeping on maps whose boxes are known by construction: 224x224 maps (the
/// bilinear resize to 224 is then the identity) holding one square block.
@Suite("Crop protocol metrics", .serialized)
struct CropProtocolTests {
    init() { configureTestRuntime }

    /// A 224x224 map that is 1 on [x0, x1) x [y0, y1) and 0 elsewhere.
    private func block(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> ScoreMap {
        var v = [Float](repeating: 0, count: 224 * 224)
        for y in y0..<y1 { for x in x0..<x1 { v[y * 224 + x] = 1 } }
        return ScoreMap(height: 224, width: 224, values: v)
    }

    /// Scores ranking `label` at position `rank` (0 = top-1) among 10 classes.
    private func scores(label: Int, rank: Int) -> [Float] {
        var order = Array(0..<10).filter { $0 != label }
        order.insert(label, at: rank)
        var s = [Float](repeating: 0, count: 10)
        for (position, c) in order.enumerated() { s[c] = Float(10 - position) }
        return s
    }

    private func sample(label: Int, rank: Int, map: ScoreMap, predicted: ScoreMap? = nil, box: Box) -> CropSample {
        // A 256x256 image: crop coordinates are x - 16.
        CropSample(label: label, scores: scores(label: label, rank: rank), map: map, predictedClassMap: predicted,
                   boxes: [box], imageSize: ImageSize(width: 256, height: 256))
    }

    @Test func metricsFollowTheirDefinitions() throws {
        var crop = CropProtocol(threshold: 0.5, perClass: true)
        let map = block(50, 50, 100, 100)  // box [50, 50, 100, 100]
        #expect(try crop.box(for: map) == PixelBox(50, 50, 100, 100))
        let exact = Box(x0: 66, y0: 66, x1: 116, y1: 116)  // -> [50, 50, 100, 100], IoU 1
        // 1: top-1 right, IoU 1.  2: label ranked third, IoU 1.  3: top-1 right, IoU 1071/2601 ~ 0.41.
        // 4 (CAM): top-1 right, the GT map fits, the predicted-class map is elsewhere.
        try crop.add(sample(label: 0, rank: 0, map: map, box: exact))
        try crop.add(sample(label: 1, rank: 2, map: map, box: exact))
        try crop.add(sample(label: 2, rank: 0, map: map, box: Box(x0: 66, y0: 66, x1: 116, y1: 86)))
        try crop.add(sample(label: 0, rank: 0, map: map, predicted: block(150, 150, 200, 200), box: exact))
        let r = crop.result
        #expect(r.images == 4)
        #expect(r.top1Cls == 75 && r.top5Cls == 100)
        #expect(r.gtKnownLoc == 75 && r.top1Loc == 25 && r.top5Loc == 50)
        #expect(r.boxaccFixed == BoxAccFixed(iou30: 100, iou50: 75, iou70: 75, mean: 250.0 / 3))
        #expect(r.threshold == 0.5)
        #expect(r.perClass?["0"]?.images == 2 && r.perClass?["0"]?.top1Loc == 50)
        #expect(r.perClass?["2"]?.gtKnownLoc == 0 && r.perClass?["2"]?.boxaccFixed.iou30 == 100)
    }

    /// The full protocol's per-class breakdown, from raw maps and boxes in image pixels: a 14x14 map
    /// with a block covers the matching quarter of a 448x448 image.
    @Test func fullProtocolPerClassBreakdown() throws {
        var full = FullProtocolBoxes(interval: 0.1, perClass: true)
        var values = [Float](repeating: 0, count: 196)
        for y in 0..<7 { for x in 0..<7 { values[y * 14 + x] = 1 } }
        let raw = ScoreMap(height: 14, width: 14, values: values)
        let image = ImageSize(width: 448, height: 448)
        try full.add(raw: raw, boxes: [Box(x0: 0, y0: 0, x1: 224, y1: 224)], imageSize: image, label: 3)
        try full.add(raw: raw, boxes: [Box(x0: 224, y0: 224, x1: 447, y1: 447)], imageSize: image, label: 5)
        let report = full.report
        #expect(report.images == 2 && report.maxboxaccV1 == 50 && report.maxboxaccV2?.iou50 == 50)
        #expect(report.perClass?["3"]?.maxboxaccV1 == 100 && report.perClass?["5"]?.maxboxaccV1 == 0)
        #expect(report.perClass?["3"]?.maxboxaccV2?.iou70 == 100)
    }

    @Test func emptyMapFallsBackToTheWholeCrop() throws {
        let crop = CropProtocol(threshold: 0.5)
        #expect(try crop.box(for: ScoreMap(height: 14, width: 14, values: [Float](repeating: 0, count: 196))) == PixelBox(0, 0, 224, 224))
    }

    @Test func classificationRankingKeepsIndexOrderOnTies() {
        #expect(Classification.ranking([1, 3, 3, 0]) == [1, 2, 0, 3])
        #expect(Classification.isInTop(2, label: 2, scores: [1, 3, 3, 0]))
        #expect(!Classification.isInTop(1, label: 2, scores: [1, 3, 3, 0]))
    }

    @Test func jsonKeysAreTheDocumentedOnes() throws {
        var crop = CropProtocol(threshold: 0.1)
        try crop.add(CropSample(label: 0, scores: [1, 0], map: block(0, 0, 10, 10), boxes: [Box(x0: 0, y0: 0, x1: 30, y1: 30)],
                                imageSize: ImageSize(width: 256, height: 256)))
        let object = try JSONSerialization.jsonObject(with: Data(EvaluationJSON.encode(crop.result).utf8)) as? [String: Any]
        #expect(Set(object?.keys ?? [:].keys) == ["images", "top1_cls", "top5_cls", "top1_loc", "top5_loc", "gt_known_loc", "threshold", "boxacc_fixed"])
        #expect(Set((object?["boxacc_fixed"] as? [String: Any])?.keys ?? [:].keys) == ["iou30", "iou50", "iou70", "mean"])
    }
}
