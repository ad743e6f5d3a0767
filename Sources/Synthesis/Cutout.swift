import Datasets
import Torch

/// Cut-outs (photographed objects with an alpha channel) for the photo datasets: Torch's compositing
/// with the measurements as a Box and the composite split into image and mask.
public enum Cutout {
    /// What `measure` finds on an RGBA cut-out; "visible" means alpha >= 128 (of 255).
    public struct Measure: Sendable, Equatable {
        public let visibleArea: Int
        public let solidArea: Int
        /// Bounds of the visible pixels (nil when none is visible).
        public let bounds: Box?
        /// Fraction of interior solid pixels with a 4-neighbour gray Laplacian of magnitude >= 8.
        public let texture: Double
    }

    /// Where and how a cut-out is pasted on the canvas.
    public typealias Placement = Compositing.Placement

    /// uint8 [H, W, 4] RGBA; an image without an alpha channel is an error naming the file.
    public static func decode(_ path: String) throws -> Tensor {
        try Compositing.decodeRGBA(path)
    }

    public static func measure(_ rgba: Tensor) throws -> Measure {
        let s = try Compositing.measure(rgba)
        let bounds = s.visibleArea > 0 ? Box(x0: s.x0, y0: s.y0, x1: s.x1, y1: s.y1) : nil
        return Measure(visibleArea: s.visibleArea, solidArea: s.solidArea, bounds: bounds, texture: s.texture)
    }

    /// Pastes `rgba` on `background` (uint8 [H, W, 3]) per `placement`: the uint8 [height, width, 3]
    /// image and the uint8 [height, width] mask (255 where the placed alpha > 0.5).
    public static func composite(_ rgba: Tensor, on background: Tensor, width: Int, height: Int,
                                 placement: Placement) throws -> (image: Tensor, mask: Tensor) {
        let both = try Compositing.paste(rgba, on: background, width: width, height: height,
                                         placement: placement)
        let image = try both.slice(dim: 2, start: 0, end: 3).contiguous()
        let mask = try both.slice(dim: 2, start: 3, end: 4).contiguous().reshape([height, width])
        return (image, mask)
    }
}
