import CTorchBridge

/// Cut-outs (photographed objects with an alpha channel) through OpenCV: decoding with alpha, the
/// measurements a photo filter uses, and pasting on a background photo.
public enum Compositing {
    /// What `measure` finds on an RGBA cut-out; "visible" means alpha >= 128 (of 255).
    public struct CutoutStats: Sendable, Equatable {
        /// Pixels with alpha >= 128 and with alpha == 255.
        public let visibleArea: Int, solidArea: Int
        /// Bounds of the visible pixels, [x0, x1) x [y0, y1); all 0 when nothing is visible.
        public let x0: Double, y0: Double, x1: Double, y1: Double
        /// Of the solid pixels whose 3x3 neighbourhood is solid, the fraction where the 4-neighbour
        /// Laplacian of the gray image is at least 8 in magnitude (photos have grain, flat fills none).
        public let texture: Double
    }

    /// Where and how a cut-out is pasted on the canvas.
    public struct Placement: Sendable, Equatable {
        /// The window of the background photo that is resized to the canvas, then mirrored if set.
        public var backgroundX = 0, backgroundY = 0, backgroundWidth = 1, backgroundHeight = 1
        public var backgroundFlip = false
        /// The cut-out's top-left corner on the canvas and its size there (it may overhang the edges).
        public var x = 0, y = 0, width = 1, height = 1
        public var flip = false
        /// alpha becomes min(alpha, Gaussian(alpha, sigma)) after resizing: a soft inner edge (0: none).
        public var featherSigma = 0.0
        /// Colour jitter of the cut-out, 1 = unchanged: brightness scales colours, contrast scales their
        /// distance to the cut-out's mean gray, saturation their distance to each pixel's gray.
        public var brightness = 1.0, contrast = 1.0, saturation = 1.0
        public init() {}
    }

    /// Decodes an image file keeping its alpha channel: uint8 [H, W, 4] RGBA (16-bit files scaled to
    /// 8 bits). A file without an alpha channel is an error naming it.
    public static func decodeRGBA(_ path: String) throws -> Tensor {
        try check(tb.decodeRGBA(std.string(path)))
    }

    /// Measures a uint8 [H, W, 4] RGBA cut-out.
    public static func measure(_ rgba: Tensor) throws -> CutoutStats {
        let s = tb.measureCutout(rgba.handle)
        if s.failed { throw TorchError(String(s.error)) }
        return CutoutStats(visibleArea: Int(s.visibleArea), solidArea: Int(s.solidArea),
                           x0: s.x0, y0: s.y0, x1: s.x1, y1: s.y1, texture: s.texture)
    }

    /// Pastes `rgba` (uint8 [h, w, 4], straight alpha) on the window `placement` picks of `background`
    /// (uint8 [H, W, 3] RGB) resized to height x width. Colours are resized premultiplied (no dark
    /// fringe) and blended as colour * alpha + background * (1 - alpha). Returns uint8
    /// [height, width, 4]: the RGB composite and, as channel 3, the mask (255 where the placed
    /// alpha > 0.5).
    public static func paste(_ rgba: Tensor, on background: Tensor, width: Int, height: Int,
                             placement p: Placement) throws -> Tensor {
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
        return try check(tb.compositeCutout(background.handle, rgba.handle, Int64(width), Int64(height),
                                            params))
    }
}
