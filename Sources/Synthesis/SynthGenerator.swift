import Datasets
import Foundation
import Torch

/// A procedurally drawn dataset that fails CAM the way CUB's birds do: every object carries weak class
/// evidence over its whole body (colour, texture) and strong evidence in one small part (a
/// class-specific mark on its head), so a classifier can win by looking at the mark alone while the
/// box covers the whole object. Frozen: the same options give the same bytes (docs/SYNTH.md records a
/// fingerprint). Only IEEE arithmetic is used (no sin, cos or sqrt from the C library), so pixels do not
/// depend on its transcendental functions.
public enum SynthGenerator {
    public struct Config: Sendable {
        public var classes: Int
        public var trainPerClass: Int
        public var testPerClass: Int
        /// Image width; height is round(0.75 * size).
        public var size: Int
        public var seed: UInt64
        public init(classes: Int, trainPerClass: Int, testPerClass: Int, size: Int, seed: UInt64) {
            self.classes = classes; self.trainPerClass = trainPerClass; self.testPerClass = testPerClass
            self.size = size; self.seed = seed
        }
    }

    /// Distinct marks: 5 shapes x 8 colours x 5 centre dots.
    public static let maxClasses = 200
    public static let minSize = 32
    /// Image widths: an image is drawn whole in memory (4096 x 3072 RGB: 38 MB).
    public static let sizes = minSize...4096
    /// Images per class and split; with 200 classes at most 40 million images, no count overflows.
    public static let perClass = 0...100_000

    /// One drawn image: RGB pixels, the object's mask (0/255) and the box tight around the mask.
    public struct Drawing {
        public let width, height: Int
        public let pixels: [UInt8]
        public let mask: [UInt8]
        public let box: Box
    }

    /// The counts and size within their ranges, else a one-line error naming the option.
    public static func validate(_ config: Config) throws {
        guard (1...maxClasses).contains(config.classes) else {
            throw DatasetError("--classes must be in 1...\(maxClasses)")
        }
        guard sizes.contains(config.size) else {
            throw DatasetError("--size must be in \(sizes.lowerBound)...\(sizes.upperBound), " +
                               "got \(config.size)")
        }
        guard perClass.contains(config.trainPerClass), perClass.contains(config.testPerClass),
              config.trainPerClass + config.testPerClass > 0 else {
            throw DatasetError("--train-per-class and --test-per-class must be in \(perClass.lowerBound)..." +
                               "\(perClass.upperBound), not both 0")
        }
    }

    /// Writes the dataset in the CUB layout under `out` (the CUB_200_2011 folder), under the
    /// output-folder rule (`force`: write into a folder that holds other files).
    public static func generate(_ config: Config, out: String, force: Bool = false,
                                owner: String = "wsol synth") throws {
        try validate(config)
        let names = (0..<config.classes).map { String(format: "synth_%03d", $0 + 1) }
        let writer = try CUBWriter(root: out, classNames: names, force: force, owner: owner)
        for label in 0..<config.classes {
            for n in 0..<(config.trainPerClass + config.testPerClass) {
                var random = SeededRandom(seed: config.seed, label, n)
                let d = draw(label: label, width: config.size,
                             height: Int((Double(config.size) * 0.75).rounded()), random: &random)
                try writer.add(image: try Tensor(d.pixels, shape: [d.height, d.width, 3]),
                               mask: try Tensor(d.mask, shape: [d.height, d.width]),
                               name: String(format: "synth_%03d_%04d", label + 1, n + 1), label: label,
                               box: d.box, train: n < config.trainPerClass)
            }
        }
        try writer.finish()
    }

    typealias RGB = (Double, Double, Double)
    static let markColours: [RGB] = [(230, 30, 30), (30, 200, 40), (40, 70, 230), (245, 220, 20),
                                     (240, 240, 240), (20, 20, 20), (230, 40, 220), (20, 220, 230)]
    static let dotColours: [RGB?] = [nil, (255, 140, 0), (120, 0, 180), (0, 120, 90), (150, 150, 150)]

    private static func randomColour(_ r: inout SeededRandom) -> RGB {
        (r.uniform(0, 255), r.uniform(0, 255), r.uniform(0, 255))
    }

    /// A class's body colour: a fixed point on a coarse colour wheel (weak: neighbours look alike).
    private static func classColour(_ label: Int) -> RGB {
        let k = Double((label * 37) % 64) / 64
        return (128 + 100 * tri(k), 128 + 100 * tri(k + 1.0 / 3), 128 + 100 * tri(k + 2.0 / 3))
    }

    /// A triangle wave in [-1, 1] with period 1 (a sine stand-in without libm).
    private static func tri(_ t: Double) -> Double {
        let f = t - t.rounded(.down); return 4 * abs(f - 0.5) - 1
    }

    public static func draw(label: Int, width: Int, height: Int, random r: inout SeededRandom) -> Drawing {
        let w = Double(width), h = Double(height), side = min(w, h)
        // Pose: a unit direction from a rational parametrization of the circle, any quadrant.
        let t = r.uniform(-1, 1)
        var dir = ((1 - t * t) / (1 + t * t), 2 * t / (1 + t * t))
        if r.bool() { dir = (-dir.0, -dir.1) }
        let perp = (-dir.1, dir.0)
        let a = side * r.uniform(0.2, 0.38), b = a * r.uniform(0.45, 0.6)
        let headR = b * 0.7, markR = headR * 0.55
        let reach = a * 0.9 + headR + 1
        let cx = r.uniform(reach, max(reach, w - reach)), cy = r.uniform(reach, max(reach, h - reach))
        let hx = cx + dir.0 * a * 0.9, hy = cy + dir.1 * a * 0.9

        // Weak evidence: the class colour mixed with a random one, and the class texture 60% of the time.
        let own = classColour(label), other = randomColour(&r)
        let mix = r.uniform(0.35, 0.65)
        let body: RGB = (own.0 * mix + other.0 * (1 - mix), own.1 * mix + other.1 * (1 - mix),
                         own.2 * mix + other.2 * (1 - mix))
        let texture = r.unit() < 0.6 ? label % 3 : r.int(below: 3)
        let period = a * r.uniform(0.25, 0.4)
        // Strong evidence: the mark's shape, colour and centre dot identify the class exactly.
        let shape = label % 5, markColour = markColours[(label / 5) % 8], dot = dotColours[(label / 40) % 5]

        // Background: a two-colour gradient, clutter blobs (some in mark colours), per-pixel noise.
        let top = randomColour(&r), bottom = randomColour(&r)
        var blobs: [(x: Double, y: Double, rx: Double, ry: Double, square: Bool, colour: RGB)] = []
        for _ in 0..<(10 + r.int(below: 15)) {
            let colour = r.unit() < 0.3 ? markColours[r.int(below: markColours.count)] : randomColour(&r)
            blobs.append((r.uniform(0, w), r.uniform(0, h), side * r.uniform(0.02, 0.15),
                          side * r.uniform(0.02, 0.15), r.bool(), colour))
        }

        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var mask = [UInt8](repeating: 0, count: width * height)
        var minX = width, minY = height, maxX = -1, maxY = -1
        for y in 0..<height {
            for x in 0..<width {
                let px = Double(x) + 0.5, py = Double(y) + 0.5
                let g = py / h
                var c: RGB = (top.0 * (1 - g) + bottom.0 * g, top.1 * (1 - g) + bottom.1 * g,
                              top.2 * (1 - g) + bottom.2 * g)
                for blob in blobs {
                    let dx = (px - blob.x) / blob.rx, dy = (py - blob.y) / blob.ry
                    if blob.square ? (abs(dx) <= 1 && abs(dy) <= 1) : (dx * dx + dy * dy <= 1) {
                        c = blob.colour
                    }
                }
                let u = (px - cx) * dir.0 + (py - cy) * dir.1, v = (px - cx) * perp.0 + (py - cy) * perp.1
                let inBody = (u / a) * (u / a) + (v / b) * (v / b) <= 1
                let hu = (px - hx) * dir.0 + (py - hy) * dir.1, hv = (px - hx) * perp.0 + (py - hy) * perp.1
                let inHead = hu * hu + hv * hv <= headR * headR
                if inBody || inHead {
                    var shade = 1.0
                    switch texture {
                    case 1: shade = tri(u / period) > 0 ? 1.0 : 0.7
                    case 2: shade = (Int((u / period + 100).rounded(.down))
                                     + Int((v / period + 100).rounded(.down))) % 2 == 0 ? 1.0 : 0.75
                    default: break
                    }
                    c = (body.0 * shade, body.1 * shade, body.2 * shade)
                    if inHead, let markPixel = mark(shape, hu / markR, hv / markR) {
                        c = markPixel ? markColour : (dot ?? markColour)
                    }
                    mask[y * width + x] = 255
                    minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
                }
                let noise = r.uniform(-12, 12)
                let i = (y * width + x) * 3
                pixels[i] = UInt8(max(0, min(255, (c.0 + noise).rounded())))
                pixels[i + 1] = UInt8(max(0, min(255, (c.1 + noise).rounded())))
                pixels[i + 2] = UInt8(max(0, min(255, (c.2 + noise).rounded())))
            }
        }
        let box = Box(x0: Double(minX), y0: Double(minY), x1: Double(maxX + 1), y1: Double(maxY + 1))
        return Drawing(width: width, height: height, pixels: pixels, mask: mask, box: box)
    }

    /// Whether (u, v), in units of the mark's radius, is on the mark: true = mark colour, false = the
    /// centre dot, nil = off the mark.
    private static func mark(_ shape: Int, _ u: Double, _ v: Double) -> Bool? {
        let rr = u * u + v * v
        let on: Bool
        switch shape {
        case 0: on = abs(u) <= 0.8 && abs(v) <= 0.8
        case 1: on = rr <= 1
        case 2: on = u >= -0.8 && u <= 1 && abs(v) <= (1 - u) * 0.6
        case 3: on = (abs(u) <= 0.3 && abs(v) <= 1) || (abs(v) <= 0.3 && abs(u) <= 1)
        default: on = rr <= 1 && rr >= 0.3
        }
        guard on else { return nil }
        return rr > 0.09
    }
}
