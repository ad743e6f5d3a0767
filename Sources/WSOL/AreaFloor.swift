import Torch

/// [ours] The floor under the mask's area (docs/RESULTS.md section 4): each image's deep map must cover
/// at least the fraction f of the image, or pay for the shortfall.
///
///     L_floor = w * mean_i ReLU(f - mean(Mf2_i))
///
/// Below f, its per-pixel gradient (w against the area terms' a, per image) lifts the mask faster than
/// the area terms sink it; above f it is silent and the method's own loss decides the extent. It does
/// not depend on F3's scale, unlike the anchor CE(S_fg), whose threshold a / w is in F3's units.
///
/// A map that has already died is a saturated sigmoid, whose slope sigma' = M(1 - M) is about 0: the
/// plain gradient cannot lift it (measured: classes stayed dead). With `straightThrough`, the floor's
/// gradient reaches G2's logits at the sigmoid's steepest slope, 1/4, wherever M is: its value is the
/// same, its gradient on M is divided by sg(sigma') and multiplied by 1/4.
public enum AreaFloor {
    public enum Gradient: String, Codable, CaseIterable, Sendable {
        /// Through the sigmoid, as every other term (vanishes where the map is saturated).
        case sigmoid
        /// At the slope 1/4 on the logits, wherever the map is.
        case straight
    }

    /// The term `area_floor`.
    public static func loss(mf2: Tensor, floor: Double, weight: Double,
                            gradient: Gradient) throws -> LossTerms {
        let map = gradient == .straight ? try steepestSlope(mf2) : mf2
        let perImage = try map.flatten(startDim: 1).mean(dims: [1])
        var terms = LossTerms()
        terms.add("area_floor", try (floor - perImage).relu().mean() * weight)
        return terms
    }

    /// M's value with the gradient scaled by 1/4 / sg(M(1 - M)), floored at 1e-30 so a map at exactly 0
    /// or 1 (sigma' = 0) gets none rather than an infinity.
    static func steepestSlope(_ m: Tensor) throws -> Tensor {
        let fixed = m.detach()
        let slope = try (fixed * (1.0 - fixed)).clamp(min: 1e-30)
        return try fixed + (m - fixed) * (0.25 / slope)
    }
}
