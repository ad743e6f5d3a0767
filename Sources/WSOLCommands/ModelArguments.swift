import ArgumentParser
import Models
import WSOL

extension WSOL.Method: ExpressibleByArgument {}
extension Contrast: ExpressibleByArgument {}
extension Recipe: ExpressibleByArgument {}
extension BackgroundPath: ExpressibleByArgument {}
extension BackgroundBatchNorm: ExpressibleByArgument {}
extension MapSource: ExpressibleByArgument {}
extension MaskChannels: ExpressibleByArgument {}
extension AreaFloor.Gradient: ExpressibleByArgument {}
extension PNSC.Space: ExpressibleByArgument {}
extension PNSC.Target: ExpressibleByArgument {}
extension SoftFusion.Gate: ExpressibleByArgument {}
extension ClassMode: ExpressibleByArgument {}

/// `on` / `off` for options that default to on.
enum Switch: String, ExpressibleByArgument, CaseIterable {
    case on, off
    var isOn: Bool { self == .on }
}

/// The model's shape and method, shared by every command that builds a WSOL model. Values left out
/// come from a checkpoint's sidecar or run config when there is one, else METHOD.md's defaults.
struct ModelArguments: ParsableArguments {
    @Option(help: "Backbone: \(Architecture.allCases.map(\.rawValue).joined(separator: ", ")).")
    var arch: Architecture?

    @Option(help: "Method: cam, bas or sfpnsc.")
    var method: WSOL.Method?

    @Option(help: "Width of the class head's 3x3 convolutions (default 1024, as BAS).")
    var headWidth: Int?

    @Option(help: "Input size, a multiple of 32 (default 224); maps scale with it.")
    var imageSize: Int?

    @Option(help: """
        Where F1 is tapped (vgg16: relu1_2, relu2_2, relu3_3; resnet: stem, layer1, layer2; \
        inception_v3: Conv2d_2b, Conv2d_4a, Mixed_5d; default: relu3_3, layer1, Conv2d_4a).
        """)
    var f1Tap: String?

    @Flag(help: """
        inception_v3: re-normalize inputs as (x - 0.5) / 0.5, as torchvision's \
        ImageNet weights expect (off, as BAS).
        """)
    var transformInput = false

    /// The spec, with `base` (a checkpoint's) filling what was not given.
    func spec(numClasses: Int, base: ModelSpec? = nil) throws -> ModelSpec {
        guard let architecture = arch ?? base?.architecture else {
            throw CommandFailure("--arch is needed: the weights file does not say which backbone it is",
                                 exitCode: 2)
        }
        var spec = base ?? ModelSpec(architecture: architecture, numClasses: numClasses)
        spec.architecture = architecture
        spec.numClasses = base?.numClasses ?? numClasses
        if let headWidth { spec.headWidth = headWidth }
        if let imageSize { spec.imageSize = imageSize }
        if let f1Tap { spec.f1Tap = f1Tap }
        if transformInput { spec.transformInput = true }
        try spec.validate()
        return spec
    }
}

/// Every option of the method (METHOD.md section 2); left out: the method's default for the backbone
/// and dataset, or a checkpoint's own.
struct MethodArguments: ParsableArguments {
    @Option(help: "Soft fusion: weight of the shallow map's MSE against the upsampled deep map (default 1).")
    var w1: Double?
    @Option(help: """
        Soft fusion: weight of the deep map's MSE against the downsampled shallow map (default 1.5).
        """)
    var w2: Double?
    @Option(help: "Soft fusion: weight of mean(Mf1) (default 1).")
    var a1: Double?
    @Option(help: "Soft fusion: weight of mean(Mf2) (default 1).")
    var a2: Double?
    @Option(name: .customLong("w-sf"), help: "Weight of L_sf in the total (default 1).")
    var wSF: Double?
    @Option(name: .customLong("w-pnsc"), help: "Weight of L_pnsc in the total (default 1).")
    var wPNSC: Double?
    @Option(name: .customLong("sf-gate"), help: """
        Where Mf1 supervises Mf2: none (everywhere, the paper) or deep (near Mf2's own foreground: \
        its 3x3 dilation weighs the term).
        """)
    var sfGate: SoftFusion.Gate?
    @Flag(help: "Drop soft fusion (and G1): the +PNSC ablation with --method bas --contrast pnsc.")
    var noSoftFusion = false
    @Option(help: "Contrast loss: pnsc (sfpnsc's default) or bas (BAS's ratio loss with CE(S_fg)).")
    var contrast: Contrast?
    @Option(name: .customLong("pnsc-detach-s"), help: "Detach S inside PNSC's cosines: on (default) or off.")
    var pnscDetachS: Switch?
    @Option(name: .customLong("pnsc-space"), help: """
        What PNSC's cosines compare: scores (the paper) or probabilities (softmax: the positive term \
        then holds the mask's level up).
        """)
    var pnscSpace: PNSC.Space?
    @Option(name: .customLong("pnsc-target"), help: """
        What PNSC compares S_fg and S_bg with: prediction (S, the paper) or label \
        (the ground-truth class, one-hot).
        """)
    var pnscTarget: PNSC.Target?
    @Option(help: """
        Map that localizes: deep (Mf2; F3 for cam), shallow (Mf1), mean, gated (sqrt(Mf1 x up(Mf2))) \
        or fused (the mask averaged with the classifier's CAM).
        """)
    var map: MapSource?
    @Option(name: .customLong("bg-bn"), help: "BatchNorm in the background pass: batch (BAS) or running.")
    var bgBN: BackgroundBatchNorm?
    @Option(name: .customLong("bg-path"),
            help: "Background pass through the f2 block (BAS) or the head only (the paper's eq. 6).")
    var bgPath: BackgroundPath?
    @Option(name: .customLong("bas-alpha"),
            help: "BAS: weight of CE(S_fg) (default by backbone and dataset).")
    var basAlpha: Double?
    @Option(name: .customLong("bas-beta"),
            help: "BAS: weight of mean(Mf2) (default by backbone and dataset).")
    var basBeta: Double?
    @Option(name: .customLong("w-fg-cls"),
            help: "With PNSC: weight of CE(S_fg), the anchor of the mask's level (0: the paper's loss).")
    var wFgCls: Double?
    @Option(help: "G1/G2 maps: classes (one per class, as BAS and the paper) or one (a class-agnostic map).")
    var maskChannels: MaskChannels?
    @Option(help: """
        bas/sfpnsc: each image's mean(Mf2) must reach this fraction of the image or pay the \
        shortfall (0: off, the paper's loss).
        """)
    var areaFloor: Double?
    @Option(help: "Weight of the --area-floor term (default 3).")
    var areaFloorWeight: Double?
    @Option(help: """
        How the --area-floor gradient reaches G2: straight (default: at the sigmoid's steepest slope, so \
        a dead map comes back) or sigmoid.
        """)
    var areaFloorGradient: AreaFloor.Gradient?
    @Flag(help: """
        G1/G2 read detached features: the mask losses reach the backbone only through \
        S_fg (not BAS's or the paper's).
        """)
    var detachGenerators = false
    @Flag(help: """
        With --detach-generators and soft fusion: G1 still reads F1 attached, so the shallow terms \
        train the backbone up to F1 (not BAS's or the paper's).
        """)
    var shallowGradient = false
    @Flag(name: .customLong("detach-f3"), help: """
        S_fg reads sg(F3): CE(S_fg) and PNSC's positive term train the mask, not the class \
        head (not BAS's or the paper's).
        """)
    var detachF3 = false
    @Option(help: """
        Soft fusion: weight of BAS's ratio loss on Mf1 (F1 erased by 1 - Mf1 runs through the rest of \
        the network), the shallow map's own localization signal (0: off, the paper's loss).
        """)
    var shallowRatio: Double?
    @Option(help: """
        During --warmup-epochs, G1/G2 learn the CAM with this weight, so no \
        class's map starts dead (0: off).
        """)
    var maskSeed: Double?

    /// The mask-loss options the user typed, by their option names: none applies to CAM or classify.
    var givenMaskOptions: [String] {
        let given: [(String, Bool)] = [
            ("w1", w1 != nil), ("w2", w2 != nil), ("a1", a1 != nil), ("a2", a2 != nil), ("w-sf", wSF != nil),
            ("w-pnsc", wPNSC != nil), ("sf-gate", sfGate != nil), ("no-soft-fusion", noSoftFusion),
            ("contrast", contrast != nil),
            ("pnsc-detach-s", pnscDetachS != nil), ("pnsc-space", pnscSpace != nil),
            ("pnsc-target", pnscTarget != nil), ("bg-bn", bgBN != nil), ("bg-path", bgPath != nil),
            ("bas-alpha", basAlpha != nil), ("bas-beta", basBeta != nil), ("w-fg-cls", wFgCls != nil),
            ("mask-channels", maskChannels != nil), ("area-floor", areaFloor != nil),
            ("area-floor-weight", areaFloorWeight != nil), ("area-floor-gradient", areaFloorGradient != nil),
            ("detach-generators", detachGenerators), ("shallow-gradient", shallowGradient),
            ("detach-f3", detachF3), ("mask-seed", maskSeed != nil), ("shallow-ratio", shallowRatio != nil),
        ]
        return given.filter(\.1).map { "--" + $0.0 }
    }

    /// The options for `method`, starting from `base` (a checkpoint's) or METHOD.md's defaults.
    func options(method: WSOL.Method, architecture: Architecture, dataset: DatasetFamily = .cubLike,
                 base: MethodOptions? = nil) throws -> MethodOptions {
        if method == .cam, let first = givenMaskOptions.first {
            throw CommandFailure("--method cam: \(first) does not apply (CAM has no mask and no mask loss)",
                                 exitCode: 2)
        }
        var o = base ?? MethodOptions(method: method, architecture: architecture, dataset: dataset)
        if let w1 { o.w1 = w1 }
        if let w2 { o.w2 = w2 }
        if let a1 { o.a1 = a1 }
        if let a2 { o.a2 = a2 }
        if let wSF { o.wSF = wSF }
        if let wPNSC { o.wPNSC = wPNSC }
        if let sfGate { o.sfGate = sfGate }
        if noSoftFusion { o.softFusion = false }
        if let contrast { o.contrast = contrast }
        if let pnscDetachS { o.pnscDetachS = pnscDetachS.isOn }
        if let pnscSpace { o.pnscSpace = pnscSpace }
        if let pnscTarget { o.pnscTarget = pnscTarget }
        if let map { o.map = map }
        if let bgBN { o.backgroundBatchNorm = bgBN }
        if let bgPath { o.backgroundPath = bgPath }
        if let basAlpha { o.basAlpha = basAlpha }
        if let basBeta { o.basBeta = basBeta }
        if let wFgCls { o.foregroundCE = wFgCls }
        if let maskChannels { o.maskChannels = maskChannels }
        if let areaFloor { o.areaFloor = areaFloor }
        if let areaFloorWeight { o.areaFloorWeight = areaFloorWeight }
        if let areaFloorGradient { o.areaFloorGradient = areaFloorGradient }
        if detachGenerators { o.detachGeneratorInput = true }
        if shallowGradient { o.shallowGradient = true }
        if let maskSeed { o.maskSeed = maskSeed }
        if detachF3 { o.detachF3 = true }
        if let shallowRatio { o.shallowRatio = shallowRatio }
        try o.validate()
        return o
    }
}

/// `--class-mode` and `--topk` for commands that localize.
struct ClassSelectionArguments: ParsableArguments {
    @Option(help: """
        Class whose map localizes: gt, top1 or topk (default: topk for bas/sfpnsc \
        on CUB-like data, gt otherwise).
        """)
    var classMode: ClassMode?

    @Option(help: "k for --class-mode topk (default min(200, classes); vgg16: min(80, classes)).")
    var topk: Int?

    func resolve(method: WSOL.Method, architecture: Architecture, dataset: DatasetFamily,
                 numClasses: Int) throws -> (mode: ClassMode, k: Int) {
        let defaults = ClassMode.defaults(method: method, architecture: architecture, dataset: dataset,
                                          numClasses: numClasses)
        let mode = classMode ?? defaults.mode
        let k = topk ?? (mode == .topk ? (defaults.mode == .topk ? defaults.k : min(5, numClasses)) : 1)
        guard (1...numClasses).contains(k) else {
            throw CommandFailure("--topk must be between 1 and the number of classes (\(numClasses)), "
                + "got \(k)", exitCode: 2)
        }
        return (mode, k)
    }
}
