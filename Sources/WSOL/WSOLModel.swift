import Models
import NN
import Torch

/// Everything one forward pass gives the losses and the evaluator (METHOD.md sections 1 and 2).
public struct WSOLOutputs {
    /// S = GAP(F3), class scores [B, C].
    public let scores: Tensor
    /// F3, the head's output [B, C, h, w] (14x14 at 224); CAM's per-class maps.
    public let f3: Tensor
    /// G2's per-class foreground maps [B, C, H2, W2] (nil for CAM).
    public let deepMaps: Tensor?
    /// G1's per-class foreground maps [B, C, H1, W1] (nil without soft fusion).
    public let shallowMaps: Tensor?
    /// Mf2 and Mf1 at the forward's class selection [B, 1, H, W].
    public let mf2: Tensor?
    public let mf1: Tensor?
    /// S_fg = GAP(F3 x avgpool(Mf2)) [B, C].
    public let scoresForeground: Tensor?
    /// S_bg = GAP(f2block(sg(F2) x (1 - Mf2))) [B, C]; nil when the background pass did not run.
    public let scoresBackground: Tensor?
    /// [ours] S_bg1 = GAP(f2block(stages after F1(sg(F1) x (1 - Mf1)))) [B, C]; nil unless
    /// `--shallow-ratio` asks for it.
    public var scoresBackgroundShallow: Tensor? = nil

    /// The localization map [B, 1, H, W] for a class selection: CAM's F3, else Mf2 (`deep`), Mf1
    /// (`shallow`), or at Mf1's size (Mf2 upsampled bilinearly) their mean (`mean`) or geometric mean
    /// (`gated`), or the mask averaged with the CAM (`fused`).
    public func map(_ source: MapSource, _ selection: ClassSelection) throws -> Tensor {
        guard let deepMaps else { return try selection.select(f3, scores: scores) }
        let deep = try selection.select(deepMaps, scores: scores)
        if source == .deep { return deep }
        if source == .fused { return try fusedWithCAM(deep: deep, selection) }
        guard let shallowMaps else {
            throw WSOLError("--map \(source.rawValue) needs G1, which this model lacks")
        }
        let shallow = try selection.select(shallowMaps, scores: scores)
        if source == .shallow { return shallow }
        let up = try deep.interpolate(size: Array(shallow.shape.suffix(2)), mode: .bilinear,
                                      alignCorners: false)
        if source == .gated { return try (shallow * up).sqrt() }
        return try (shallow + up) * 0.5
    }

    /// `fused`: n(Mf2) and n(CAM), and sqrt(n(Mf1) x n(CAM)) where G1 exists, averaged at the largest
    /// map's size.
    private func fusedWithCAM(deep: Tensor, _ selection: ClassSelection) throws -> Tensor {
        let cam = try selection.select(f3, scores: scores)
        let shallow = try shallowMaps.map { try selection.select($0, scores: scores) }
        let size = Array((shallow ?? deep).shape.suffix(2))
        let evidence = try normalizedMap(cam, size: size)
        var sum = try normalizedMap(deep, size: size) + evidence
        guard let shallow else { return try sum * 0.5 }
        sum = try sum + (normalizedMap(shallow, size: size) * evidence).sqrt()
        return try sum * (1.0 / 3)
    }
}

/// A WSOL network: a torchvision backbone cut at F1 and F2, the class head (`classifier_cls`), and
/// the foreground generators G2 (`classifier_loc`) and G1 (`classifier_loc_shallow`) the method
/// needs. Backbone keys are torchvision's, so ImageNet files load by name.
public final class WSOLModel: Module {
    public let spec: ModelSpec
    public let options: MethodOptions
    public let f1Tap: String
    let backbone: any WSOLBackbone
    let head: Sequential
    let deepGenerator: ForegroundGenerator?
    let shallowGenerator: ForegroundGenerator?

    public init(_ spec: ModelSpec, _ options: MethodOptions) throws {
        try spec.validate()
        try options.validate()
        self.spec = spec
        self.options = options
        backbone = try makeBackbone(spec.architecture)
        f1Tap = spec.f1Tap ?? backbone.defaultF1Tap
        guard backbone.f1Taps.contains(f1Tap) else {
            throw WSOLError("--f1-tap \(f1Tap) is not a tap of \(spec.architecture.rawValue); choose one of "
                + backbone.f1Taps.joined(separator: ", "))
        }
        head = try makeClassHead(inChannels: backbone.outputChannels, width: spec.headWidth,
                                 numClasses: spec.numClasses)
        // The head draws its weights before G1/G2 exist, so one seed gives cam, bas and sfpnsc the same
        // head: with the mask losses kept off the classifier, their runs then share one classifier.
        try Self.initializeNewLayer(head, backbone.newLayerInit)
        // With --bg-path head, G2 reads the backbone's last output (the paper's eq. 6).
        let deepChannels = options.backgroundPath == .head ? backbone.outputChannels : backbone.f2Channels
        let maps = options.generatorChannels(numClasses: spec.numClasses)
        deepGenerator = options.usesDeepGenerator
            ? try ForegroundGenerator(inChannels: deepChannels, numClasses: maps) : nil
        shallowGenerator = options.usesShallowGenerator
            ? try ForegroundGenerator(inChannels: backbone.channels(of: f1Tap)!, numClasses: maps) : nil
        super.init()
        for (name, module) in backbone.modules { registerChild(name, module) }
        registerChild("classifier_cls", head)
        if let deepGenerator { registerChild("classifier_loc", deepGenerator) }
        if let shallowGenerator { registerChild("classifier_loc_shallow", shallowGenerator) }
        for generator in [deepGenerator, shallowGenerator].compactMap({ $0 }) {
            try Self.initializeNewLayer(generator, backbone.newLayerInit)
        }
    }

    /// The parameters of layers the method adds (head, G1, G2): BAS's learning-rate groups x10/x20.
    public var newLayerPrefixes: [String] { ["classifier_cls."] + Self.generatorPrefixes }

    /// The keys of G2 and G1: what a warm start may find missing and what `--generator-lr-scale` moves.
    public static let generatorPrefixes = ["classifier_loc.", "classifier_loc_shallow."]

    /// Where the parameters live ("cpu", "cuda:0"); inputs must be moved there.
    public var device: String { parameters().first?.device ?? "cpu" }

    /// Whether the convolutions run channels-last (`useChannelsLast`).
    public private(set) var runsChannelsLast = false

    /// [ours] Lays the weights out channels-last and converts each input likewise, for inference: the
    /// same values to float rounding, faster oneDNN convolutions on CPU (`wsol eval` of resnet50 sfpnsc
    /// 1.15x on 2 cores: `LAYOUT=1 bench/eval.sh`). Training keeps the default layout, whose parity
    /// with PyTorch the tests check.
    public func useChannelsLast() throws {
        try toChannelsLast()
        runsChannelsLast = true
    }

    /// The F1 taps this architecture offers.
    public var f1Taps: [String] { backbone.f1Taps }

    /// [BAS]: VGG normal(0, 0.02); ResNet and Inception xavier_uniform; biases 0 (BAS leaves VGG's at
    /// PyTorch's default; zero keeps one rule for every backbone).
    private static func initializeNewLayer(_ module: Module, _ rule: NewLayerInit) throws {
        for case let conv as Conv2d in module.namedModules().map(\.module) {
            switch rule {
            case .normal002: try conv.weight.normal_(mean: 0, std: 0.02)
            case .xavierUniform: try Init.xavierUniform(conv.weight)
            }
            try conv.bias?.zero_()
        }
    }

    /// Runs the network. `selection` picks Mf1/Mf2's class (training: the ground truth);
    /// `background` runs the background pass for S_bg (needed by the contrast losses only);
    /// `leafMaps` cuts G1's and G2's maps from the graph as leaves that record gradients, so that each
    /// loss term's gradient on the maps can be read (MapGradients.swift).
    public func callAsFunction(_ input: Tensor, selection: ClassSelection, background: Bool,
                               leafMaps: Bool = false,
                               generatorsDetached: Bool = false) throws -> WSOLOutputs {
        let laidOut = runsChannelsLast && input.shape.count == 4 ? try input.channelsLast() : input
        let x = spec.transformInput ? try InceptionV3.transformInput(laidOut) : laidOut
        let (f1, f2) = try backbone.features(x, f1Tap: f1Tap)
        let last = try backbone.rest(f2)
        let f3 = try head(last)
        let scores = try globalAveragePool(f3)
        guard let deepGenerator else {
            return WSOLOutputs(scores: scores, f3: f3, deepMaps: nil, shallowMaps: nil, mf2: nil, mf1: nil,
                               scoresForeground: nil, scoresBackground: nil)
        }
        let deepInput = options.backgroundPath == .head ? last : f2
        func leaf(_ maps: Tensor) throws -> Tensor { leafMaps ? try maps.detach().requiringGrad() : maps }
        // [ours] `--detach-generators`: the mask losses then reach the backbone only through F3 (S_fg);
        // the warm-up detaches them too, so that seeding the masks leaves the backbone to L_cls.
        // `--shallow-gradient` keeps G1's input attached outside the warm-up.
        func generatorInput(_ x: Tensor, shallow: Bool = false) throws -> Tensor {
            let attached = shallow && options.trainsShallowFeatures && !generatorsDetached
            return (options.detachesGenerators || generatorsDetached) && !attached ? x.detach() : x
        }
        let deepMaps = try leaf(deepGenerator(generatorInput(deepInput)))
        let mf2 = try selection.select(deepMaps, scores: scores)
        let shallowMaps = try shallowGenerator.map { try leaf($0(generatorInput(f1, shallow: true))) }
        let mf1 = try shallowMaps.map { try selection.select($0, scores: scores) }
        // [BAS] F_fg = F3 x avgpool(Mf2): Mf2 is pooled to F3's size (2x2 with the f2 block path).
        // [ours] `--detach-f3`: sg(F3), so the losses on S_fg shape the mask and not the classifier.
        let foregroundF3 = options.detachesF3 ? f3.detach() : f3
        let scoresForeground = try globalAveragePool(foregroundF3 * pooled(mf2, to: f3))
        let scoresBackground = background ? try backgroundScores(deepInput, mf2: mf2) : nil
        var out = WSOLOutputs(scores: scores, f3: f3, deepMaps: deepMaps, shallowMaps: shallowMaps, mf2: mf2,
                              mf1: mf1, scoresForeground: scoresForeground,
                              scoresBackground: scoresBackground)
        if background, options.usesShallowBackgroundPass, let mf1 {
            out.scoresBackgroundShallow = try shallowBackgroundScores(f1, mf1: mf1)
        }
        return out
    }

    /// The background pass (METHOD.md section 2, PNSC): S_bg = GAP(f2block(sg(F2) x (1 - Mf2))).
    /// [BAS] The f2 block runs with its current weights but as a stand-in copy: no gradient reaches its
    /// parameters and BatchNorm running statistics stay untouched; gradient reaches Mf2, hence G2.
    private func backgroundScores(_ deepInput: Tensor, mf2: Tensor) throws -> Tensor {
        guard options.backgroundPath == .f2block else {
            return try erasedScores(deepInput, by: mf2, []) { $0 }  // --bg-path head: the head only
        }
        return try erasedScores(deepInput, by: mf2, backbone.modules.map(\.module)) {
            try self.backbone.rest($0)
        }
    }

    /// [ours] The same pass from F1 (`--shallow-ratio`): S_bg1 = GAP(f2block(stages after F1(sg(F1) x
    /// (1 - Mf1)))), every stage after F1 a stand-in copy as above; gradient reaches Mf1, hence G1.
    private func shallowBackgroundScores(_ f1: Tensor, mf1: Tensor) throws -> Tensor {
        try erasedScores(f1, by: mf1, backbone.modules.map(\.module)) {
            try self.backbone.rest(self.backbone.features(fromF1: $0, f1Tap: self.f1Tap))
        }
    }

    /// GAP(head(toHead(sg(features) x (1 - mask)))), with `modules` and the head as stand-in copies.
    private func erasedScores(_ features: Tensor, by mask: Tensor, _ modules: [Module],
                              toHead: (Tensor) throws -> Tensor) throws -> Tensor {
        let erased = try features.detach() * (1.0 - mask)
        let f3Background = try runDetached(modules + [head], options.backgroundBatchNorm.detachedPass) {
            try head(toHead(erased))
        }
        return try globalAveragePool(f3Background)
    }

    private func runDetached<T>(_ modules: [Module], _ mode: DetachedPass,
                                _ body: () throws -> T) throws -> T {
        guard let first = modules.first else { return try body() }
        return try first.runDetached(mode) { try runDetached(Array(modules.dropFirst()), mode, body) }
    }

    private func pooled(_ map: Tensor, to reference: Tensor) throws -> Tensor {
        let (h, target) = (map.shape[2], reference.shape[2])
        guard h != target else { return map }
        guard h % target == 0 else {
            throw WSOLError("Mf2 (\(h)) is not a multiple of F3's size (\(target))")
        }
        return try map.avgPool2d(kernelSize: [h / target, h / target])
    }
}

/// GAP over the spatial dimensions: [B, C, H, W] -> [B, C].
func globalAveragePool(_ x: Tensor) throws -> Tensor { try x.mean(dims: [2, 3]) }
