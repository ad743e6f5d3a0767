import NN
import Torch

/// The classification architectures `wsol classify` and the parity tests build, with the input
/// geometry of torchvision's pretrained weights.
public enum Architecture: String, Codable, CaseIterable, Sendable {
    case vgg16, resnet18, resnet50, inception_v3

    /// Center-crop size of torchvision's evaluation transform.
    public var cropSize: Int { self == .inception_v3 ? 299 : 224 }
    /// Shorter-side resize before the crop.
    public var resizeSize: Int { self == .inception_v3 ? 342 : 256 }

    /// The weight whose first dimension is the number of classes.
    public var headKey: String { self == .vgg16 ? "classifier.6.weight" : "fc.weight" }

    /// `inceptionAux`: inception_v3 with its auxiliary head (classification never uses it; files
    /// saved without it load into a model built without it).
    public func build(numClasses: Int = 1000, vggHiddenWidth: Int = 4096, transformInput: Bool = false,
                      inceptionAux: Bool = true) throws -> Module & UnaryLayer {
        switch self {
        case .vgg16: return try VGG16(numClasses: numClasses, hiddenWidth: vggHiddenWidth)
        case .resnet18: return try ResNet.resnet18(numClasses: numClasses)
        case .resnet50: return try ResNet.resnet50(numClasses: numClasses)
        case .inception_v3:
            return try InceptionV3(numClasses: numClasses, auxLogits: inceptionAux,
                                   transformInput: transformInput)
        }
    }
}
