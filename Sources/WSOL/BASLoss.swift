import Torch

/// BAS-Ext's loss terms besides L_cls (METHOD.md section 2, "Baselines"):
///
///     alpha * CE(S_fg, y) + mean(r) + beta * mean(Mf2),
///     r = ReLU(S_bg[y]) / (sg(ReLU(S[y])) + 1e-8), set to a constant where ReLU(S_bg[y]) > ReLU(S[y])
///
/// The constant is BAS's: 0 for VGG, 1 for every other backbone.
public enum BASLoss {
    /// The ratio loss `bas_ratio` and `bas_foreground_cls` (alpha * CE(S_fg)).
    public static func contrast(scores: Tensor, foreground: Tensor, background: Tensor, labels: Tensor,
                                alpha: Double, saturatedRatio: Double) throws -> LossTerms {
        var terms = LossTerms()
        terms.add(try foregroundClassification(foreground, labels: labels, weight: alpha,
                                               name: "bas_foreground_cls"))
        terms.add("bas_ratio", try ratio(scores: scores, background: background, labels: labels,
                                         saturatedRatio: saturatedRatio))
        return terms
    }

    /// mean(r): what is left of the true class's score once the mask is erased, relative to the image's.
    /// [ours] `--shallow-ratio` takes it on S_bg1, the erasure of F1 by Mf1 (`shallow_ratio`).
    public static func ratio(scores: Tensor, background: Tensor, labels: Tensor,
                             saturatedRatio: Double) throws -> Tensor {
        let y = try labels.view([-1, 1])
        let backgroundScore = try background.gather(dim: 1, index: y).relu()
        let imageScore = try scores.gather(dim: 1, index: y).detach().relu()
        let ratio = try backgroundScore / (imageScore + 1e-8)
        let saturated = try backgroundScore.gt(imageScore)
        let constant = try Tensor.full(ratio.shape, value: saturatedRatio, dtype: ratio.dtype)
        return try Tensor.where(saturated, constant, ratio).mean()
    }

    /// weight * CE(S_fg, y): the masked image must still be classified. It is what holds the mask's
    /// level up (an all-zero mask gives uniform S_fg, CE = log C); BAS's alpha term, and [ours] the
    /// anchor `fg_cls` (`--w-fg-cls`) beside PNSC.
    public static func foregroundClassification(_ foreground: Tensor, labels: Tensor, weight: Double,
                                                name: String) throws -> LossTerms {
        var terms = LossTerms()
        terms.add(name, try crossEntropy(foreground, labels) * weight)
        return terms
    }

    /// BAS's area term `bas_area`: beta * mean(Mf2).
    public static func area(mf2: Tensor, beta: Double) throws -> LossTerms {
        var terms = LossTerms()
        terms.add("bas_area", try mf2.mean() * beta)
        return terms
    }
}
