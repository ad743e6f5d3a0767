import Datasets
import Evaluation
import Torch
import Visualization

/// export-maps' panel drawn from what the model saw: the normalized network input turned back into
/// RGB, enlarged to at least `minimumTile` pixels (a 64-px model's tiles would leave no room for the
/// caption), boxes scaled with it.
enum ExportPanel {
    static let minimumTile = 224

    /// The batch's views [B, 3, S, S] (normalized with the transform's mean and std) as RGB uint8
    /// [S, S, 3] images, rounded to the nearest level.
    static func pictures(_ images: Tensor, _ transform: ImageTransform) throws -> [Tensor] {
        let mean = try Tensor(transform.mean, shape: [1, 3, 1, 1])
        let std = try Tensor(transform.std, shape: [1, 3, 1, 1])
        let levels = try ((images * std + mean) * 255 + 0.5).clamp(min: 0, max: 255)
        let rgb = try levels.to(.uint8).permute([0, 2, 3, 1]).contiguous()
        return try (0..<rgb.shape[0]).map { try rgb.slice(dim: 0, start: $0, end: $0 + 1).squeeze(dim: 0) }
    }

    /// The panel of `input` (boxes in the S x S picture's pixels), at least `minimumTile` wide per tile.
    static func render(_ input: PanelInput) throws -> RenderedPanel {
        let side = input.image.shape[0]
        guard side < minimumTile, side > 0 else { return try Panel.render(input) }
        let f = Double(minimumTile) / Double(side), last = minimumTile - 1
        // Inclusive corners: a pixel x covers [x, x + 1) and becomes [x * f, (x + 1) * f).
        func scale(_ b: PixelBox) -> PixelBox {
            func low(_ v: Int) -> Int { min(Int(Double(v) * f), last) }
            func high(_ v: Int) -> Int { min(max(Int(Double(v + 1) * f) - 1, 0), last) }
            return PixelBox(low(b.x0), low(b.y0), high(b.x1), high(b.y1))
        }
        var large = input
        large.image = try ImageIO.resize(input.image, height: minimumTile, width: minimumTile,
                                         mode: .bilinear)
        large.groundTruth = input.groundTruth.map(scale)
        large.predicted = input.predicted.map(scale)
        return try Panel.render(large)
    }
}
