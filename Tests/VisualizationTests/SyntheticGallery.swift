import Datasets
import Evaluation
import Foundation
import Torch
import Visualization

/// A gallery of made-up but plausible results: birds drawn on sky and grass, maps peaked on the bird,
/// on its head only (the classic CAM failure) or on the background, boxes found by the evaluator's own
/// contour code, panels and thumbnails written as export-maps will write them.
enum SyntheticGallery {
    static let classes = ["Black_footed_Albatross", "Laysan_Albatross", "Sooty_Albatross", "Groove_billed_Ani",
                          "Crested_Auklet", "Least_Auklet", "Parakeet_Auklet", "Rhinoceros_Auklet"]
    static let size = 224

    /// A scene and its ground-truth box; the head's centre is where part-only maps peak.
    struct Scene {
        var pixels: [UInt8]
        var box: PixelBox
        var body: (x: Double, y: Double, a: Double, b: Double)
        var head: (x: Double, y: Double, r: Double)
    }

    static func scene(_ rng: inout SeededRandom, label: Int) -> Scene {
        let s = Double(size)
        let a = rng.uniform(36, 66), b = a * rng.uniform(0.5, 0.68)
        let cx = rng.uniform(a + 20, s - a - 20), cy = rng.uniform(b + 30, s - b - 30)
        let facing = rng.bool() ? 1.0 : -1.0
        let head = (x: cx + facing * a * 0.95, y: cy - b * 0.9, r: b * 0.55)
        let hue = Double(label) / Double(classes.count)
        let body = color(hue: hue, light: 0.45), wing = color(hue: hue, light: 0.3)
        var pixels = [UInt8](repeating: 0, count: size * size * 3)
        var x0 = size, y0 = size, x1 = 0, y1 = 0
        for y in 0..<size {
            let t = Double(y) / s
            let ground = Double(y) > s * 0.72
            for x in 0..<size {
                let noise = Double(rng.int(below: 17)) - 8
                var c = ground ? (95.0 + 30 * t, 130.0 - 20 * t, 60.0) : (150 + 60 * t, 190 + 40 * t, 235.0)
                c = (c.0 + noise, c.1 + noise, c.2 + noise)
                let dx = (Double(x) - cx) / a, dy = (Double(y) - cy) / b
                let hx = Double(x) - head.x, hy = Double(y) - head.y
                let beak = facing * (Double(x) - head.x) > head.r * 0.6 && facing * (Double(x) - head.x) < head.r * 1.7
                    && abs(Double(y) - head.y - head.r * 0.1) < head.r * 0.25
                let back = -facing * (Double(x) - cx) - a * 0.75
                let tail = back > 0 && back < a * 0.6 && abs(Double(y) - cy + b * 0.2) < 3 + back * 0.45
                let leg = (abs(Double(x) - cx - a * 0.2) < 1.5 || abs(Double(x) - cx + a * 0.15) < 1.5)
                    && Double(y) > cy + b * 0.8 && Double(y) < cy + b * 1.45
                var inside = true
                if tail {
                    c = (wing.0 + noise, wing.1 + noise, wing.2 + noise)
                } else if leg {
                    c = (200, 120, 40)
                } else if (dx - facing * 0.15) * (dx - facing * 0.15) + (dy + 0.1) * (dy + 0.1) * 2.2 < 0.45 {
                    c = (wing.0 + noise, wing.1 + noise, wing.2 + noise)
                } else if dx * dx + dy * dy < 1 || hx * hx + hy * hy < head.r * head.r {
                    c = (body.0 + noise, body.1 + noise, body.2 + noise)
                    if hx * hx + hy * hy < 9 && facing * hx > 0 { c = (20, 20, 20) }
                } else if beak {
                    c = (235, 170, 40)
                } else {
                    inside = false
                }
                if inside { x0 = min(x0, x); y0 = min(y0, y); x1 = max(x1, x); y1 = max(y1, y) }
                let i = (y * size + x) * 3
                pixels[i] = UInt8(clamping: Int(c.0)); pixels[i + 1] = UInt8(clamping: Int(c.1))
                pixels[i + 2] = UInt8(clamping: Int(c.2))
            }
        }
        return Scene(pixels: pixels, box: PixelBox(x0, y0, x1, y1), body: (cx, cy, a, b), head: head)
    }

    static func color(hue: Double, light: Double) -> (Double, Double, Double) {
        func channel(_ shift: Double) -> Double {
            let k = (hue * 6 + shift).truncatingRemainder(dividingBy: 6)
            return 255 * (light - light * 0.8 * max(-1, min(k - 3, 4 - k, 1)))
        }
        return (channel(0), channel(4), channel(2))
    }

    enum Quality: CaseIterable { case whole, head, background }

    /// A map peaked on the whole bird, on its head, or on a patch of background, with some clutter.
    static func map(_ scene: Scene, _ quality: Quality, _ rng: inout SeededRandom) -> [Float] {
        var blobs: [(x: Double, y: Double, sx: Double, sy: Double, w: Double)] = []
        let (cx, cy, a, b) = scene.body
        switch quality {
        case .whole:
            // The bird spans about 2.9a x 2.9b (tail to beak, crown to feet); a blob of that extent at the
            // 0.35 cut, more or less (the model is rarely exact).
            let scale = rng.uniform(0.75, 1.15)
            let facing = scene.head.x > cx ? 1.0 : -1.0
            blobs.append((cx + facing * 0.1 * a, cy, 1.35 * a * scale, 1.4 * b * scale, 1))
        case .head: blobs.append((scene.head.x, scene.head.y, scene.head.r * 1.1, scene.head.r * 1.1, 1))
        case .background: blobs.append((rng.uniform(20, 204), rng.uniform(20, 204), 25, 18, 1))
                          blobs.append((cx, cy, a * 0.5, b * 0.5, 0.35))
        }
        for _ in 0..<rng.int(in: 0...2) {
            blobs.append((rng.uniform(0, 224), rng.uniform(0, 224), rng.uniform(8, 20), rng.uniform(8, 20), rng.uniform(0.2, 0.6)))
        }
        var values = [Float](repeating: 0, count: size * size)
        for y in 0..<size { for x in 0..<size {
            var v = 0.0
            for g in blobs {
                let dx = (Double(x) - g.x) / g.sx, dy = (Double(y) - g.y) / g.sy
                v += g.w * exp(-(dx * dx + dy * dy))
            }
            values[y * size + x] = Float(v)
        } }
        let low = values.min()!, high = values.max()!
        return values.map { ($0 - low) / (high - low) }
    }

    /// Writes `count` records' panels and thumbnails under `folder` (one set per run) and returns the
    /// records; with two runs the second is usually better on head-only maps.
    static func records(count: Int, folder: URL, runs: [String] = ["sfpnsc-cub"], seed: UInt64 = 7) throws -> [GalleryRecord] {
        var rng = SeededRandom(seed: seed)
        var records: [GalleryRecord] = []
        for index in 0..<count {
            let label = rng.int(below: classes.count)
            let name = classes[label]
            let imageID = String(format: "%03d.%@/%@_%04d_%d.jpg", label + 1, name, name, 10 + index * 37, 700 + index)
            let scene = scene(&rng, label: label)
            let image = try Tensor(scene.pixels, shape: [size, size, 3])
            let first = Quality.allCases[[0, 0, 0, 1, 1, 2][rng.int(below: 6)]]
            var outcomes: [RunOutcome] = []
            for (k, run) in runs.enumerated() {
                let quality = k == 0 ? first : (first == .head && rng.unit() < 0.7 ? .whole : first)
                let values = map(scene, quality, &rng)
                let boxes = try Contours.boxesAtThresholds(ScoreMap(height: size, width: size, values: values),
                                                          thresholds: [0.35]).all[0]
                let iou = boxes.map { $0.iou(scene.box) }.max() ?? 0
                let right = rng.unit() < (quality == .background ? 0.5 : 0.85)
                let predicted = right ? label : (label + 1 + rng.int(below: classes.count - 1)) % classes.count
                let confidence = right ? rng.uniform(0.55, 0.99) : rng.uniform(0.2, 0.6)
                let stem = (runs.count > 1 ? "\(run)/" : "") + imageID
                let outcome = RunOutcome(predictedClass: predicted, predictedName: classes[predicted], confidence: confidence,
                                         iou: iou, boxes: boxes, panel: "panels/\(stem).png", thumbnail: "thumbs/\(stem).jpg")
                let caption = Panel.caption(imageID: imageID, trueClass: label, trueName: name, outcome: outcome)
                let panel = try Panel.render(PanelInput(
                    image: image, maps: [PanelMap("map", try Tensor(values, shape: [size, size]))],
                    groundTruth: [scene.box], predicted: boxes, caption: caption))
                for path in [outcome.panel, outcome.thumbnail] {
                    let folder = folder.appendingPathComponent(path).deletingLastPathComponent()
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                }
                try ImageFiles.write(panel.full, to: folder.appendingPathComponent(outcome.panel).path)
                try ImageFiles.writeThumbnail(panel.tiles, to: folder.appendingPathComponent(outcome.thumbnail).path)
                outcomes.append(outcome)
            }
            records.append(GalleryRecord(imageID: imageID, trueClass: label, trueName: name, run: outcomes[0],
                                         compare: outcomes.count > 1 ? outcomes[1] : nil))
        }
        return records
    }
}
