import Models
import NN

/// The model's shape: what a checkpoint must agree with to load.
public struct ModelSpec: Codable, Equatable, Sendable {
    public var architecture: Architecture
    public var numClasses: Int
    /// Width W of the class head's two 3x3 convolutions (BAS: 1024).
    public var headWidth = 1024
    /// Where F1 is tapped; nil: the backbone's default (METHOD.md section 1).
    public var f1Tap: String?
    /// torchvision's Inception input re-normalization (x - 0.5) / 0.5 (off, as BAS).
    public var transformInput = false
    public var imageSize = 224

    enum CodingKeys: String, CodingKey {
        case architecture
        case numClasses = "num_classes", headWidth = "head_width", f1Tap = "f1_tap"
        case transformInput = "transform_input", imageSize = "image_size"
    }

    public init(architecture: Architecture, numClasses: Int, headWidth: Int = 1024, f1Tap: String? = nil,
                transformInput: Bool = false, imageSize: Int = 224) {
        self.architecture = architecture
        self.numClasses = numClasses
        self.headWidth = headWidth
        self.f1Tap = f1Tap
        self.transformInput = transformInput
        self.imageSize = imageSize
    }

    /// Input sizes every model takes (METHOD.md section 1: a multiple of 32, so that F2 = S/8 and F3 = S/16).
    public static let imageSizes = 32...1024

    /// The one rule for `--image-size`, for any model (a classifier's too).
    public static func validateImageSize(_ size: Int) throws {
        guard imageSizes.contains(size), size % 32 == 0 else {
            throw WSOLError("--image-size must be a multiple of 32 from \(imageSizes.lowerBound) to "
                + "\(imageSizes.upperBound), got \(size)")
        }
    }

    /// Bounds every size before anything is allocated.
    public func validate() throws {
        guard (1...100_000).contains(numClasses) else {
            throw WSOLError("number of classes must be 1 to 100000, got \(numClasses)")
        }
        guard (1...8192).contains(headWidth) else {
            throw WSOLError("--head-width must be 1 to 8192, got \(headWidth)")
        }
        try Self.validateImageSize(imageSize)
        if transformInput && architecture != .inception_v3 {
            throw WSOLError("--transform-input applies to inception_v3 only")
        }
    }
}
