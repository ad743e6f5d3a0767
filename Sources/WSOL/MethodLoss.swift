import Torch

/// The training loss of each method (METHOD.md section 2), from one forward's outputs:
///
///     cam:    L_cls
///     bas:    L_cls + alpha * CE(S_fg) + mean(r) + beta * mean(Mf2)
///     sfpnsc: L_cls + w_sf * L_sf + w_pnsc * L_pnsc (+ w_fg_cls * CE(S_fg), the level anchor [ours])
///
/// with, for any mask method, the floor under the mask's area [ours] `--area-floor` (`AreaFloor`),
/// with soft fusion BAS's ratio on Mf1's erasure of F1 [ours] `--shallow-ratio` (`shallow_ratio`), and
/// the ablations between them [ours]: `--contrast` swaps PNSC and BAS's ratio loss (with CE(S_fg));
/// `--no-soft-fusion` drops L_sf; BAS's area term stays wherever BAS's method or contrast is.
public enum MethodLoss {
    public static func terms(_ out: WSOLOutputs, labels: Tensor, options: MethodOptions,
                             basSaturatedRatio: Double) throws -> LossTerms {
        var terms = LossTerms()
        terms.add("cls", try crossEntropy(out.scores, labels))
        guard options.method != .cam else { return terms }
        guard let mf2 = out.mf2, let foreground = out.scoresForeground,
              let background = out.scoresBackground else {
            throw WSOLError("the \(options.method.rawValue) loss needs Mf2, S_fg and S_bg "
                + "(run the background pass)")
        }
        if options.softFusion {
            guard let mf1 = out.mf1 else { throw WSOLError("soft fusion needs Mf1") }
            terms.add(try SoftFusion.loss(mf1: mf1, mf2: mf2, w1: options.w1, w2: options.w2,
                                          a1: options.a1, a2: options.a2, scale: options.wSF,
                                          gate: options.gateOfSoftFusion))
        }
        switch options.contrast {
        case .pnsc:
            terms.add(try PNSC.loss(scores: out.scores, foreground: foreground, background: background,
                                    detachScores: options.pnscDetachS, space: options.spaceOfPNSC,
                                    target: options.targetOfPNSC, labels: labels, scale: options.wPNSC))
            if options.wForegroundCE > 0 {
                terms.add(try BASLoss.foregroundClassification(foreground, labels: labels,
                                                               weight: options.wForegroundCE, name: "fg_cls"))
            }
        case .bas:
            terms.add(try BASLoss.contrast(scores: out.scores, foreground: foreground, background: background,
                                           labels: labels, alpha: options.basAlpha,
                                           saturatedRatio: basSaturatedRatio))
        }
        if options.usesShallowBackgroundPass {
            guard let shallowBackground = out.scoresBackgroundShallow else {
                throw WSOLError("--shallow-ratio needs S_bg1 (run the background pass)")
            }
            terms.add("shallow_ratio", try BASLoss.ratio(scores: out.scores, background: shallowBackground,
                                                         labels: labels, saturatedRatio: basSaturatedRatio)
                * options.weightOfShallowRatio)
        }
        if options.usesBASArea { terms.add(try BASLoss.area(mf2: mf2, beta: options.basBeta)) }
        if options.floorOfArea > 0 {
            terms.add(try AreaFloor.loss(mf2: mf2, floor: options.floorOfArea,
                                         weight: options.weightOfAreaFloor,
                                         gradient: options.areaFloorGradient ?? .straight))
        }
        return terms
    }
}

extension WSOLModel {
    /// One training forward with the ground-truth class selected, and the method's loss terms. During a
    /// warm-up [ours] the loss is L_cls alone (CAM's): no mask loss, so G1 and G2 receive no gradient,
    /// and the background pass is skipped; with `--mask-seed`, G1 and G2 (on detached features) also
    /// learn the CAM (`MaskSeed`).
    public func trainingLoss(_ images: Tensor, labels: Tensor,
                             warmUp: Bool = false) throws -> (outputs: WSOLOutputs, loss: LossTerms) {
        let out = try self(images, selection: .groundTruth(labels),
                           background: options.usesBackgroundPass && !warmUp,
                           generatorsDetached: warmUp)
        if warmUp {
            var loss = LossTerms()
            loss.add("cls", try crossEntropy(out.scores, labels))
            if options.seedsMasks, let mf2 = out.mf2 {
                loss.add(try MaskSeed.loss(f3: out.f3, labels: labels, mf2: mf2, mf1: out.mf1,
                                           weight: options.maskSeed ?? 0))
            }
            return (out, loss)
        }
        let loss = try MethodLoss.terms(out, labels: labels, options: options,
                                        basSaturatedRatio: backbone.basSaturatedRatio)
        return (out, loss)
    }
}
