import CTorchBridge
import Torch

/// Cut-outs (photographed objects with an alpha channel) through OpenCV in the bridge: decoding with
/// alpha, the measurements the photo filter uses, and pasting on a background photo.
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

    /// Where and how a cut-out is pasted on the canvas (tb.CompositeParams's fields).
    public struct Placement: Sendable, Equatable {
        /// The window of the background photo that is resized to the canvas, then mirrored if set.
        public var backgroundX = 0, backgroundY = 0, backgroundWidth = 1, backgroundHeight = 1
        public var backgroundFlip = false
        /// The cut-out's top-left corner on the canvas and its size there (it may overhang the edges).
        public var x = 0, y = 0, width = 1, height = 1
        public var flip = false
        /// alpha becomes min(alpha, Gaussian(alpha, sigma)) after resizing: a soft inner edge.
        public var featherSigma = 0.0
        /// Colour jitter of the cut-out, 1 = unchanged.
        public var brightness = 1.0, contrast = 1.0, saturation = 1.0
        public init() {}
    }

    /// uint8 [H, W, 4] RGBA; an image without an alpha channel is an error naming the file.
    public static func decode(_ path: String) throws -> Tensor {
        try tensor(tb.decodeRGBA(std.string(path)))
    }

    public static func measure(_ rgba: Tensor) throws -> Measure {
        let s = tb.measureCutout(rgba.handle)
        if s.failed { throw TorchError(String(cString: s.error.__c_strUnsafe())) }
        let bounds = s.visibleArea > 0 ? Box(x0: s.x0, y0: s.y0, x1: s.x1, y1: s.y1) : nil
        return Measure(visibleArea: Int(s.visibleArea), solidArea: Int(s.solidArea), bounds: bounds,
                       texture: s.texture)
    }

    /// Pastes `rgba` on `background` (uint8 [H, W, 3]) per `placement`: the uint8 [height, width, 3]
    /// image and the uint8 [height, width] mask (255 where the placed alpha > 0.5).
    public static func composite(_ rgba: Tensor, on background: Tensor, width: Int, height: Int,
                                 placement p: Placement) throws -> (image: Tensor, mask: Tensor) {
        var params = tb.CompositeParams()
        params.backgroundX = Int64(p.backgroundX)
        params.backgroundY = Int64(p.backgroundY)
        params.backgroundWidth = Int64(p.backgroundWidth)
        params.backgroundHeight = Int64(p.backgroundHeight)
        params.backgroundFlip = p.backgroundFlip
        params.stampX = Int64(p.x)
        params.stampY = Int64(p.y)
        params.stampWidth = Int64(p.width)
        params.stampHeight = Int64(p.height)
        params.stampFlip = p.flip
        params.featherSigma = p.featherSigma
        params.brightness = p.brightness
        params.contrast = p.contrast
        params.saturation = p.saturation
        let both = try tensor(tb.compositeCutout(background.handle, rgba.handle, Int64(width), Int64(height),
                                                 params))
        let image = try both.slice(dim: 2, start: 0, end: 3).contiguous()
        let mask = try both.slice(dim: 2, start: 3, end: 4).contiguous().reshape([height, width])
        return (image, mask)
    }

    /// The tensor of a bridge result (Torch's `check` for TensorResult does not resolve from here).
    private static func tensor(_ result: tb.TensorResult) throws -> Tensor {
        if result.failed { throw TorchError(String(cString: result.error.__c_strUnsafe())) }
        return Tensor(handle: result.value)
    }
}
