import Torch

/// [ours] Seeding the masks from CAM during the warm-up (docs/RESULTS.md section 4): G2 (and G1) learn
/// the ground-truth class's own CAM, so that no class's map starts the method's losses dead.
///
///     L_seed = w * (mean((Mf2 - sg(n(F3_y)))^2) + mean((Mf1 - sg(n(F3_y)))^2))
///
/// n(x) = (x - min) / (max - min + 1e-5) per image, after resizing F3_y bilinearly to each map's size.
/// G1 and G2 read detached features while seeding, so the backbone and the head see L_cls alone, as in a
/// plain warm-up.
public enum MaskSeed {
    /// The term `mask_seed`.
    public static func loss(f3: Tensor, labels: Tensor, mf2: Tensor, mf1: Tensor?,
                            weight: Double) throws -> LossTerms {
        let cam = try ClassSelection.groundTruth(labels).select(f3.detach(), scores: f3)
        var total = try mseLoss(mf2, normalizedMap(cam, size: Array(mf2.shape.suffix(2))))
        if let mf1 { total = try total + mseLoss(mf1, normalizedMap(cam, size: Array(mf1.shape.suffix(2)))) }
        var terms = LossTerms()
        terms.add("mask_seed", try total * weight)
        return terms
    }
}
