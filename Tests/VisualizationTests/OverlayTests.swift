import Evaluation
import Foundation
import Testing
import TestSupport
import Torch
@testable import Visualization

/// Pixels of an RGB [H, W, 3] image, read once.
struct Pixels {
    let width: Int, height: Int, bytes: [UInt8]
    init(_ image: Tensor) throws {
        height = image.shape[0]; width = image.shape[1]; bytes = try image.bytes()
    }
    subscript(x x: Int, y y: Int) -> RGB {
        let i = (y * width + x) * 3
        return RGB(bytes[i], bytes[i + 1], bytes[i + 2])
    }
}

func solidImage(height: Int, width: Int, _ color: RGB) throws -> Tensor {
    try Tensor(
        (0..<(height * width)).flatMap { _ in [color.r, color.g, color.b] }, shape: [height, width, 3])
}

@Suite("Overlay primitives", .serialized)
struct OverlayTests {
    init() { configureTestRuntime }

    /// A map that is 1 in its top-left quadrant: JET's red there, blue-ish elsewhere, in RGB order.
    @Test func quadrantMapIsRedInItsQuadrantAndBlueElsewhere() throws {
        var values = [Float](repeating: 0, count: 16 * 16)
        for y in 0..<8 { for x in 0..<8 { values[y * 16 + x] = 1 } }
        let map = try Tensor(values, shape: [16, 16])
        let image = try solidImage(height: 224, width: 224, RGB(0, 0, 0))
        let alone = try Pixels(Overlay.heatmap(map, on: image, alpha: 1))
        #expect(alone.width == 224 && alone.height == 224)
        for (x, y) in [(10, 10), (100, 5), (50, 100)] {
            let p = alone[x: x, y: y]
            #expect(p.r >= 120 && p.g < 10 && p.b < 10, "(\(x), \(y)) should be JET's red, got \(p)")
        }
        for (x, y) in [(200, 200), (130, 20), (20, 130)] {
            let p = alone[x: x, y: y]
            #expect(p.b >= 120 && p.r < 10 && p.g < 10, "(\(x), \(y)) should be JET's blue, got \(p)")
        }
        // Blending halves the heat over a black image.
        let blended = try Pixels(Overlay.heatmap(map, on: image))
        #expect(abs(Int(blended[x: 10, y: 10].r) - Int(alone[x: 10, y: 10].r) / 2) <= 1)
        #expect(blended[x: 200, y: 200].r == 0)
    }

    /// Exactly OpenCV's resize, colormap and blend, from Debian's cv2, on non-square images and small maps.
    @Test(arguments: ["map14", "map28"])
    func overlayMatchesOpenCVInPython(name: String) throws {
        let dir = try Reference.run("overlay.py")
        let image = try Reference.tensor(dir, "image")
        let ours = try Overlay.heatmap(try Reference.tensor(dir, name), on: image).bytes()
        let expected = try Reference.load(dir, "\(name)_overlay")
        #expect(expected.shape == [150, 200, 3])
        let worst = zip(ours, expected.doubles()).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(worst <= 1, "largest pixel difference from cv2: \(worst)")
    }

    @Test func boxesHaveTheirColourAndThickness() throws {
        let image = try solidImage(height: 100, width: 120, RGB(10, 10, 10))
        let drawn = try Pixels(
            Overlay.draw(
                [
                    DrawnBox(PixelBox(20, 30, 80, 70), color: .groundTruth, thickness: 1),
                    DrawnBox(PixelBox(5, 5, 50, 50), color: .predicted, thickness: 3),
                ],
                on: image))
        // Inclusive corners: the 1-pixel outline runs along x = 20 and x = 80, y = 30 and y = 70.
        for (x, y) in [(20, 30), (80, 70), (60, 30), (20, 60), (80, 55), (60, 70)] {
            #expect(drawn[x: x, y: y] == .groundTruth, "(\(x), \(y))")
        }
        #expect(drawn[x: 21, y: 60] == RGB(10, 10, 10))
        #expect(drawn[x: 60, y: 69] == RGB(10, 10, 10))
        // OpenCV's thickness 3 covers two pixels either side of the edge; later boxes draw over earlier.
        for (x, y) in [(3, 20), (5, 20), (7, 20), (30, 48), (30, 52), (20, 50), (50, 35)] {
            #expect(drawn[x: x, y: y] == .predicted, "(\(x), \(y))")
        }
        #expect(drawn[x: 2, y: 20] == RGB(10, 10, 10) && drawn[x: 8, y: 20] == RGB(10, 10, 10))
        #expect(try image.bytes().allSatisfy { $0 == 10 }, "the input image is left alone")
    }

    @Test func captionAddsAWhiteBandWithDarkTextBelow() throws {
        let image = try solidImage(height: 224, width: 224, RGB(0, 0, 255))
        let lines = ["001.Black_footed_Albatross/Black_Footed_Albatross_0046_18.jpg", "IoU 0.62"]
        let out = try Pixels(Overlay.caption(lines, under: image))
        #expect(out.width == 224 && out.height > 224 + 20 && out.height < 224 + 60)
        #expect(out[x: 100, y: 100] == RGB(0, 0, 255))
        var dark = 0, white = 0
        for y in 224..<out.height {
            for x in 0..<224 {
                let p = out[x: x, y: y]
                if p.r < 100 && p.g < 100 { dark += 1 } else if p == RGB(255, 255, 255) { white += 1 }
            }
        }
        #expect(dark > 100, "text pixels in the band: \(dark)")
        #expect(white > dark, "the band is mostly white")
        // A line far too long for the width still fits (smaller type, then cut), and odd text is harmless.
        let long = String(repeating: "Laysan_Albatross ", count: 40) + "\u{00e9}\u{4e2d}"
        #expect(try Overlay.caption([long, ""], under: image).shape[1] == 224)
        #expect(try Overlay.caption([String(repeating: "x", count: 1_000_000)], under: image).shape[1] == 224)
    }

    @Test func rowPutsImagesSideBySideWithAGap() throws {
        let a = try solidImage(height: 50, width: 30, RGB(255, 0, 0))
        let b = try solidImage(height: 40, width: 20, RGB(0, 0, 255))
        let row = try Pixels(Overlay.row([a, b], gap: 4))
        #expect(row.width == 54 && row.height == 50)
        #expect(row[x: 29, y: 49] == RGB(255, 0, 0))
        #expect(row[x: 31, y: 10] == RGB(255, 255, 255))
        #expect(row[x: 34, y: 39] == RGB(0, 0, 255))
        #expect(row[x: 40, y: 45] == RGB(255, 255, 255), "below the shorter image: background")
    }

    @Test func panelShowsImageAndEachMapWithTheLargestPredictedBoxThicker() throws {
        let image = try solidImage(height: 224, width: 224, RGB(128, 128, 128))
        let map = try Tensor([Float](repeating: 0.5, count: 28 * 28), shape: [28, 28])
        let input = PanelInput(
            image: image, maps: [PanelMap("map", map), PanelMap("Mf1", map), PanelMap("Mf2", map)],
            groundTruth: [PixelBox(100, 100, 200, 200)],
            predicted: [PixelBox(10, 150, 40, 180), PixelBox(60, 60, 180, 180)],
            caption: ["image", "class"])
        let panel = try Panel.render(input)
        #expect(panel.tiles.shape == [224, 4 * 224 + 3 * 4, 3])
        #expect(panel.full.shape[1] == panel.tiles.shape[1] && panel.full.shape[0] > 224)
        let p = try Pixels(panel.tiles)
        let mapTile = 224 + 4
        #expect(p[x: 150, y: 100] == .groundTruth, "ground truth on the image tile")
        #expect(p[x: mapTile + 150, y: 200] == .groundTruth, "ground truth on the map tile")
        // Largest predicted box: 3 pixels wide; the other: 1 pixel.
        #expect(p[x: mapTile + 59, y: 120] == .predicted && p[x: mapTile + 61, y: 120] == .predicted)
        #expect(p[x: mapTile + 10, y: 165] == .predicted && p[x: mapTile + 11, y: 165] != .predicted)
        #expect(p[x: 2 * mapTile + 150, y: 200] != .groundTruth, "no boxes on the extra maps")
        #expect(p[x: 2 * mapTile + 2, y: 4] == RGB(20, 20, 20), "each tile is labelled")
    }

    @Test func badInputsAreErrorsNotCrashes() throws {
        let image = try solidImage(height: 10, width: 10, RGB(0, 0, 0))
        let map = try Tensor([Float](repeating: 0, count: 4), shape: [2, 2])
        #expect(throws: TorchError.self) {
            try Overlay.heatmap(try Tensor([Float](repeating: 0, count: 8), shape: [2, 2, 2]), on: image)
        }
        #expect(throws: TorchError.self) {
            try Overlay.heatmap(map, on: try Tensor([Float](repeating: 0, count: 300), shape: [10, 10, 3]))
        }
        #expect(throws: TorchError.self) { try Overlay.heatmap(map, on: image, alpha: 2) }
        #expect(throws: TorchError.self) {
            try Overlay.draw([DrawnBox(PixelBox(0, 0, 5, 5), color: .predicted, thickness: 0)], on: image)
        }
        #expect(throws: TorchError.self) { try Overlay.row([]) }
        #expect(throws: TorchError.self) {
            try Overlay.caption(Array(repeating: "x", count: 17), under: image)
        }
        // NaN reads as 0 and values outside [0, 1] are clamped: the map still draws.
        let odd = try Tensor([Float.nan, -3, 7, 0.5], shape: [2, 2])
        #expect(try Overlay.heatmap(odd, on: image).shape == [10, 10, 3])
    }
}
