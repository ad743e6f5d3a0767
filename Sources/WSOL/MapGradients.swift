import NN
import Torch

extension WSOLModel {
    /// The L2 norm of each loss term's gradient on the maps, `grad_mf2_<term>` and `grad_mf1_<term>`
    /// (docs/RESULTS.md: a collapse shows as the area terms' gradient outgrowing every upward one).
    /// Measured on one batch as a stand-in copy of the model (batch statistics, no running statistics
    /// moved, no gradient reaching any parameter), so it changes nothing in the training it watches.
    /// Empty for CAM, which has no maps.
    public func lossGradientsOnMaps(_ images: Tensor, labels: Tensor) throws -> [String: Double] {
        guard options.method != .cam else { return [:] }
        return try runDetached(.batchStatistics) {
            let out = try self(images, selection: .groundTruth(labels),
                               background: options.usesBackgroundPass, leafMaps: true)
            let terms = try MethodLoss.terms(out, labels: labels, options: options,
                                             basSaturatedRatio: backbone.basSaturatedRatio)
            let maps = [("mf2", out.deepMaps), ("mf1", out.shallowMaps)].compactMap { name, map in
                map.map { (name, $0) }
            }
            var norms: [String: Double] = [:]
            for (term, value) in terms.terms where term != "cls" {
                for (_, map) in maps { try map.zeroGrad() }
                if value.requiresGrad { try value.backward(retainGraph: true) }
                for (name, map) in maps {
                    norms["grad_\(name)_\(term)"] = try map.grad.map {
                        try ($0 * $0).sum().item().squareRoot()
                    } ?? 0
                }
            }
            return norms
        }
    }
}
