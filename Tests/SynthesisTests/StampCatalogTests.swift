import Datasets
import Foundation
import Synthesis
import Testing
import TestSupport
import Torch

/// The photo filter and compositing on a miniature of the Debian sources made with OpenCV by
/// Tests/reference/photo_sources.py: one stamp per catalog rule.
@Suite("Stamp catalog and compositing", .serialized)
struct StampCatalogTests {
    init() { configureTestRuntime }

    static let sources: Result<URL, Error> = Result { try Reference.run("photo_sources.py") }
    var stamps: String {
        get throws { try Self.sources.get().appendingPathComponent("usr/share/tuxpaint/stamps").path }
    }

    @Test func everyRuleLeavesOutItsStampAndClassesAreNamedPerStamp() throws {
        let catalog = try StampCatalog.scan(root: try stamps, categories: ["all"])
        #expect(catalog.stamps.map(\.relativePath) == ["animals/birds/robin.png", "animals/birds/wren.png",
                                                       "animals/fish/robin.png", "food/fruit/plum.png"])
        let names = ["animals-birds-robin", "wren", "animals-fish-robin", "plum"]
        #expect(catalog.stamps.map(\.className) == names)
        #expect(catalog.stamps.map(\.mirrorable) == [true, true, true, false])
        let reasons = Dictionary(uniqueKeysWithValues: catalog.rejected.map { ($0.relativePath, $0.reason) })
        #expect(reasons == [
            "animals/birds/cartoon/tux.png": "cartoon folder (drawn)",
            "animals/birds/colour_me.png": "colorable template",
            "animals/birds/flat.png": "flat colours (texture 0.000)",
            "animals/birds/glass.png": "mostly translucent (0.00 opaque)",
            "animals/birds/opaque.png": "has no alpha channel (not a cut-out)",
            "animals/birds/swallow.svg": "vector drawing (SVG)",
            "animals/birds/tiny.png": "too small (208 visible pixels)",
            "animals/birds/wren_mirror.png": "mirrored copy of animals/birds/wren.png",
            "animals/fish/twin.png": "duplicate of animals/fish/robin.png",
        ])
        // Cropped to the visible bounds: every edge row and column has a visible pixel.
        for stamp in catalog.stamps {
            let m = try Cutout.measure(stamp.pixels)
            let shape = stamp.pixels.shape
            #expect(m.bounds == Box(x0: 0, y0: 0, x1: Double(shape[1]), y1: Double(shape[0])))
        }
    }

    @Test func categoriesSelectFoldersWithSubfoldersOrStampsAndExclusionsWin() throws {
        let birds = try StampCatalog.scan(root: try stamps, categories: ["animals/birds"])
        #expect(birds.stamps.map(\.className) == ["robin", "wren"])
        let noBirds = try StampCatalog.scan(root: try stamps, categories: ["all"],
                                            excluded: ["animals/birds"])
        #expect(noBirds.stamps.map(\.className) == ["robin", "plum"])
        let picked = try StampCatalog.scan(root: try stamps, categories: ["animals/birds/wren.png", "food"],
                                           excluded: ["food/fruit/plum.png"])
        #expect(picked.stamps.map(\.className) == ["wren"])
        for bad in ["animals/none", "../etc"] {
            #expect(throws: DatasetError.self) { try StampCatalog.scan(root: try stamps, categories: [bad]) }
        }
    }

    /// The mask is the placed alpha above 0.5; outside the cut-out the background window is untouched.
    @Test func compositingPlacesTheCutoutWhereAsked() throws {
        let catalog = try StampCatalog.scan(root: try stamps, categories: ["animals/birds"])
        let robin = catalog.stamps[0].pixels
        let background = try Tensor([UInt8](repeating: 90, count: 40 * 60 * 3), shape: [40, 60, 3])
        var p = Cutout.Placement()
        (p.backgroundWidth, p.backgroundHeight) = (60, 40)
        (p.x, p.y, p.width, p.height) = (-5, 10, 30, 20)
        let (image, mask) = try Cutout.composite(robin, on: background, width: 60, height: 40, placement: p)
        #expect(image.shape == [40, 60, 3] && mask.shape == [40, 60])
        let bytes = try mask.bytes()
        #expect(Set(bytes) == [0, 255])
        let box = try #require(PhotoComposer.bounds(of: bytes, width: 60))
        #expect(box.x0 == 0 && box.y0 >= 10 && box.x1 <= 25 && box.y1 <= 30)
        let pixels = try image.bytes()
        for i in bytes.indices where i % 60 >= 25 || i / 60 < 10 || i / 60 >= 30 {
            #expect(pixels[3 * i] == 90 && pixels[3 * i + 1] == 90 && pixels[3 * i + 2] == 90)
        }
        p.backgroundWidth = 61
        #expect(throws: TorchError.self) {
            try Cutout.composite(robin, on: background, width: 60, height: 40, placement: p)
        }
    }
}
