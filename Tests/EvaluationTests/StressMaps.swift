import Foundation
import TestSupport
@testable import Evaluation

/// Normalized maps that stress contour extraction: Gaussian blobs (centres anywhere, borders
/// included) with noise that punches many tiny holes, rings, blocks of equal area (ties for the
/// largest contour), salt and pepper, maps whose foreground touches every border, single pixels,
/// all-zero and constant maps, and sizes down to 1 x 1.
enum StressMaps {
    static func all() -> [(name: String, map: ScoreMap)] {
        var rng = SeededGenerator(seed: 22)
        var out: [(String, ScoreMap)] = []
        for i in 0..<10 {
            let size = i < 6 ? (224, 224)
                : (Int.random(in: 20...90, using: &rng), Int.random(in: 20...90, using: &rng))
            out.append(("blobs \(i)", blobs(size, count: Int.random(in: 1...6, using: &rng),
                                            noise: [0, 0.05, 0.3][i % 3], ring: i % 4 == 1, rng: &rng)))
        }
        for i in 0..<4 { out.append(("blocks \(i)", blocks((64 + 40 * i, 96), rng: &rng))) }
        let salt = (0..<1920).map { _ in Float.random(in: 0...1, using: &rng) }
        out.append(("salt and pepper", ScoreMap(height: 48, width: 40, values: salt)))
        out.append(("frame", framed(30, 41)))
        let constant: [(String, Int, Int, Float)] = [("zeros", 224, 224, 0), ("halves", 31, 17, 0.5),
                                                     ("ones", 224, 224, 1), ("one pixel", 1, 1, 1),
                                                     ("one row", 1, 9, 0.7), ("one column", 6, 1, 1)]
        for (name, h, w, v) in constant {
            out.append((name, ScoreMap(height: h, width: w, values: [Float](repeating: v, count: h * w))))
        }
        var corner = [Float](repeating: 0, count: 20 * 20)
        corner[0] = 1; corner[399] = 0.5; corner[19] = 0.25
        out.append(("corners", ScoreMap(height: 20, width: 20, values: corner)))
        return out
    }

    /// Gaussian blobs (or rings) plus uniform noise, min-max normalized as the protocol's maps are.
    private static func blobs(_ size: (Int, Int), count: Int, noise: Float, ring: Bool,
                              rng: inout SeededGenerator) -> ScoreMap {
        let (h, w) = size
        var values = [Float](repeating: 0, count: h * w)
        for _ in 0..<count {
            let cy = Float.random(in: -0.1...1.1, using: &rng) * Float(h)
            let cx = Float.random(in: -0.1...1.1, using: &rng) * Float(w)
            let sy = Float.random(in: 0.05...0.3, using: &rng) * Float(h)
            let sx = Float.random(in: 0.05...0.3, using: &rng) * Float(w)
            let weight = Float.random(in: 0.3...1, using: &rng)
            for y in 0..<h {
                for x in 0..<w {
                    let d = pow((Float(y) - cy) / sy, 2) + pow((Float(x) - cx) / sx, 2)
                    values[y * w + x] += weight * (ring ? exp(-pow(d - 2, 2)) : exp(-d))
                }
            }
        }
        for i in values.indices { values[i] += noise * Float.random(in: 0..<1, using: &rng) }
        return normalized(h, w, values)
    }

    /// Rectangles of a few levels, many of the same size: contours of equal area in many places.
    private static func blocks(_ size: (Int, Int), rng: inout SeededGenerator) -> ScoreMap {
        let (h, w) = size
        var values = [Float](repeating: 0, count: h * w)
        for _ in 0..<12 {
            let bh = [3, 5, 8].randomElement(using: &rng)!, bw = [3, 5, 8].randomElement(using: &rng)!
            let y0 = Int.random(in: -2...(h - 1), using: &rng)
            let x0 = Int.random(in: -2...(w - 1), using: &rng)
            let level = Float([0.25, 0.5, 1].randomElement(using: &rng)!)
            for y in max(0, y0)..<min(h, y0 + bh) {
                for x in max(0, x0)..<min(w, x0 + bw) { values[y * w + x] = max(values[y * w + x], level) }
            }
        }
        return ScoreMap(height: h, width: w, values: values)
    }

    /// A ring of ones along every border around a weaker square with a hole.
    private static func framed(_ h: Int, _ w: Int) -> ScoreMap {
        var values = [Float](repeating: 0, count: h * w)
        for y in 0..<h {
            for x in 0..<w where y == 0 || x == 0 || y == h - 1 || x == w - 1 { values[y * w + x] = 1 }
        }
        for y in 8..<20 { for x in 10..<25 where !(12..<16).contains(y) { values[y * w + x] = 0.6 } }
        return ScoreMap(height: h, width: w, values: values)
    }

    private static func normalized(_ h: Int, _ w: Int, _ values: [Float]) -> ScoreMap {
        let low = values.min()!, high = values.max()!
        return ScoreMap(height: h, width: w, values: values.map { ($0 - low) / (high - low) })
    }
}
