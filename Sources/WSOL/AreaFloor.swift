import Torch

/// [ours] The floor under the mask's area (docs/RESULTS.md section 4): each image's deep map must cover
/// at least the fraction f of the image, or pay for the shortfall.
///
///     L_floor = w * mean_i ReLU(f - mean(Mf2_i))
///
/// Below f, its per-pixel gradient (w against the area terms' a, per image) lifts the mask faster than
/// the area terms sink it, so no image's (and no class's) map can saturate at 0; above f it is silent
/// and the method's own loss decides the extent. It does not depend on F3's scale, unlike the anchor
/// CE(S_fg), whose threshold a / w is in F3's units and which leaves classes with small margins dead.
public enum AreaFloor {
    /// The term `area_floor`.
    public static func loss(mf2: Tensor, floor: Double, weight: Double) throws -> LossTerms {
        let perImage = try mf2.flatten(startDim: 1).mean(dims: [1])
        var terms = LossTerms()
        terms.add("area_floor", try (floor - perImage).relu().mean() * weight)
        return terms
    }
}
