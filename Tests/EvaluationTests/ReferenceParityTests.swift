import Foundation
import Testing
import TestSupport
import Torch
@testable import Evaluation

/// The reference outputs, generated once per test process (the script takes a few seconds).
let evaluationReference = Result { try Reference.run("evaluation.py") }

/// Our boxes and map preparation against OpenCV's Python binding running the reference conventions
/// (Tests/reference/wsoleval_ref.py) on random maps.
@Suite("Evaluation parity with OpenCV + numpy", .serialized)
struct ReferenceParityTests {
    init() { configureTestRuntime }

    /// Rows [threshold index, x0, y0, x1, y1] -> boxes per threshold.
    private func grouped(_ rows: NPYArray, thresholds: Int) -> [[PixelBox]] {
        let v = rows.doubles().map { Int($0) }
        var out = [[PixelBox]](repeating: [], count: thresholds)
        for r in stride(from: 0, to: v.count, by: 5) { out[v[r]].append(PixelBox(v[r + 1], v[r + 2], v[r + 3], v[r + 4])) }
        return out
    }

    @Test(arguments: 0..<12)
    func boxesMatchOpenCVOnRandomMaps(index: Int) throws {
        let dir = try evaluationReference.get()
        let array = try Reference.load(dir, "boxmap_\(index)")
        let map = ScoreMap(height: array.shape[0], width: array.shape[1], values: array.floats())
        let thresholds = Thresholds.arange(step: 0.01)
        let ours = try Contours.boxesAtThresholds(map, thresholds: thresholds)
        for (mode, boxes) in [("all", ours.all), ("largest", ours.largest)] {
            let expected = grouped(try Reference.load(dir, "boxes_\(mode)_\(index)"), thresholds: thresholds.count)
            #expect(boxes == expected, "map \(index) (\(map.height)x\(map.width)), \(mode) contours")
        }
    }

    /// A float64 map is quantized and binned in double, as numpy does; the reference map is built so
    /// that narrowing it to float32 would change both.
    @Test func float64MapsStayDouble() throws {
        let dir = try evaluationReference.get()
        let array = try Reference.load(dir, "map64")
        let map = ScoreMap(height: array.shape[0], width: array.shape[1], float64: array.doubles())
        let narrowed = ScoreMap(height: map.height, width: map.width, values: array.floats())
        #expect(try Reference.load(dir, "map64_differs_as_float32").doubles() == [1])
        #expect(map.quantized != narrowed.quantized)
        let thresholds = Thresholds.arange(step: 0.01)
        let ours = try Contours.boxesAtThresholds(map, thresholds: thresholds)
        for (mode, boxes) in [("all", ours.all), ("largest", ours.largest)] {
            #expect(boxes == grouped(try Reference.load(dir, "map64_boxes_\(mode)"), thresholds: thresholds.count), "\(mode) contours")
        }
        var pxap = PxAP(interval: 0.01)
        try pxap.add(map, mask: [UInt8](repeating: 1, count: map.values.count))
        #expect(pxap.foregroundHistogram == (try Reference.load(dir, "map64_histogram").doubles().map { Int($0) }))
    }

    @Test(arguments: 0..<6)
    func mapPreparationAndCropBoxesMatch(index: Int) throws {
        let dir = try evaluationReference.get()
        let raw = try ScoreMap(Reference.tensor(dir, "raw_\(index)"))
        let full = try raw.preparedForFullProtocol()
        let fullRef = try Reference.load(dir, "full_prep_\(index)")
        #expect(relativeError(full.values, fullRef.doubles()) < 1e-6)
        let crop = try raw.preparedForCropProtocol()
        let cropRef = try Reference.load(dir, "crop_prep_\(index)")
        #expect(relativeError(crop.values, cropRef.doubles()) < 1e-6)
        // Boxes on the reference's own prepared map, so a last-bit resize difference cannot flip a pixel.
        let refMap = ScoreMap(height: 224, width: 224, values: cropRef.floats())
        let expected = try Reference.load(dir, "crop_box_\(index)").doubles().map { Int($0) }
        for (k, threshold) in [0.1, 0.25, 0.45, 0.7].enumerated() {
            let box = try Contours.largestComponentBox(refMap, threshold: threshold)
            #expect(box.array == Array(expected[(k * 4)..<(k * 4 + 4)]), "map \(index) threshold \(threshold)")
        }
    }

    @Test func constantMapPreparesToZeros() throws {
        let flat = ScoreMap(height: 3, width: 3, values: [Float](repeating: 2, count: 9))
        #expect(try flat.preparedForFullProtocol(size: 5).values == [Double](repeating: 0, count: 25))
    }
}
