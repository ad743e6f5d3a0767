import NN
import Torch

/// G1 and G2 (METHOD.md section 1): a 3x3 convolution to one channel per class, then a sigmoid, so
/// each class gets a foreground probability map. Keys `classifier_loc.0` (G2, BAS-Ext's name) and
/// `classifier_loc_shallow.0` (G1).
final class ForegroundGenerator: Module, UnaryLayer {
    let conv: Conv2d

    init(inChannels: Int, numClasses: Int) throws {
        conv = try Conv2d(inChannels, numClasses, kernelSize: 3, padding: 1)
        super.init()
        registerChild("0", conv)
        registerChild("1", Sigmoid())
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try conv(x).sigmoid() }
}

/// The class head [BAS]: conv 3x3 (in -> W) + ReLU, conv 3x3 (W -> W) + ReLU, conv 1x1 (W -> C); its
/// output is F3. Keys `classifier_cls.0`, `.2`, `.4`.
func makeClassHead(inChannels: Int, width: Int, numClasses: Int) throws -> Sequential {
    Sequential([
        try Conv2d(inChannels, width, kernelSize: 3, padding: 1), ReLU(),
        try Conv2d(width, width, kernelSize: 3, padding: 1), ReLU(),
        try Conv2d(width, numClasses, kernelSize: 1),
    ])
}

/// Sigmoid as a layer, so G1/G2 keep torch's Sequential indices.
final class Sigmoid: Module, UnaryLayer {
    func callAsFunction(_ x: Tensor) throws -> Tensor { try x.sigmoid() }
}
