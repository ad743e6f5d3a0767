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
    /// What the cosines compare (`--pnsc-space`).
    public enum Space: String, Codable, CaseIterable, Sendable {
        /// The class scores, as the paper writes eq. 8. Scale-invariant: a uniformly dimmer mask scores
        /// the same, so nothing in PNSC holds the mask's level up.
        case scores
        /// [ours] softmax(S), softmax(S_fg), softmax(S_bg). softmax is not scale-invariant: a dimmer mask
        /// gives smaller S_fg, a flatter softmax(S_fg) and a lower cos(p, p_fg), so the positive term
        /// itself holds the level up; and the negative term weighs the classes the image is about,
        /// not the logits every image shares.
        case probabilities
    }

    /// What S_fg and S_bg are compared with (`--pnsc-target`).
    public enum Target: String, Codable, CaseIterable, Sendable {
        /// The image's own scores S (the paper): the mask keeps what the classifier saw, right or wrong.
        case prediction
        /// [ours] The ground-truth class as a one-hot vector e_y: cos(e_y, v) = v[y] / |v|, so the
        /// foreground must hold the labelled class and the background lose it, as BAS's losses ask.
        case label
    }

    /// Terms `pnsc_positive` and `pnsc_negative`, batch means, scaled by `scale` (w_pnsc). `labels`
    /// are needed for the `label` target.
    public static func loss(scores: Tensor, foreground: Tensor, background: Tensor, detachScores: Bool,
                            space: Space = .scores, target: Target = .prediction, labels: Tensor? = nil,
                            scale: Double = 1) throws -> LossTerms {
        func compared(_ t: Tensor) throws -> Tensor { space == .probabilities ? try t.softmax(dim: 1) : t }
        let s: Tensor
        switch target {
        case .prediction: s = try compared(detachScores ? scores.detach() : scores)
        case .label:
            guard let labels else { throw WSOLError("--pnsc-target label needs the labels") }
            let classes = try Tensor.arange(end: Double(scores.shape[1]), dtype: .int64)
                .to(device: labels.device)
            s = try labels.view([-1, 1]).eq(classes.view([1, -1])).to(foreground.dtype)
        }
        var terms = LossTerms()
        terms.add("pnsc_positive",
                  try (1.0 - cosineSimilarity(s, compared(foreground), dim: 1)).mean() * scale)
        terms.add("pnsc_negative", try cosineSimilarity(s, compared(background), dim: 1).mean() * scale)
        return terms
    }
}
