import Torch

/// Positive-negative sample contrast (the paper's eq. 8, METHOD.md section 2): the foreground-masked
/// scores S_fg should point the same way as the image's scores S, the background scores S_bg away.
///
///     L_pnsc = (1 - cos(S, S_fg)) + cos(S, S_bg)
///
/// The printed eq. 8 has the two signs the other way round, contradicting its own text ("maximize the
/// similarity of S and S_fg, minimize that of S and S_bg"); the text wins. S is detached inside the
/// cosines by default (`--pnsc-detach-s`, as BAS detaches S in its ratio loss). S_bg comes from the
/// background pass (WSOLModel.backgroundScores).
public enum PNSC {
    /// Terms `pnsc_positive` and `pnsc_negative`, batch means, scaled by `scale` (w_pnsc).
    public static func loss(scores: Tensor, foreground: Tensor, background: Tensor, detachScores: Bool,
                            scale: Double = 1) throws -> LossTerms {
        let s = detachScores ? scores.detach() : scores
        var terms = LossTerms()
        terms.add("pnsc_positive", try (1.0 - cosineSimilarity(s, foreground, dim: 1)).mean() * scale)
        terms.add("pnsc_negative", try cosineSimilarity(s, background, dim: 1).mean() * scale)
        return terms
    }
}
