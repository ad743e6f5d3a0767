import Testing
import TestSupport
import Torch
@testable import Evaluation

/// The contour sweep's two shortcuts held to the plain path on stress maps (StressMaps): OpenCV on the
/// rectangle bounding each cutoff's foreground against OpenCV on the whole map, and the IoU sweep
/// FullProtocolBoxes accumulates against the box lists of Contours.boxesAtThresholds.
@Suite("Contour sweep shortcuts", .serialized)
struct ContourSweepTests {
    init() { configureTestRuntime }

    static let maps = StressMaps.all()

    /// Every cutoff a map can have (every interval's thresholds land on some of them), in OpenCV's
    /// order, rectangles and areas alike.
    @Test func croppedContoursAreTheWholeMapOnes() throws {
        for (name, map) in Self.maps {
            let m8 = map.quantized
            let cutoffs = Array(-1...256)
            func table(plain: Bool) throws -> ContourTable {
                try ImageRegions.contourTable(m8, height: map.height, width: map.width, cutoffs: cutoffs,
                                              plain: plain)
            }
            let fast = try table(plain: false), plain = try table(plain: true)
            guard fast != plain else { continue }
            let first = cutoffs.indices.first { c in
                fast.count(c) != plain.count(c)
                    || (0..<fast.count(c)).contains { fast.rect(c, $0) != plain.rect(c, $0) }
            }!
            Issue.record("\(name): contours differ from the whole map's at cutoff \(cutoffs[first])")
        }
    }

    /// Per threshold at intervals 0.01 and 0.001: the best IoU of the largest contour's box and of any
    /// contour's box, as the box lists give them.
    @Test func iouSweepMatchesTheBoxLists() throws {
        var rng = SeededGenerator(seed: 7)
        for (name, map) in Self.maps {
            let groundTruth = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                let x0 = Int.random(in: 0..<map.width, using: &rng)
                let y0 = Int.random(in: 0..<map.height, using: &rng)
                return PixelBox(x0, y0, Int.random(in: x0..<map.width, using: &rng),
                                Int.random(in: y0..<map.height, using: &rng))
            }
            for interval in [0.01, 0.001] {
                let thresholds = Thresholds.arange(step: interval)
                let lists = try Contours.boxesAtThresholds(map, thresholds: thresholds)
                func best(_ boxes: [[PixelBox]]) -> [Double] {
                    boxes.map { $0.map { $0.maxIoU(groundTruth) }.max()! }
                }
                let swept = try ContourSweep(map, thresholds: thresholds, name: nil).bestIoUs(groundTruth)
                #expect(swept.largest == best(lists.largest), "\(name) at \(interval), largest contour")
                #expect(swept.all == best(lists.all), "\(name) at \(interval), all contours")
            }
        }
    }
}
