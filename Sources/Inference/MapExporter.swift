import Datasets
import Evaluation
import Foundation
import Torch
import Visualization
import WSOL

/// Where one run's files go inside the export folder, '/' separated: `maps/<image id>.npy` (as
/// `wsol score-maps` and wsolevaluation read them), `panels/<image id>.png`, `thumbs/<image id>.jpg`;
/// the run of `--compare` under `compare/`.
public struct ExportLayout: Sendable {
    public let prefix: String
    public static let first = ExportLayout(prefix: "")
    public static let compared = ExportLayout(prefix: "compare/")

    public func map(_ id: String) -> String { prefix + "maps/" + id + ".npy" }
    public func panel(_ id: String) -> String { prefix + "panels/" + id + ".png" }
    public func thumbnail(_ id: String) -> String { prefix + "thumbs/" + id + ".jpg" }
}

/// export-maps' work for one model: the full-image pass over a split (the evaluator's own batches),
/// and per image the raw map exactly as `wsol eval`'s full-image protocol evaluates it (S x S float32
/// in [0, 1]), the panel and its thumbnail, and the outcome the gallery lists.
public struct MapExporter {
    public struct Settings: Sendable {
        /// The fixed threshold on the normalized map that gives the predicted boxes.
        public var threshold: Double
        /// The class whose map is exported; the full-image protocol's is the ground truth.
        public var classMode = ClassMode.gt
        public var topK = 1
        public var batchSize = 32
        public var workers = 2

        public init(threshold: Double) { self.threshold = threshold }
    }

    /// Per dataset position, what was exported; and "path: reason" for each image that could not be read.
    public struct Result {
        public var outcomes: [Int: RunOutcome] = [:]
        public var unreadable: Set<String> = []
    }

    public let model: WSOLModel
    public let settings: Settings
    /// Names for captions, by class index (the dataset's).
    public let classNames: [String]
    /// Named in captions when two runs are compared.
    public let runName: String?

    public init(model: WSOLModel, settings: Settings, classNames: [String], runName: String? = nil) {
        self.model = model; self.settings = settings; self.classNames = classNames; self.runName = runName
    }

    /// Exports every readable image of `dataset` (ids by dataset position) into `folder` under `layout`.
    public func export(_ dataset: Dataset, ids: [String], into folder: String, layout: ExportLayout,
                       progress: ProgressReporter? = nil) throws -> Result {
        precondition(ids.count == dataset.count, "one id per image")
        var evaluation = EvaluationSettings(threshold: settings.threshold, classMode: settings.classMode,
                                            topK: settings.topK)
        evaluation.protocols = .full
        evaluation.batchSize = settings.batchSize
        evaluation.workers = settings.workers
        let evaluator = ModelEvaluator(model: model, settings: evaluation)
        var request = ModelEvaluator.MapRequest()
        request.fullPassClassMode = settings.classMode
        request.generatorMaps = true
        let transform = evaluator.transform(.full)
        let files = ExportFiles(folder: folder)
        var outcomes: [Int: RunOutcome] = [:], unreadable = Set<String>()
        _ = try evaluator.forEachBatch(dataset, .full, progress: progress, request: request,
                                       unreadable: &unreadable) { batch, maps in
            let pictures = try ExportPanel.pictures(batch.images, transform)
            for (row, index) in batch.indices.enumerated() {
                outcomes[index] = try exportImage(
                    dataset.samples[index], id: ids[index], picture: pictures[row],
                    source: batch.geometries[row].source, maps: maps, row: row, files: files, layout: layout)
            }
        }
        return Result(outcomes: outcomes, unreadable: unreadable)
    }

    private func exportImage(_ sample: Sample, id: String, picture: Tensor, source: ImageSize,
                             maps: BatchMaps, row: Int, files: ExportFiles,
                             layout: ExportLayout) throws -> RunOutcome {
        let side = model.spec.imageSize
        let map = try maps.maps[row].preparedForFullProtocol(size: side)
        let truth = sample.boxes.map { $0.resized(from: source, toWidth: side, toHeight: side) }
        let verdict = try MapVerdict(map: map, groundTruth: truth, threshold: settings.threshold,
                                     probabilities: maps.probabilities[row])
        try NPY.write(NPYArray(float32: map.floats, shape: [side, side]), to: files.path(layout.map(id)))
        let outcome = RunOutcome(
            predictedClass: verdict.predictedClass, predictedName: name(verdict.predictedClass),
            confidence: verdict.confidence, iou: verdict.iou, boxes: verdict.boxes,
            panel: layout.panel(id), thumbnail: layout.thumbnail(id))
        var tiles = [PanelMap("map", try map.tensor())]
        if let generators = maps.generatorMaps?[row] {
            // Mf1 and Mf2 as the generators output them (sigmoids, not renormalized): their levels show.
            tiles += [PanelMap("Mf1", try generators.shallow.tensor()),
                      PanelMap("Mf2", try generators.deep.tensor())]
        }
        let caption = Panel.caption(imageID: id, trueClass: sample.label, trueName: name(sample.label),
                                    outcome: outcome, run: runName)
        let panel = try ExportPanel.render(PanelInput(image: picture, maps: tiles, groundTruth: truth,
                                                      predicted: verdict.boxes, caption: caption))
        try panel.write(panel: files.path(outcome.panel), thumbnail: files.path(outcome.thumbnail))
        return outcome
    }

    private func name(_ index: Int) -> String {
        classNames.indices.contains(index) ? classNames[index] : "class \(index)"
    }
}

/// Paths inside the export folder, their parent folders created on first use.
final class ExportFiles {
    let folder: String
    private var created = Set<String>()

    init(folder: String) { self.folder = folder }

    func path(_ relative: String) throws -> String {
        let path = (folder as NSString).appendingPathComponent(relative)
        let parent = (path as NSString).deletingLastPathComponent
        if created.insert(parent).inserted {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                let reason = (error as NSError).localizedDescription
                throw VisualizationError("\(parent): cannot create the folder (\(reason))")
            }
        }
        return path
    }
}
