import Datasets
import Evaluation
import Foundation
import Synthesis
import Torch
import Visualization

/// A gallery of made-up but plausible results on the project's synthetic images (SynthGenerator: an
/// object with a class mark on its head, in clutter): maps peaked on the whole object, on one small part
/// (the classic CAM failure) or on the background, boxes found by the evaluator's own contour code,
/// panels and thumbnails written as export-maps will write them.
enum SyntheticGallery {
    static let classes = [
        "Black_footed_Albatross", "Laysan_Albatross", "Sooty_Albatross", "Groove_billed_Ani",
        "Crested_Auklet", "Least_Auklet", "Parakeet_Auklet", "Rhinoceros_Auklet",
    ]
    static let size = 224

    /// A drawn image, its ground-truth box (inclusive corners), the object's centre and half extents,
    /// and its extremity farthest from the centre (where part-only maps peak).
    struct Scene {
        var pixels: [UInt8]
        var box: PixelBox
        var centre: (x: Double, y: Double), half: (x: Double, y: Double)
        var part: (x: Double, y: Double)
    }

    static func scene(_ rng: inout SeededRandom, label: Int) -> Scene {
        let d = SynthGenerator.draw(label: label, width: size, height: size, random: &rng)
        var sum = (x: 0.0, y: 0.0), n = 0.0
        for i in d.mask.indices where d.mask[i] > 0 {
            sum.x += Double(i % size); sum.y += Double(i / size); n += 1
        }
        let centre = (x: sum.x / n, y: sum.y / n)
        var part = centre, far = 0.0
        for i in d.mask.indices where d.mask[i] > 0 {
            let dx = Double(i % size) - centre.x, dy = Double(i / size) - centre.y
            if dx * dx + dy * dy > far { far = dx * dx + dy * dy; part = (Double(i % size), Double(i / size)) }
        }
        // Synth boxes are [min, max + 1); PixelBox corners are inclusive.
        let box = PixelBox(Int(d.box.x0), Int(d.box.y0), Int(d.box.x1) - 1, Int(d.box.y1) - 1)
        return Scene(pixels: d.pixels, box: box, centre: centre,
                     half: (d.box.width / 2, d.box.height / 2), part: part)
    }

    enum Quality: CaseIterable { case whole, part, background }

    /// A map peaked on the whole object, on one small part, or on a patch of background, with clutter.
    static func map(_ scene: Scene, _ quality: Quality, _ rng: inout SeededRandom) -> [Float] {
        var blobs: [(x: Double, y: Double, sx: Double, sy: Double, w: Double)] = []
        switch quality {
        case .whole:
            // A blob whose 0.35 cut spans about the object, more or less (the model is rarely exact).
            let scale = rng.uniform(0.7, 1.1)
            blobs.append((scene.centre.x, scene.centre.y, scene.half.x * scale, scene.half.y * scale, 1))
        case .part:
            let r = max(8, 0.5 * min(scene.half.x, scene.half.y))
            blobs.append((scene.part.x, scene.part.y, r, r, 1))
        case .background:
            blobs.append((rng.uniform(20, 204), rng.uniform(20, 204), 25, 18, 1))
            blobs.append((scene.centre.x, scene.centre.y, scene.half.x * 0.5, scene.half.y * 0.5, 0.35))
        }
        for _ in 0..<rng.int(in: 0...2) {
            blobs.append(
                (
                    rng.uniform(0, 224), rng.uniform(0, 224), rng.uniform(8, 20), rng.uniform(8, 20),
                    rng.uniform(0.2, 0.6)
                ))
        }
        var values = [Float](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                var v = 0.0
                for g in blobs {
                    let dx = (Double(x) - g.x) / g.sx, dy = (Double(y) - g.y) / g.sy
                    v += g.w * exp(-(dx * dx + dy * dy))
                }
                values[y * size + x] = Float(v)
            }
        }
        let low = values.min()!, high = values.max()!
        return values.map { ($0 - low) / (high - low) }
    }

    /// Writes `count` records' panels and thumbnails under `folder` (one set per run) and returns the
    /// records; with two runs the second is usually better where the first saw a part only.
    static func records(
        count: Int, folder: URL, runs: [String] = ["sfpnsc-cub"], seed: UInt64 = 7
    ) throws -> [GalleryRecord] {
        var rng = SeededRandom(seed: seed)
        var records: [GalleryRecord] = []
        for index in 0..<count {
            let label = rng.int(below: classes.count)
            let name = classes[label]
            let imageID = String(
                format: "%03d.%@/%@_%04d_%d.jpg", label + 1, name, name, 10 + index * 37, 700 + index)
            let scene = scene(&rng, label: label)
            let image = try Tensor(scene.pixels, shape: [size, size, 3])
            let first = Quality.allCases[[0, 0, 0, 1, 1, 2][rng.int(below: 6)]]
            var outcomes: [RunOutcome] = []
            for (k, run) in runs.enumerated() {
                let quality = k == 0 ? first : (first == .part && rng.unit() < 0.7 ? .whole : first)
                let values = map(scene, quality, &rng)
                let boxes = try Contours.boxesAtThresholds(
                    ScoreMap(height: size, width: size, values: values),
                    thresholds: [0.35]
                ).all[0]
                let iou = boxes.map { $0.iou(scene.box) }.max() ?? 0
                let right = rng.unit() < (quality == .background ? 0.5 : 0.85)
                let predicted =
                    right ? label : (label + 1 + rng.int(below: classes.count - 1)) % classes.count
                let confidence = right ? rng.uniform(0.55, 0.99) : rng.uniform(0.2, 0.6)
                let stem = (runs.count > 1 ? "\(run)/" : "") + imageID
                let outcome = RunOutcome(
                    predictedClass: predicted, predictedName: classes[predicted], confidence: confidence,
                    iou: iou, boxes: boxes, panel: "panels/\(stem).png", thumbnail: "thumbs/\(stem).jpg")
                let caption = Panel.caption(
                    imageID: imageID, trueClass: label, trueName: name, outcome: outcome)
                let panel = try Panel.render(
                    PanelInput(
                        image: image, maps: [PanelMap("map", try Tensor(values, shape: [size, size]))],
                        groundTruth: [scene.box], predicted: boxes, caption: caption))
                for path in [outcome.panel, outcome.thumbnail] {
                    let folder = folder.appendingPathComponent(path).deletingLastPathComponent()
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                }
                try panel.write(panel: folder.appendingPathComponent(outcome.panel).path,
                                thumbnail: folder.appendingPathComponent(outcome.thumbnail).path)
                outcomes.append(outcome)
            }
            records.append(
                GalleryRecord(
                    imageID: imageID, trueClass: label, trueName: name, run: outcomes[0],
                    compare: outcomes.count > 1 ? outcomes[1] : nil))
        }
        return records
    }
}
