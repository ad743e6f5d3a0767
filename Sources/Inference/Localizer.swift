import Datasets
import Evaluation
import Foundation
import Torch
import WSOL

/// One image localized: its classes, the selected map and every box at the threshold.
public struct Localization {
    public var image: String
    public var imageSize: ImageSize
    /// The top classes, best first: (class index, softmax probability).
    public var top: [(index: Int, probability: Double)]
    public var logits: [Float]
    /// Every box at the threshold in the image's own pixels [x0, y0, x1, y1), largest first.
    public var boxes: [Box]
    /// The same boxes in network-input pixels [x0, y0, x1, y1).
    public var inputBoxes: [PixelBox]
    /// The selected map upsampled bilinearly (align_corners false) to the network input, S x S, before
    /// any normalization.
    public var map: Tensor
    /// The network input as it saw the image: the whole image (full) or the centre crop (crop).
    public var view: Geometry
}

/// `wsol localize`'s work: an image through the model as one of the two protocols feeds it, the map of
/// the selected class, and its boxes mapped back to the image's pixels.
public struct Localizer {
    public enum Preprocess: String, CaseIterable, Sendable {
        /// The image resized to S x S, as the full-image protocol does.
        case full
        /// Resized to R x R and centre-cropped to S, as the crop protocol does.
        case crop
    }

    public let model: WSOLModel
    public let preprocess: Preprocess
    public let classMode: ClassMode
    public let topK: Int
    public let threshold: Double

    public init(model: WSOLModel, preprocess: Preprocess, classMode: ClassMode, topK: Int,
                threshold: Double) {
        self.model = model
        self.preprocess = preprocess
        self.classMode = classMode
        self.topK = topK
        self.threshold = threshold
    }

    public var transform: ImageTransform {
        ImageTransform(preprocess == .full ? .fullImage : .centerCrop, imageSize: model.spec.imageSize)
    }

    /// The network input for an image: [1, 3, S, S] and the geometry that made it.
    public func input(_ path: String) throws -> (tensor: Tensor, view: Geometry, size: ImageSize) {
        let image = try ImageIO.decode(path)
        let size = ImageSize(width: image.shape[1], height: image.shape[0])
        var random = SeededRandom(seed: 0, 0, 0)
        let (tensor, _) = try transform.apply(image, source: size, boxes: [], random: &random)
        return (tensor, transform.geometries(for: size, random: &random)[0], size)
    }

    public func localize(_ path: String, label: Int? = nil) throws -> Localization {
        let (x, view, size) = try input(path)
        let s = model.spec.imageSize
        let (logits, map) = try withNoGrad { () -> (Tensor, Tensor) in
            let out = try model(x.to(device: model.device), selection: .top1, background: false)
            let labels = try Tensor([label ?? 0], shape: [1])
            let selected = try out.map(model.options.map, classMode.selection(labels: labels, k: topK))
            let up = try selected.interpolate(size: [s, s], mode: .bilinear, alignCorners: false)
            return (out.scores, try up.view([s, s]).to(device: "cpu"))
        }
        let values = try logits.to(device: "cpu").floats()
        try NonFiniteOutputError.check(logits)
        try NonFiniteOutputError.check(map)
        let probabilities = try logits.softmax(dim: 1).to(device: "cpu").floats()
        let ranking = Classification.ranking(probabilities)
        let top = ranking.prefix(5).map { (index: $0, probability: Double(probabilities[$0])) }
        let inputBoxes = try Self.boxes(map: ScoreMap(map), threshold: threshold)
        return Localization(image: path, imageSize: size, top: Array(top), logits: values,
                            boxes: inputBoxes.map { Self.toImage($0, view) }, inputBoxes: inputBoxes,
                            map: map, view: view)
    }

    /// Every contour's box of the min-max normalized map at `threshold`, largest first, in map pixels
    /// [x0, y0, x1, y1) (Contours.contourBoxes); none for a constant map.
    public static func boxes(map: ScoreMap, threshold: Double) throws -> [PixelBox] {
        let normalized = try map.preparedForFullProtocol(size: map.height)
        guard normalized.values.contains(where: { $0 > 0 }) else { return [] }
        return try Contours.contourBoxes(normalized, threshold: threshold)
    }

    /// A box in network-input pixels back to the image's: undo the crop offset, then the resize.
    public static func toImage(_ box: PixelBox, _ view: Geometry) -> Box {
        let sx = Double(view.source.width) / Double(view.resize.width)
        let sy = Double(view.source.height) / Double(view.resize.height)
        let (ox, oy) = (Double(view.crop.x), Double(view.crop.y))
        func clampX(_ v: Double) -> Double { min(max(v, 0), Double(view.source.width)) }
        func clampY(_ v: Double) -> Double { min(max(v, 0), Double(view.source.height)) }
        return Box(x0: clampX((Double(box.x0) + ox) * sx), y0: clampY((Double(box.y0) + oy) * sy),
                   x1: clampX((Double(box.x1) + ox) * sx), y1: clampY((Double(box.y1) + oy) * sy))
    }
}
