import Models
import NN

/// Every option of a method; `MethodOptions(method:architecture:dataset:)` gives METHOD.md's defaults.
public struct MethodOptions: Codable, Equatable, Sendable {
    public var method: Method
    /// Soft fusion weights: w1 on the shallow map's MSE, w2 on the deep map's (the paper's best).
    public var w1 = 1.0, w2 = 1.5
    /// Area weights on mean(Mf1) and mean(Mf2) inside L_sf.
    public var a1 = 1.0, a2 = 1.0
    /// Weights of L_sf and L_pnsc in the total.
    public var wSF = 1.0, wPNSC = 1.0
    public var softFusion: Bool
    /// [ours] Where the shallow map supervises the deep one; nil (older files) is the paper's everywhere.
    public var sfGate: SoftFusion.Gate?
    public var gateOfSoftFusion: SoftFusion.Gate { sfGate ?? .none }
    public var contrast: Contrast
    /// Whether S is detached inside PNSC's cosines (BAS detaches S in its ratio loss).
    public var pnscDetachS = true
    /// [ours] What PNSC's cosines compare; nil (older files) is the paper's scores.
    public var pnscSpace: PNSC.Space?
    public var spaceOfPNSC: PNSC.Space { pnscSpace ?? .scores }
    /// [ours] What PNSC compares S_fg and S_bg with; nil (older files) is the paper's S.
    public var pnscTarget: PNSC.Target?
    public var targetOfPNSC: PNSC.Target { pnscTarget ?? .prediction }
    /// BAS-Ext's weights: alpha on CE(S_fg), beta on mean(Mf2) (by backbone and dataset).
    public var basAlpha: Double, basBeta: Double
    public var backgroundBatchNorm = BackgroundBatchNorm.batch
    public var backgroundPath = BackgroundPath.f2block
    public var map = MapSource.deep
    /// [ours] The mask-level anchor: weight of CE(S_fg) in the total when the contrast is PNSC (BAS's
    /// alpha * CE(S_fg), which PNSC alone lacks; docs/RESULTS.md). nil (older files) and 0 are the
    /// paper-literal loss.
    public var foregroundCE: Double?
    /// The anchor's weight in effect (0 when absent).
    public var wForegroundCE: Double { foregroundCE ?? 0 }
    /// G1's and G2's output maps; nil (older files) is one per class.
    public var maskChannels: MaskChannels?
    /// [ours] The floor under each image's mean(Mf2) and its weight (`AreaFloor`); nil (older files) and
    /// 0 are the paper's loss.
    public var areaFloor: Double?, areaFloorWeight: Double?
    /// How the floor's gradient reaches G2; nil is `straight`.
    public var areaFloorGradient: AreaFloor.Gradient?
    /// The floor in effect (0: off) and its weight (default 3: above BAS's beta and soft fusion's a2).
    public var floorOfArea: Double { areaFloor ?? 0 }
    public var weightOfAreaFloor: Double { areaFloorWeight ?? 3 }
    /// [ours] Whether G1 and G2 read detached features, so that no mask loss reaches the backbone
    /// through them; nil (older files) is BAS's and the paper's (they do not).
    public var detachGeneratorInput: Bool?
    public var detachesGenerators: Bool { detachGeneratorInput ?? false }
    /// [ours] With `detachGeneratorInput`, G1 still reads F1 undetached, so soft fusion's shallow terms
    /// train the backbone up to F1 (the deep map stays detached); nil: off.
    public var shallowGradient: Bool?
    public var trainsShallowFeatures: Bool { shallowGradient ?? false }
    /// [ours] Whether S_fg reads sg(F3), so that CE(S_fg) and PNSC's positive term train the mask and
    /// not the class head (with `detachGeneratorInput` the classifier then learns from L_cls alone);
    /// nil (older files): BAS's and the paper's S_fg.
    public var detachF3: Bool?
    public var detachesF3: Bool { detachF3 ?? false }
    /// [ours] Weight of BAS's ratio loss on Mf1 (`shallow_ratio`): F1 erased by (1 - Mf1) runs through
    /// the rest of the network, so the shallow map gets its own localization signal at F1's resolution
    /// instead of only a copy of Mf2; nil and 0: off (the paper's loss).
    public var shallowRatio: Double?
    public var weightOfShallowRatio: Double { shallowRatio ?? 0 }
    /// Whether the loss needs the shallow background pass (S_bg1).
    public var usesShallowBackgroundPass: Bool { usesShallowGenerator && weightOfShallowRatio > 0 }
    /// [ours] Weight of `MaskSeed` (G1/G2 learn the CAM) during the warm-up epochs; nil and 0: off.
    public var maskSeed: Double?
    public var seedsMasks: Bool { (maskSeed ?? 0) > 0 }
    /// The generators' channel count for `numClasses` classes.
    public func generatorChannels(numClasses: Int) -> Int { maskChannels == .one ? 1 : numClasses }

    /// JSON names follow the command-line options.
    enum CodingKeys: String, CodingKey {
        case method, w1, w2, a1, a2, contrast, map
        case wSF = "w_sf", wPNSC = "w_pnsc", softFusion = "soft_fusion", pnscDetachS = "pnsc_detach_s"
        case pnscSpace = "pnsc_space", pnscTarget = "pnsc_target", sfGate = "sf_gate"
        case basAlpha = "bas_alpha", basBeta = "bas_beta", backgroundBatchNorm = "bg_bn",
             backgroundPath = "bg_path"
        case foregroundCE = "w_fg_cls", maskChannels = "mask_channels"
        case areaFloor = "area_floor", areaFloorWeight = "area_floor_weight",
             areaFloorGradient = "area_floor_gradient"
        case detachGeneratorInput = "detach_generators", maskSeed = "mask_seed", detachF3 = "detach_f3"
        case shallowGradient = "shallow_gradient", shallowRatio = "shallow_ratio"
    }

    public init(method: Method, architecture: Architecture, dataset: DatasetFamily = .cubLike) {
        self.method = method
        softFusion = method == .sfpnsc
        contrast = method == .sfpnsc ? .pnsc : .bas
        (basAlpha, basBeta) = Self.basWeights(architecture, dataset)
    }

    /// BAS-Ext's alpha and beta (METHOD.md section 2, "Baselines").
    public static func basWeights(_ architecture: Architecture,
                                  _ dataset: DatasetFamily) -> (Double, Double) {
        switch (architecture, dataset) {
        case (.vgg16, .cubLike): return (0, 0.9)
        case (.resnet18, .cubLike), (.resnet50, .cubLike): return (0.5, 1.5)
        case (.inception_v3, .cubLike): return (0.5, 1.0)
        case (.vgg16, .ilsvrc): return (0.05, 1)
        case (.resnet18, .ilsvrc), (.resnet50, .ilsvrc): return (1, 2)
        case (.inception_v3, .ilsvrc): return (1, 2.5)
        }
    }

    /// Whether the model needs G2 (every method but CAM) and G1 (soft fusion).
    public var usesDeepGenerator: Bool { method != .cam }
    public var usesShallowGenerator: Bool { method != .cam && softFusion }
    /// Whether the loss needs the background pass (S_bg): both contrast losses do.
    public var usesBackgroundPass: Bool { method != .cam }
    /// BAS's own area term beta * mean(Mf2): in `bas` and wherever BAS's contrast is used.
    public var usesBASArea: Bool { method == .bas || (method != .cam && contrast == .bas) }

    /// Refuses combinations that leave the maps without a localization signal, or that ask for a
    /// map the model does not have. The message says why, for the command line.
    public func validate() throws {
        func refuse(_ why: String) -> WSOLError { WSOLError("--method \(method.rawValue): \(why)") }
        if method == .cam {
            if map != .deep { throw refuse("CAM has no shallow map and no mask to fuse; use --map deep") }
            if wForegroundCE > 0 { throw refuse("CAM has no mask: --w-fg-cls does not apply") }
            if maskChannels == .one { throw refuse("CAM has no mask: --mask-channels does not apply") }
            if floorOfArea > 0 { throw refuse("CAM has no mask: --area-floor does not apply") }
            if detachesGenerators { throw refuse("CAM has no mask: --detach-generators does not apply") }
            if seedsMasks { throw refuse("CAM has no mask: --mask-seed does not apply") }
            if detachesF3 { throw refuse("CAM has no mask: --detach-f3 does not apply") }
            return
        }
        if map.needsShallow && !softFusion {
            throw refuse("--map \(map.rawValue) needs the shallow generator G1, "
                + "which only soft fusion trains")
        }
        if trainsShallowFeatures && !(softFusion && detachesGenerators) {
            throw refuse("--shallow-gradient keeps G1's input attached under --detach-generators "
                + "with soft fusion")
        }
        if weightOfShallowRatio > 0 && !softFusion {
            throw refuse("--shallow-ratio erases F1 by Mf1, which only soft fusion's G1 gives")
        }
        if gateOfSoftFusion != .none && !softFusion {
            throw refuse("--sf-gate applies to soft fusion, which this loss does not have")
        }
        if (spaceOfPNSC != .scores || targetOfPNSC != .prediction) && contrast != .pnsc {
            throw refuse("--pnsc-space and --pnsc-target apply to PNSC's cosines; --contrast bas has none")
        }
        if wForegroundCE > 0 && contrast != .pnsc {
            throw refuse("--w-fg-cls weighs CE(S_fg) beside PNSC; "
                + "with --contrast bas that weight is --bas-alpha")
        }
        if contrast == .pnsc && wPNSC == 0 && wForegroundCE == 0 && !usesBASArea {
            throw refuse("--w-pnsc 0 leaves soft fusion alone: nothing tells the maps where the object is "
                + "(all-zero maps minimise L_sf); use --contrast bas or a positive --w-pnsc")
        }
        for (name, value) in [("w1", w1), ("w2", w2), ("a1", a1), ("a2", a2), ("w-sf", wSF),
                              ("w-pnsc", wPNSC),
                              ("bas-alpha", basAlpha), ("bas-beta", basBeta), ("w-fg-cls", wForegroundCE),
                              ("area-floor-weight", weightOfAreaFloor), ("mask-seed", maskSeed ?? 0),
                              ("shallow-ratio", weightOfShallowRatio)] {
            guard value.isFinite, value >= 0, value <= 1e6 else {
                throw WSOLError("--\(name) must be a number between 0 and 1e6, got \(value)")
            }
        }
        guard floorOfArea.isFinite, (0..<1).contains(floorOfArea) else {
            throw WSOLError("--area-floor is a fraction of the image from 0 to below 1, got \(floorOfArea)")
        }
    }
}
