import Torch

/// Soft fusion, or reverse supervision (the paper's eq. 4, METHOD.md section 2): the shallow and deep
/// foreground maps supervise each other, each through a stop-gradient copy of the other, plus the
/// area terms.
///
///     L_sf = w1 * mean((Mf1 - sg(up(Mf2)))^2) + w2 * mean((Mf2 - sg(down(Mf1)))^2)
///          + a1 * mean(Mf1) + a2 * mean(Mf2)
///
/// The printed eq. 4 writes the second term as (M*f2 - Mf2); its text says the downsampled shallow map
/// supervises the deep map, which is what is computed here.
///
/// [ours] `--sf-gate deep` weighs the deep term per pixel by g = sg(maxpool3x3(Mf2)), the deep map
/// dilated by one cell: the shallow map's detail reaches Mf2 at the object's border, its background
/// edges far from the object do not (docs/RESULTS.md section 4).
///
///     sf_deep = w2 * mean(g * (Mf2 - sg(down(Mf1)))^2)
public enum SoftFusion {
    /// Where the shallow map supervises the deep one.
    public enum Gate: String, Codable, CaseIterable, Sendable {
        /// Everywhere (the paper).
        case none
        /// Near the deep map's own foreground.
        case deep
    }

    /// Terms `sf_shallow` (w1), `sf_deep` (w2), `sf_area_shallow` (a1), `sf_area_deep` (a2), each
    /// weighted, and further scaled by `scale` (w_sf).
    public static func loss(mf1: Tensor, mf2: Tensor, w1: Double, w2: Double, a1: Double, a2: Double,
                            scale: Double = 1, gate: Gate = .none) throws -> LossTerms {
        let shallowSize = Array(mf1.shape.suffix(2)), deepSize = Array(mf2.shape.suffix(2))
        // up(Mf2): bilinear, align_corners false; down(Mf1): adaptive average pooling [ours].
        let deepAsLabel = try mf2.interpolate(size: shallowSize, mode: .bilinear,
                                              alignCorners: false).detach()
        let shallowAsLabel = try mf1.adaptiveAvgPool2d(deepSize).detach()
        var terms = LossTerms()
        terms.add("sf_shallow", try mseLoss(mf1, deepAsLabel) * (scale * w1))
        let deepTerm = gate == .none ? try mseLoss(mf2, shallowAsLabel)
            : try (nearDeepForeground(mf2) * (mf2 - shallowAsLabel).pow(2)).mean()
        terms.add("sf_deep", try deepTerm * (scale * w2))
        terms.add("sf_area_shallow", try mf1.mean() * (scale * a1))
        terms.add("sf_area_deep", try mf2.mean() * (scale * a2))
        return terms
    }

    /// g = sg(maxpool3x3, stride 1, padding 1 (Mf2)).
    static func nearDeepForeground(_ mf2: Tensor) throws -> Tensor {
        try mf2.detach().maxPool2d(kernelSize: [3, 3], stride: [1, 1], padding: [1, 1])
    }
}
