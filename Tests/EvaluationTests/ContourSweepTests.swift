import Testing
import TestSupport
import Torch
@testable import Evaluation

/// The contour sweep's shortcuts held to the plain path on stress maps (StressMaps): OpenCV on the
/// rectangle bounding each cutoff's foreground, and border following without OpenCV, against OpenCV on
/// the whole map; the IoU sweep FullProtocolBoxes accumulates against the box lists of
/// Contours.boxesAtThresholds.
@Suite("Contour sweep shortcuts", .serialized)
struct ContourSweepTests {
    init() { configureTestRuntime }

    static let maps = StressMaps.all()
    /// Every cutoff a map can have (every interval's thresholds land on some of them), and two beyond.
    static let cutoffs = Array(-1...256)

    private func rects(_ table: ContourTable, _ c: Int) -> [ContourRect] {
        (0..<table.count(c)).map { table.rect(c, $0) }
    }

    /// Cutoff `c`'s records, sorted: border following lists the same ones in another order.
    private func sortedRects(_ table: ContourTable, _ c: Int) -> [ContourRect] {
        // Field by field: comparing tuples goes through the runtime's generic metadata in debug builds,
        // which made this test several times slower.
        rects(table, c).sorted { a, b in
            if a.x != b.x { return a.x < b.x }
            if a.y != b.y { return a.y < b.y }
            if a.width != b.width { return a.width < b.width }
            if a.height != b.height { return a.height < b.height }
            return a.twiceArea < b.twiceArea
        }
    }

    @Test func croppedAndFollowedContoursAreTheWholeMapOnes() throws {
        for (name, map) in Self.maps {
            let m8 = map.quantized
            func table(plain: Bool) throws -> ContourTable {
                try ImageRegions.contourTable(m8, height: map.height, width: map.width, cutoffs: Self.cutoffs,
                                              plain: plain)
            }
            let cropped = try table(plain: false), plain = try table(plain: true)
            let followed = try ImageRegions.borderTable(m8, height: map.height, width: map.width,
                                                        cutoffs: Self.cutoffs)
            for c in Self.cutoffs.indices {
                // In OpenCV's order, rectangles and areas alike.
                if rects(cropped, c) != rects(plain, c) {
                    Issue.record("\(name): cropped contours differ at cutoff \(Self.cutoffs[c])")
                    break
                }
                if sortedRects(followed, c) != sortedRects(plain, c) {
                    Issue.record("\(name): followed borders differ at cutoff \(Self.cutoffs[c])")
                    break
                }
            }
        }
    }

    /// Per threshold at intervals 0.01 and 0.001: the best IoU of the largest contour's box and of any
    /// contour's box, as the box lists in OpenCV's order give them.
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
                let swept = try ContourSweep(map, thresholds: thresholds, name: nil, order: .scan)
                    .bestIoUs(groundTruth)
                #expect(swept.largest == best(lists.largest), "\(name) at \(interval), largest contour")
                #expect(swept.all == best(lists.all), "\(name) at \(interval), all contours")
            }
        }
    }

    /// Two squares of equal area: border following meets the upper one first, findContours lists the
    /// lower one first (its tree lists siblings last met first), and the largest contour is OpenCV's.
    @Test func tiedLargestContoursAreBrokenInOpenCVsOrder() throws {
        var values = [Float](repeating: 0, count: 100)
        for (y0, x0) in [(1, 1), (6, 5)] {
            for y in y0..<(y0 + 2) { for x in x0..<(x0 + 2) { values[y * 10 + x] = 1 } }
        }
        let map = ScoreMap(height: 10, width: 10, values: values)
        let listed = try Contours.boxesAtThresholds(map, thresholds: [0]).largest[0][0]
        let followed = try ContourSweep(map, thresholds: [0], name: nil, order: .scan)
        #expect(followed.boxes(0).count == 2 && followed.boxes(0)[0] != listed)
        #expect(try followed.bestIoUs([listed]).largest == [1])
    }
}
