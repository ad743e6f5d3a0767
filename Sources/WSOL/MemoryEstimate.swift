import Foundation
import Models

/// [ours] A step's memory, estimated before anything is allocated, so that options each in range but
/// together far beyond the machine (`--image-size 1024 --batch-size 4096`) are refused in one line
/// instead of swapping the machine to a halt.
///
///     bytes = parameters x 4 x (3 when training: weights, gradients, momentum)
///           + batch x (activations per image + the per-class maps per image)
///
/// Activations per image, measured at 128 px (libtorch 1.13, CPU) and scaled with the pixel count:
/// training, the peak resident memory of `wsol benchmark method-step --method sfpnsc --classes 200` at
/// batch 6 minus batch 2, over 4; a forward without gradients (eval, export-maps), that of `wsol
/// benchmark export-maps` at batch 36 minus batch 4, over 32 (resnet50 at 224 px measured half the
/// scaled figure: the estimate errs high). The per-class maps (F3, G2's, G1's: one channel per class)
/// are counted apart, since 200 classes say nothing about 100,000.
public struct MemoryEstimate: Sendable {
    public let bytes: Double
    /// The bytes that do not grow with the batch, and those each image adds.
    public let fixedBytes: Double, bytesPerImage: Double

    public init(spec: ModelSpec, options: MethodOptions, batch: Int, training: Bool) {
        let shape = Self.shape(spec.architecture)
        let classes = Double(spec.numClasses), width = Double(spec.headWidth)
        let head = Double(shape.lastChannels) * width * 9 + width * width * 9 + width * classes
        let deepGenerator = options.usesDeepGenerator ? Double(shape.f2Channels) * classes * 9 : 0
        let shallowGenerator = options.usesShallowGenerator ? Double(shape.f1Channels) * classes * 9 : 0
        let parameters = shape.backboneParameters + head + deepGenerator + shallowGenerator
        fixedBytes = parameters * 4 * (training ? 3 : 1)
        let scale = Double(spec.imageSize * spec.imageSize) / (128 * 128)
        let side = Double(spec.imageSize)
        // F3 at S/16, Mf2's maps at S/8, Mf1's at S/4: one float per class and pixel, about three
        // times over in training (output, its gradient, the sigmoid's saved result).
        var classMaps = (side / 16) * (side / 16)
        if options.usesDeepGenerator { classMaps += (side / 8) * (side / 8) }
        if options.usesShallowGenerator { classMaps += (side / 4) * (side / 4) }
        // `--shallow-ratio` runs the network after F1 once more, with its activations kept for the
        // backward: counted as half a training step's again (unmeasured: errs high, as above).
        let passes = training && options.usesShallowBackgroundPass ? 1.5 : 1
        bytesPerImage = training
            ? shape.trainingMiBPerImage * 1_048_576 * scale * passes + classMaps * classes * 4 * 3
            : shape.forwardMiBPerImage * 1_048_576 * scale + classMaps * classes * 4
        bytes = fixedBytes + Double(batch) * bytesPerImage
    }

    /// The largest batch that fits in `available` bytes (0: not even one image).
    public func largestBatch(within available: Double) -> Int {
        guard available > fixedBytes else { return 0 }
        return Int(min((available - fixedBytes) / bytesPerImage, 1e9))
    }

    /// The memory this process may still take: /proc/meminfo's MemAvailable (nil where unknown).
    public static func availableBytes() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kib = Double(fields[1]) { return kib * 1024 }
        }
        return nil
    }

    /// Throws when the estimate exceeds what is available, naming both and the batch that fits.
    public func check(what: String, available: Double? = availableBytes()) throws {
        guard let available, bytes > available else { return }
        let fits = largestBatch(within: available)
        throw WSOLError("\(what) needs about \(Self.gibibytes(bytes)) of memory (estimate), "
            + "\(Self.gibibytes(available)) are available: "
            + (fits > 0 ? "--batch-size \(fits) or smaller fits"
               : "not even one image fits; lower --image-size, --head-width or the number of classes"))
    }

    static func gibibytes(_ bytes: Double) -> String { String(format: "%.1f GiB", bytes / 1_073_741_824) }

    /// Per architecture: parameters without the ImageNet classifier, the channels of the last feature
    /// map, of F1 and of F2, and the activations per image at 128 px in training and in a forward
    /// without gradients (MiB, measured).
    static func shape(_ architecture: Architecture)
        -> (backboneParameters: Double, lastChannels: Int, f1Channels: Int, f2Channels: Int,
            trainingMiBPerImage: Double, forwardMiBPerImage: Double) {
        switch architecture {
        case .resnet18: return (11.2e6, 512, 64, 256, 16, 3.5)
        case .resnet50: return (23.5e6, 2048, 256, 1024, 59, 11)
        case .vgg16: return (14.7e6, 512, 256, 512, 38, 12.5)
        case .inception_v3: return (21.8e6, 2048, 192, 768, 54, 8.5)
        }
    }
}
