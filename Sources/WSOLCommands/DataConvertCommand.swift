import ArgumentParser
import Datasets
import Foundation

/// `wsol data convert`: CUB-200-2011 or ILSVRC-2012 to wsolevaluation metadata.
struct DataConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write wsolevaluation metadata (--out DIR/<split>/*.txt) for a "
            + "CUB-200-2011 or ILSVRC-2012 folder."
    )

    enum Source: String, ExpressibleByArgument { case cub, ilsvrc }
    enum Target: String, ExpressibleByArgument { case wsolevaluation }

    @Option(help: "Source layout: cub or ilsvrc.")
    var from: Source

    @Option(help: "Target layout: wsolevaluation.")
    var to: Target

    @Option(help: "cub: the CUB_200_2011 folder or its parent; ilsvrc: the folder holding train/ and val/.")
    var root: String

    @Option(help: "ilsvrc: the folder of validation XML files (default: beside the validation images).")
    var annotations: String?

    @Option(help: "The metadata folder to write (new, empty, or written by an earlier convert).")
    var out: String

    @Flag(help: "Write into --out even when it holds files wsol did not write (same names are replaced).")
    var force = false

    func run() throws {
        let result: DatasetReadResult
        let imagesRoot: String
        switch from {
        case .cub:
            result = CUBReader.read(root: root)
            imagesRoot = (CUBReader.locate(root) as NSString).appendingPathComponent("images")
        case .ilsvrc:
            result = ILSVRCReader.read(root: root, annotations: annotations)
            imagesRoot = root
        }
        try result.throwIfErrors()
        let splits = result.orderedSplitNames.map { result.splits[$0]! }
        try WSOLEvalWriter.write(splits: splits, imagesRoot: imagesRoot, to: out, force: force,
                                 owner: "wsol data convert")
        for split in splits { print("\(split.split): \(split.count) images") }
        print("wrote \(out); read it with --format wsolevaluation --metadata \(out) --images \(imagesRoot)")
    }
}
