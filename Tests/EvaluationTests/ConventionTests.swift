import Datasets
import Foundation
import Testing
import TestSupport
@testable import Evaluation

/// Every convention of the evaluator pinned on tiny hand-made maps (the facts come from the
/// reference evaluators' definitions; the first three are quoted from wsolevaluation's tests). Boxes
/// come from `Contours.boxesAtThresholds`, the sweep FullProtocolBoxes accumulates from.
@Suite("Evaluation conventions on hand-made maps", .serialized)
struct ConventionTests {
    init() { configureTestRuntime }

    static let fourByFive = ScoreMap(height: 4, width: 5, values: [
        0, 0, 0, 0, 0,
        0, 0.4, 0.4, 0.4, 0.6,
        0, 0.4, 1, 0.8, 0.6,
        0, 0.4, 0.4, 0.4, 0.6,
    ])

    @Test func largestContourBoxesOfTheFourByFiveMap() throws {
        let boxes = try Contours.boxesAtThresholds(Self.fourByFive, thresholds: [0, 0.2, 0.4, 0.6, 0.8]).largest
        #expect(boxes == [[PixelBox(1, 1, 4, 3)], [PixelBox(1, 1, 4, 3)], [PixelBox(2, 1, 4, 3)], [PixelBox(2, 2, 4, 3)], [PixelBox(2, 2, 3, 3)]])
    }

    @Test func boxResizeMultipliesThenDividesThenTruncates() {
        let box = Box(x0: 1, y0: 2, x1: 4, y1: 3).resized(from: ImageSize(width: 10, height: 20), toWidth: 35, toHeight: 10)
        #expect(box == PixelBox(3, 1, 14, 1))
        // x * 224 / w, evaluated left to right as in wsolevaluation: 107 * 224 / 107 = 224 exactly,
        // where 107 * (224 / 107) would truncate to 223.
        let border = Box(x0: 0, y0: 0, x1: 107, y1: 107).resized(from: ImageSize(width: 107, height: 107), toWidth: 224, toHeight: 224)
        #expect(border == PixelBox(0, 0, 224, 224))
    }

    @Test func allZeroMapGivesTheEmptyBoxAtEveryThreshold() throws {
        let zero = ScoreMap(height: 6, width: 7, values: [Float](repeating: 0, count: 42))
        let thresholds = Thresholds.arange(step: 0.1)
        let boxes = try Contours.boxesAtThresholds(zero, thresholds: thresholds)
        let empty = [[PixelBox]](repeating: [PixelBox(0, 0, 0, 0)], count: thresholds.count)
        #expect(boxes.largest == empty && boxes.all == empty)
    }

    /// A 2-pixel-thick ring: RETR_TREE gives the outer border and the hole's border (the ring's
    /// inner pixels); the largest contour is the outer one.
    @Test func holeGivesOuterAndInnerBorders() throws {
        var values = [Float](repeating: 0, count: 81)
        for y in 1...7 { for x in 1...7 where !(3...5).contains(y) || !(3...5).contains(x) { values[y * 9 + x] = 1 } }
        let ring = ScoreMap(height: 9, width: 9, values: values)
        let boxes = try Contours.boxesAtThresholds(ring, thresholds: [0])
        #expect(boxes.all == [[PixelBox(1, 1, 8, 8), PixelBox(2, 2, 7, 7)]])
        #expect(boxes.largest == [[PixelBox(1, 1, 8, 8)]])
    }

    /// Two blobs: all contours give both boxes; the largest is the 3x3 one; at 0.6 the weaker blob
    /// (m8 127 <= int(0.6 * 255) = 153) drops out.
    @Test func twoBlobs() throws {
        var values = [Float](repeating: 0, count: 80)
        for y in 1...2 { for x in 1...2 { values[y * 10 + x] = 1 } }
        for y in 4...6 { for x in 5...7 { values[y * 10 + x] = 0.5 } }
        let map = ScoreMap(height: 8, width: 10, values: values)
        let boxes = try Contours.boxesAtThresholds(map, thresholds: [0, 0.6])
        #expect(boxes.all.map(Set.init) == [[PixelBox(5, 4, 8, 7), PixelBox(1, 1, 3, 3)], [PixelBox(1, 1, 3, 3)]])
        #expect(boxes.largest == [[PixelBox(5, 4, 8, 7)], [PixelBox(1, 1, 3, 3)]])
    }

    /// Equal areas: the first contour in OpenCV's order wins, as Python's max() picks (the expected
    /// box is the one cv2 + max() give in Tests/reference/evaluation.py).
    @Test func tiedContoursPickTheFirstListed() throws {
        let dir = try evaluationReference.get()
        let map = try ScoreMap(Reference.tensor(dir, "tie_map"))
        let expected = try Reference.load(dir, "tie_box").doubles().map { Int($0) }
        let boxes = try Contours.boxesAtThresholds(map, thresholds: [0])
        #expect(boxes.all[0].count == 2)
        #expect(boxes.largest[0].map(\.array) == [expected])
    }

    /// wsolevaluation's check_scoremap_validity runs where a map enters an accumulator, so a map
    /// outside [0, 1] or with NaN is an error naming it, never a crash in the uint8 conversion.
    @Test func mapsOutsideTheUnitRangeAreErrorsNamingTheMap() throws {
        let size = ImageSize(width: 10, height: 10)
        for (bad, what) in [(Float(1.01), "above 1"), (-0.01, "below 0"), (.nan, "NaN")] {
            var values = [Float](repeating: 0.5, count: 224 * 224)
            values[7] = bad
            let map = ScoreMap(height: 224, width: 224, values: values)
            var boxes = FullProtocolBoxes()
            #expect(throws: EvaluationError.self) { try boxes.add(map, boxes: [Box(x0: 0, y0: 0, x1: 5, y1: 5)], imageSize: size, name: "m.npy") }
            do {
                try boxes.add(map, boxes: [], imageSize: size, name: "m.npy")
            } catch let error as EvaluationError {
                #expect(error.message.hasPrefix("m.npy: score map") && error.message.contains(what), "\(error)")
            }
            #expect(boxes.total.images == 0)
            var pxap = PxAP()
            #expect(throws: EvaluationError.self) { try pxap.add(map, mask: [UInt8](repeating: 1, count: 224 * 224), name: "m.npy") }
            let wide = ScoreMap(height: 1, width: 2, float64: [0.5, Double(bad)])
            #expect(throws: EvaluationError.self) { try Contours.boxesAtThresholds(wide, thresholds: [0]) }
        }
    }

    @Test func iouUsesThePlusOneConventionAndHalfCounts() {
        #expect(PixelBox(2, 2, 2, 2).iou(PixelBox(2, 2, 2, 2)) == 1)
        #expect(PixelBox(0, 0, 1, 0).iou(PixelBox(0, 0, 0, 0)) == 0.5)
        #expect(PixelBox(0, 0, 9, 9).iou(PixelBox(10, 10, 20, 20)) == 0)
        #expect(PixelBox(0, 0, 9, 9).iou(PixelBox(9, 9, 20, 20)) == 1.0 / (100 + 144 - 1))
        var counts = FullBoxCounts(thresholdCount: 2, levelCount: 3)
        counts.add(bestLargest: [0.5, 0.5.nextDown], bestAll: [0.5, 0.7], levels: [0.3, 0.5, 0.7])
        #expect(counts.correctLargest == [1, 0])
        #expect(counts.correctAll == [[1, 1], [1, 1], [0, 1]])
    }

    @Test func thresholdsAreNumpyArangeExactly() throws {
        let dir = try evaluationReference.get()
        for step in [0.01, 0.001, 0.03] {
            let ours = Thresholds.arange(step: step)
            let numpy = try Reference.load(dir, "thresholds_\(step)").doubles()
            #expect(ours == numpy, "step \(step)")
        }
        #expect(Thresholds.arange(step: 0.01)[57] == 0.5700000000000001)
        #expect(Thresholds.arange(step: 0.01).count == 100)
        #expect(Thresholds.arange(step: 0.03).count == 34)
    }

    /// BAS's crop mapping: int(x * 256 / W) - 16, clipped to [0, 223].
    @Test func groundTruthIntoTheCenterCrop() {
        let box = Box(x0: 0, y0: 10, x1: 499.5, y1: 300).intoCenterCrop(from: ImageSize(width: 500, height: 300))
        #expect(box == PixelBox(0, 0, 223, 223))
        #expect(Box(x0: 100, y0: 60, x1: 200, y1: 150).intoCenterCrop(from: ImageSize(width: 400, height: 300)) == PixelBox(48, 35, 112, 112))
    }

    /// Largest 8-connected component: diagonal pixels join; [min_x, min_y, max_x + 1, max_y + 1];
    /// ties go to the component met first in raster order; nothing above threshold: the whole map.
    @Test func largestComponentBox() throws {
        var values = [Float](repeating: 0, count: 64)
        for (y, x) in [(1, 1), (2, 2), (3, 3)] { values[y * 8 + x] = 0.9 }  // diagonal: one component of 3
        for (y, x) in [(0, 6), (0, 7), (1, 6)] { values[y * 8 + x] = 0.9 }  // a tie, met first in raster order
        let map = ScoreMap(height: 8, width: 8, values: values)
        #expect(try Contours.largestComponentBox(map, threshold: 0.5) == PixelBox(6, 0, 8, 2))
        values[5 * 8 + 5] = 0.9; values[4 * 8 + 4] = 0.9  // the diagonal grows to 5
        #expect(try Contours.largestComponentBox(ScoreMap(height: 8, width: 8, values: values), threshold: 0.5) == PixelBox(1, 1, 6, 6))
        #expect(try Contours.largestComponentBox(map, threshold: 0.95) == PixelBox(0, 0, 8, 8))
        // float32 comparison: 0.1 as a float is above the double 0.1, so a value of Float(0.1) is not foreground.
        let edge = ScoreMap(height: 1, width: 2, values: [0.1, 0.2])
        #expect(try Contours.largestComponentBox(edge, threshold: 0.1) == PixelBox(1, 0, 2, 1))
    }

    @Test func pxapOnAHandMadeHistogram() throws {
        // Four scored pixels: foreground 0.9 and 0.4, background 0.6 and 0.1; one ignored pixel.
        var pxap = PxAP(interval: 0.5)  // edges 0, 0.5, 1, 2, 3
        try pxap.add(ScoreMap(height: 1, width: 5, values: [0.9, 0.4, 0.6, 0.1, 1]), mask: [1, 1, 0, 0, 255])
        #expect(pxap.foregroundHistogram == [1, 1, 0, 0])
        #expect(pxap.backgroundHistogram == [1, 1, 0, 0])
        // From the top: bins [2,3], [1,2) add nothing; [0.5,1): tp 1, fp 1 -> P 0.5, R 0.5; [0,0.5): P 0.5, R 1.
        #expect(try pxap.value() == 100 * (0.5 * 0.5 + 0.5 * 0.5))
        #expect(pxap.bin(1.0) == 2 && pxap.bin(0.5) == 1 && pxap.bin(3) == 3 && pxap.bin(0.5.nextDown) == 0)
        #expect(throws: EvaluationError.self) { try PxAP(interval: 0.5).value() }
    }
}
