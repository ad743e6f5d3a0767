/// Which defaults fill the mask-loss options a command line does not give.
///
/// `paper` is METHOD.md's loss. `revived` [ours] is the recipe of the mask study (docs/RESULTS.md
/// section 4), chosen on 5 seeds of resnet18 on the 12 photo birds, where sfpnsc with it beats bas
/// (paper map) by 4.5 and cam by 6.2 points of MaxBoxAccV2: the mask losses train G1/G2 only
/// (`--detach-generators --detach-f3`), the masks learn the CAM during a 3-epoch warm-up
/// (`--mask-seed 1`), a floor holds each mask's area (`--area-floor 0.05`), G1/G2 learn at a tenth of
/// BAS's rate (`--generator-lr-scale 0.1`), and the map that localizes is the mask with the classifier's
/// CAM (`--map fused`); for sfpnsc also `--a1 0.1 --pnsc-space probabilities --shallow-ratio 1`.
/// `wsol train` uses `revived` for sfpnsc unless told otherwise, `paper` for bas.
public enum Recipe: String, Codable, CaseIterable, Sendable {
    case paper, revived

    /// The recipe's epochs of L_cls alone before the mask losses.
    public var warmupEpochs: Int? { self == .revived ? 3 : nil }
    /// The recipe's scale of G1's and G2's learning rates.
    public var generatorLRScale: Double? { self == .revived ? 0.1 : nil }

    /// `options` (METHOD.md's defaults for their method) with the recipe's mask-loss options.
    public func apply(to options: MethodOptions) -> MethodOptions {
        guard self == .revived, options.method != .cam else { return options }
        var o = options
        o.detachGeneratorInput = true
        o.detachF3 = true
        o.maskSeed = 1
        o.areaFloor = 0.05
        o.map = .fused
        if o.method == .sfpnsc {
            o.a1 = 0.1
            o.pnscSpace = .probabilities
            o.shallowRatio = 1
        }
        return o
    }
}
