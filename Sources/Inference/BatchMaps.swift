import Datasets
import Evaluation
import Torch
import WSOL

/// The model's class scores or maps hold NaN or infinity, or values so large that preparing a map
/// overflows float32: the weights (a diverged training's checkpoint), not the image, are at fault.
/// `LoadedModel.namingCheckpoint` turns it into one line naming the checkpoint.
public struct NonFiniteOutputError: Error {
    /// Beyond this magnitude a map's min-max normalization (after a bicubic resize's overshoot) can
    /// overflow float32.
    static let usableMagnitude = Float.greatestFiniteMagnitude / 64

    /// Throws unless every value is finite and below `usableMagnitude`: one reduction where the tensor
    /// lives (max propagates NaN, which fails the comparison), no copy to the host.
    static func check(_ t: Tensor) throws {
        guard try t.abs().max().item() < Double(usableMagnitude) else { throw NonFiniteOutputError() }
    }
}

/// The model's answer for one batch of views: class probabilities per image (averaged over its views)
/// and the raw localization map of each image's reference view for a class selection.
public struct BatchMaps {
    /// Softmax class probabilities per image, averaged over the image's views (ten-crop) [B][C].
    public let probabilities: [[Float]]
    /// Per image: the raw map [H, W] at the model's resolution, for the requested selection.
    public let maps: [ScoreMap]
    /// CAM only: the map of the top-1 class of `probabilities` (Top-1/Top-5 Loc), else nil.
    public let predictedClassMaps: [ScoreMap]?
    /// Per image, when asked for and the model has both generators (sfpnsc): Mf2 and Mf1 as G2 and G1
    /// give them (raw, each at its own resolution) for the same selection as `maps`; else nil.
    public let generatorMaps: [(deep: ScoreMap, shallow: ScoreMap)]?

    /// Runs `model` (eval mode, no gradient) on `images` [B * views, 3, S, S]. `referenceView` is the view
    /// whose map localizes (the centre crop, 4, of a ten-crop).
    public init(model: WSOLModel, images: Tensor, labels: [Int], views: Int, referenceView: Int,
                classMode: ClassMode, topK: Int, withPredictedClassMaps: Bool,
                withGeneratorMaps: Bool = false) throws {
        let count = labels.count
        var generators: (deep: Tensor, shallow: Tensor)?
        let (probabilities, maps, predicted): ([[Float]], Tensor, Tensor?) = try withNoGrad {
            let out = try model(images, selection: .top1, background: false)
            let classes = out.scores.shape[1]
            let averaged = try out.scores.softmax(dim: 1).view([count, views, classes]).mean(dims: [1])
            let rows = try Tensor((0..<count).map { $0 * views + referenceView }, shape: [count])
            let repeated = try Tensor(labels.flatMap { Array(repeating: $0, count: views) },
                                      shape: [count * views])
            let selection = classMode.selection(labels: repeated, k: topK)
            let maps = try out.map(model.options.map, selection).indexSelect(dim: 0, index: rows)
            var predicted: Tensor?
            if withPredictedClassMaps {
                let top1 = try averaged.argmax(dim: 1).view([count, 1]).expand([count, views])
                    .reshape([count * views])
                predicted = try out.map(model.options.map, .groundTruth(top1))
                    .indexSelect(dim: 0, index: rows)
            }
            if withGeneratorMaps, out.deepMaps != nil, out.shallowMaps != nil {
                generators = (try out.map(.deep, selection).indexSelect(dim: 0, index: rows),
                              try out.map(.shallow, selection).indexSelect(dim: 0, index: rows))
            }
            try NonFiniteOutputError.check(out.scores)
            try NonFiniteOutputError.check(maps)
            return (try Self.rows(averaged), maps, predicted)
        }
        self.probabilities = probabilities
        self.maps = try Self.scoreMaps(maps)
        predictedClassMaps = try predicted.map(Self.scoreMaps)
        generatorMaps = try generators.map { g in
            zip(try Self.scoreMaps(g.deep), try Self.scoreMaps(g.shallow)).map { (deep: $0, shallow: $1) }
        }
    }

    private static func rows(_ t: Tensor) throws -> [[Float]] {
        let flat = try t.contiguous().floats(), width = t.shape[1]
        return (0..<t.shape[0]).map { Array(flat[($0 * width)..<(($0 + 1) * width)]) }
    }

    /// [B, 1, H, W] -> one ScoreMap per image.
    private static func scoreMaps(_ t: Tensor) throws -> [ScoreMap] {
        let (h, w) = (t.shape[2], t.shape[3])
        let flat = try t.to(.float32).contiguous().floats()
        return (0..<t.shape[0]).map {
            ScoreMap(height: h, width: w, values: Array(flat[($0 * h * w)..<(($0 + 1) * h * w)]))
        }
    }
}
