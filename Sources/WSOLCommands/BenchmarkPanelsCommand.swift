import ArgumentParser
import Datasets
import Evaluation
import Foundation
import Torch
import Visualization

extension BenchmarkCommand {
    /// export-maps' per-image writing cost, without a model: render the panel, write it (PNG) and its
    /// thumbnail (JPEG), and the raw map (.npy), for synthetic scenes with smooth maps.
    struct Panels: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "panels",
            abstract: "Images/s of export-maps' panel writing: render, panel PNG + thumbnail JPEG, and the map .npy."
        )

        @Option(help: "Images to write (1-100000).")
        var count = 500

        @Option(help: "Image and map side in pixels (32-1024).")
        var size = 224

        @Option(help: "Maps per panel (1-4; sfpnsc shows 3: the map, Mf1, Mf2).")
        var maps = 1

        func validate() throws {
            guard (1...100_000).contains(count) else { throw ValidationError("--count must be 1-100000") }
            guard (32...1024).contains(size) else { throw ValidationError("--size must be 32-1024") }
            guard (1...4).contains(maps) else { throw ValidationError("--maps must be 1-4") }
        }

        func run() throws {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("wsol-bench-panels-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: out) }
            // Eight distinct scenes, cycled: inputs cost nothing inside the timed loop.
            let scenes = try (0..<8).map { try scene($0) }
            var render = 0.0, images = 0.0, npy = 0.0
            let start = Date()
            for i in 0..<count {
                let s = scenes[i % scenes.count]
                var t = Date()
                let caption = Panel.caption(imageID: "\(i % 200).class/image_\(i).jpg", trueClass: i % 200,
                                            trueName: "Some_Bird", outcome: s.outcome)
                let panel = try Panel.render(PanelInput(image: s.image, maps: Array(repeating: PanelMap("map", s.map), count: maps),
                                                        groundTruth: [s.truth], predicted: s.outcome.boxes, caption: caption))
                render += -t.timeIntervalSinceNow; t = Date()
                try ImageFiles.write(panel.full, to: out.appendingPathComponent("\(i).png").path)
                try ImageFiles.writeThumbnail(panel.tiles, to: out.appendingPathComponent("\(i).jpg").path)
                images += -t.timeIntervalSinceNow; t = Date()
                try NPY.write(NPYArray(float32: s.values, shape: [size, size]), to: out.appendingPathComponent("\(i).npy").path)
                npy += -t.timeIntervalSinceNow
            }
            let total = -start.timeIntervalSinceNow
            func ms(_ seconds: Double) -> String { String(format: "%.2f", seconds * 1000 / Double(count)) }
            print("panels: \(count) images at \(size) px, \(maps) map(s) per panel, 1 thread: "
                  + String(format: "%.1f", Double(count) / total) + " images/s"
                  + " (per image: render \(ms(render)) ms, panel PNG + thumbnail JPEG \(ms(images)) ms, map .npy \(ms(npy)) ms)")
        }

        struct Scene {
            var image: Tensor, map: Tensor, values: [Float], truth: PixelBox, outcome: RunOutcome
        }

        /// A sky-and-ground picture with a dark ellipse, a Gaussian map near it, and boxes from the map.
        private func scene(_ seed: Int) throws -> Scene {
            var rng = SeededRandom(seed: UInt64(seed))
            let n = size, s = Double(size)
            let cx = rng.uniform(0.3, 0.7) * s, cy = rng.uniform(0.3, 0.7) * s, a = rng.uniform(0.1, 0.25) * s
            var pixels = [UInt8](repeating: 0, count: n * n * 3), values = [Float](repeating: 0, count: n * n)
            for y in 0..<n { for x in 0..<n {
                let dx = (Double(x) - cx) / a, dy = (Double(y) - cy) / (a * 0.6)
                let inside = dx * dx + dy * dy < 1, noise = rng.int(below: 9)
                let sky = Double(y) < s * 0.7
                let base = inside ? (90, 70, 50) : sky ? (150 + y * 60 / n, 190, 235) : (100, 120, 60)
                let i = (y * n + x) * 3
                pixels[i] = UInt8(clamping: base.0 + noise); pixels[i + 1] = UInt8(clamping: base.1 + noise)
                pixels[i + 2] = UInt8(clamping: base.2 + noise)
                let mx = (Double(x) - cx - a * 0.2) / (a * 1.1), my = (Double(y) - cy) / (a * 0.8)
                values[y * n + x] = Float(exp(-(mx * mx + my * my)))
            } }
            let boxes = try Contours.boxesAtThresholds(ScoreMap(height: n, width: n, values: values), thresholds: [0.4]).all[0]
            let truth = PixelBox(Int(cx - a), Int(cy - a * 0.6), Int(cx + a), Int(cy + a * 0.6))
            let outcome = RunOutcome(predictedClass: 1, predictedName: "Some_Bird", confidence: 0.8,
                                     iou: boxes.map { $0.iou(truth) }.max() ?? 0, boxes: boxes, panel: "", thumbnail: "")
            return Scene(image: try Tensor(pixels, shape: [n, n, 3]), map: try Tensor(values, shape: [n, n]),
                         values: values, truth: truth, outcome: outcome)
        }
    }
}
