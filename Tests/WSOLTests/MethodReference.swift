import Foundation
import Models
import NN
import TestSupport
import Torch
import WeightsIO
@testable import WSOL

/// One configuration of the method, run by our model and by the PyTorch reference
/// (Tests/reference/wsol_method.py, written from METHOD.md) on the same weights and input.
struct MethodCase: CustomStringConvertible {
    var arch: Architecture
    var size: Int
    var options: MethodOptions
    var classes = 3
    var headWidth = 8
    var batch = 2

    init(_ arch: Architecture, _ method: WSOL.Method, size: Int = 64, _ adjust: (inout MethodOptions) -> Void = { _ in }) {
        self.arch = arch
        self.size = size
        options = MethodOptions(method: method, architecture: arch)
        adjust(&options)
    }

    var description: String {
        "\(arch.rawValue)/\(options.method.rawValue) contrast=\(options.contrast.rawValue) sf=\(options.softFusion) "
            + "bg=\(options.backgroundPath.rawValue)/\(options.backgroundBatchNorm.rawValue) fg=\(options.wForegroundCE) "
            + "maps=\((options.maskChannels ?? .classes).rawValue) floor=\(options.floorOfArea) "
            + "detached=\(options.detachesGenerators)/\(options.detachesF3) pnsc=\(options.spaceOfPNSC.rawValue)/\(options.targetOfPNSC.rawValue) "
            + "gate=\(options.gateOfSoftFusion.rawValue) shallow-gradient=\(options.trainsShallowFeatures) "
            + "shallow-ratio=\(options.weightOfShallowRatio)"
    }

    var spec: ModelSpec { ModelSpec(architecture: arch, numClasses: classes, headWidth: headWidth, imageSize: size) }

    var referenceConfig: String {
        let o = options
        let config: [String: Any] = [
            "method": o.method.rawValue, "classes": classes, "head_width": headWidth, "batch": batch,
            "softfusion": o.softFusion, "contrast": o.contrast.rawValue, "w1": o.w1, "w2": o.w2, "a1": o.a1,
            "a2": o.a2, "w_sf": o.wSF, "w_pnsc": o.wPNSC, "detach_s": o.pnscDetachS, "alpha": o.basAlpha,
            "beta": o.basBeta, "bg_bn": o.backgroundBatchNorm.rawValue, "bg_path": o.backgroundPath.rawValue,
            "w_fg_cls": o.wForegroundCE, "mask_channels": (o.maskChannels ?? .classes).rawValue,
            "area_floor": o.floorOfArea, "area_floor_weight": o.weightOfAreaFloor,
            "area_floor_gradient": (o.areaFloorGradient ?? .straight).rawValue,
            "detach_generators": o.detachesGenerators, "detach_f3": o.detachesF3,
            "pnsc_space": o.spaceOfPNSC.rawValue, "pnsc_target": o.targetOfPNSC.rawValue,
            "sf_gate": o.gateOfSoftFusion.rawValue, "shallow_gradient": o.trainsShallowFeatures,
            "shallow_ratio": o.weightOfShallowRatio,
        ]
        return String(data: try! JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]), encoding: .utf8)!
    }

    /// Runs the reference, then our model (float64) on its weights and input.
    func run() throws -> (reference: URL, model: WSOLModel, outputs: WSOLOutputs, loss: LossTerms) {
        let dir = try Reference.run("wsol_method.py", arguments: [arch.rawValue, String(size), referenceConfig])
        let model = try WSOLModel(spec, options)
        try model.to(.float64)
        try WeightSources.load(dir.appendingPathComponent("weights.safetensors").path, into: model)
        model.train()
        let x = try Reference.tensor(dir, "x")
        let labels = try Reference.tensor(dir, "labels")
        let (outputs, loss) = try model.trainingLoss(x, labels: labels)
        try loss.total().backward()
        return (dir, model, outputs, loss)
    }
}
