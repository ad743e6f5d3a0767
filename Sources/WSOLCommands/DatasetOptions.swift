import ArgumentParser
import Datasets
import WSOL

/// Where a dataset is and in which layout; shared by the `wsol data` subcommands.
struct DatasetOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case cub, wsolevaluation, ilsvrc }

    @Option(help: "Layout: cub, wsolevaluation or ilsvrc.")
    var format: Format

    @Option(help: "cub: the CUB_200_2011 folder or its parent; ilsvrc: the folder holding train/ and val/.")
    var root: String?

    @Option(help: "wsolevaluation: the metadata folder (train/, val/, test/ inside, or one split folder).")
    var metadata: String?

    @Option(help: "wsolevaluation: the folder image (and mask) paths are relative to.")
    var images: String?

    @Option(help: "wsolevaluation: the folder mask paths are relative to (default: --images).")
    var masks: String?

    @Option(help: "ilsvrc: the folder of validation XML files (default: beside the validation images).")
    var annotations: String?

    func read() throws -> DatasetReadResult {
        var result: DatasetReadResult
        switch format {
        case .cub:
            result = CUBReader.read(root: try required(root, "--root"))
        case .ilsvrc:
            result = ILSVRCReader.read(root: try required(root, "--root"), annotations: annotations)
        case .wsolevaluation:
            result = WSOLEvalReader.read(metadata: try required(metadata, "--metadata"),
                                         images: try required(images, "--images"), masks: masks)
        }
        result.noteClassesWithoutTrainingImages(place: root ?? metadata ?? "the dataset")
        return result
    }

    private func required(_ value: String?, _ name: String) throws -> String {
        guard let value else {
            throw CommandFailure("--format \(format.rawValue) needs \(name)", exitCode: 2)
        }
        return value
    }
}

extension DatasetOptions {
    /// ILSVRC or CUB-like (CUB and custom wsolevaluation data): picks BAS's weights and eval defaults.
    var family: DatasetFamily { format == .ilsvrc ? .ilsvrc : .cubLike }
}
