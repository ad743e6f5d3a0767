import Foundation

/// A box in original image pixels, [x0, x1) x [y0, y1) in continuous pixel-edge coordinates: a box
/// covering pixel columns 3...5 is x0 = 3, x1 = 6. Boxes stay floating point through every geometric
/// step; the evaluator applies its own integer conventions.
public struct Box: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var x0, y0, x1, y1: Double
    public init(x0: Double, y0: Double, x1: Double, y1: Double) {
        self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1
    }
    public var width: Double { x1 - x0 }
    public var height: Double { y1 - y0 }
    public var isEmpty: Bool { !(x1 > x0 && y1 > y0) }
    public var description: String { "[\(x0), \(y0), \(x1), \(y1)]" }
}

public struct ImageSize: Equatable, Hashable, Sendable {
    public var width, height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
}

/// One image of a dataset: everything the pipeline and the evaluator need, nothing decoded yet.
public struct Sample: Equatable, Sendable {
    /// Absolute (or caller-relative) path of the image file; the id as written when the metadata was
    /// read for evaluation (`WSOLEvalReader.readForEvaluation`, no image folder).
    public var imagePath: String
    /// 0-based class index.
    public var label: Int
    /// Ground-truth boxes in original pixels; empty when the split has none (e.g. training data).
    public var boxes: [Box]
    /// Instance masks (union = foreground) and the optional ignore mask, when the dataset has masks.
    public var maskPaths: [String]
    public var ignorePath: String?
    /// Original size; nil when the reader does not know it: ILSVRC training images (their size is
    /// read from the file header when loaded), a file whose header could not be read, or, read for
    /// evaluation, a masked image that image_sizes.txt does not list.
    public var size: ImageSize?

    public init(imagePath: String, label: Int, boxes: [Box] = [], maskPaths: [String] = [],
                ignorePath: String? = nil, size: ImageSize? = nil) {
        self.imagePath = imagePath; self.label = label; self.boxes = boxes
        self.maskPaths = maskPaths; self.ignorePath = ignorePath; self.size = size
    }
}

/// One split of a dataset, whatever layout it came from.
public struct Dataset: Sendable {
    public var split: String
    /// Class names in index order.
    public var classNames: [String]
    public var samples: [Sample]

    public init(split: String, classNames: [String], samples: [Sample]) {
        self.split = split; self.classNames = classNames; self.samples = samples
    }

    public var count: Int { samples.count }
    public var classCount: Int { classNames.count }
    public var boxCount: Int { samples.reduce(0) { $0 + $1.boxes.count } }
    public var maskedCount: Int { samples.reduce(0) { $0 + ($1.maskPaths.isEmpty ? 0 : 1) } }
    /// Number of distinct labels that occur in this split.
    public var classesPresent: Int { Set(samples.map(\.label)).count }
}
