import ArgumentParser
import Datasets
import Evaluation
import Foundation
import Synthesis
import Torch
import Visualization

extension BenchmarkCommand {
    /// export-maps' per-image writing cost, without a model: render the panel, write it (PNG) and its
    /// thumbnail (JPEG), and the raw map (.npy), for synthetic scenes with smooth maps.
    struct Panels: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "panels",
            abstract: "Images/s of export-maps' panel writing: render, panel PNG + thumbnail, map .npy."
        )

        @Option(help: "Images to write (1-100000).")
        var count = 500

        @Option(help: "Image and map side in pixels (32-1024).")
        var size = 224

        @Option(help: "Maps per panel (1-4; sfpnsc shows 3: the map, Mf1, Mf2).")
        var maps = 1

        @Option(help: """
            Also write the 8 input scenes as .npy (scene<k>_image, scene<k>_map) into this folder.
            """)
        var saveInputs: String?

        func validate() throws {
            guard (1...100_000).contains(count) else { throw ValidationError("--count must be 1-100000") }
            guard (32...1024).contains(size) else { throw ValidationError("--size must be 32-1024") }
            guard (1...4).contains(maps) else { throw ValidationError("--maps must be 1-4") }
        }

        func run() throws {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent(
                "wsol-bench-panels-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: out) }
            // Eight distinct scenes, cycled: inputs cost nothing inside the timed loop.
            let scenes = try (0..<8).map { try scene($0) }
            if let folder = saveInputs {
                for (k, s) in scenes.enumerated() {
                    let image = NPYArray(shape: [size, size, 3], kind: .uint8,
                                         payload: Data(try s.image.bytes()))
                    try NPY.write(image, to: "\(folder)/scene\(k)_image.npy")
                    try NPY.write(NPYArray(float32: s.values, shape: [size, size]),
                                  to: "\(folder)/scene\(k)_map.npy")
                }
            }
            var render = 0.0, images = 0.0, npy = 0.0
            let start = Date()
            for i in 0..<count {
                let s = scenes[i % scenes.count]
                var t = Date()
                let caption = Panel.caption(
                    imageID: "\(i % 200).class/image_\(i).jpg", trueClass: i % 200,
                    trueName: "Some_Bird", outcome: s.outcome)
                let panel = try Panel.render(
                    PanelInput(
                        image: s.image, maps: Array(repeating: PanelMap("map", s.map), count: maps),
                        groundTruth: [s.truth], predicted: s.outcome.boxes, caption: caption))
                render += -t.timeIntervalSinceNow; t = Date()
                try panel.write(panel: out.appendingPathComponent("\(i).png").path,
                                thumbnail: out.appendingPathComponent("\(i).jpg").path)
                images += -t.timeIntervalSinceNow; t = Date()
                try NPY.write(
                    NPYArray(float32: s.values, shape: [size, size]),
                    to: out.appendingPathComponent("\(i).npy").path)
                npy += -t.timeIntervalSinceNow
            }
            let total = -start.timeIntervalSinceNow
            func ms(_ seconds: Double) -> String { String(format: "%.2f", seconds * 1000 / Double(count)) }
            print(
                "panels: \(count) images at \(size) px, \(maps) map(s) per panel, 1 thread: "
                    + String(format: "%.1f", Double(count) / total) + " images/s"
                    + " (per image: render \(ms(render)) ms, panel PNG + thumbnail JPEG \(ms(images)) ms,"
                    + " map .npy \(ms(npy)) ms)"
            )
        }

        struct Scene {
            var image: Tensor, map: Tensor, values: [Float], truth: PixelBox, outcome: RunOutcome
        }

        /// A synthetic image (`wsol synth`'s drawing), a Gaussian map on its object, boxes from the map.
        private func scene(_ seed: Int) throws -> Scene {
            var rng = SeededRandom(seed: UInt64(seed))
            let n = size
            let d = SynthGenerator.draw(label: seed, width: n, height: n, random: &rng)
            let cx = (d.box.x0 + d.box.x1) / 2, cy = (d.box.y0 + d.box.y1) / 2
            var values = [Float](repeating: 0, count: n * n)
            for y in 0..<n {
                for x in 0..<n {
                    let mx = (Double(x) - cx) / (0.5 * d.box.width),
                        my = (Double(y) - cy) / (0.5 * d.box.height)
                    values[y * n + x] = Float(exp(-(mx * mx + my * my)))
                }
            }
            let boxes = try Contours.boxesAtThresholds(
                ScoreMap(height: n, width: n, values: values), thresholds: [0.4]
            ).all[0]
            let truth = PixelBox(Int(d.box.x0), Int(d.box.y0), Int(d.box.x1) - 1, Int(d.box.y1) - 1)
            let outcome = RunOutcome(
                predictedClass: 1, predictedName: "Some_Bird", confidence: 0.8,
                iou: boxes.map { $0.iou(truth) }.max() ?? 0, boxes: boxes, panel: "", thumbnail: "")
            return Scene(
                image: try Tensor(d.pixels, shape: [n, n, 3]), map: try Tensor(values, shape: [n, n]),
                values: values, truth: truth, outcome: outcome)
        }
    }
}
