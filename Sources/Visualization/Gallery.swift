import Foundation

/// The browsable result of export-maps: boxes.csv and index.html over per-image records whose panels
/// and thumbnails the caller has written (paths relative to the gallery folder).
public struct Gallery {
    public var title: String
    /// One run name, or two with `--compare` (then every record carries `compare`).
    public var runNames: [String]
    public var records: [GalleryRecord]

    public init(title: String, runNames: [String], records: [GalleryRecord]) {
        self.title = title; self.runNames = runNames; self.records = records
    }

    public var isComparison: Bool { runNames.count == 2 }

    /// The records in gallery order (worst IoU of the first run first, ties by image id), checked.
    public func ordered() throws -> [GalleryRecord] {
        guard runNames.count == 1 || runNames.count == 2 else {
            throw VisualizationError("a gallery shows one run or two (got \(runNames.count))")
        }
        for r in records {
            guard (r.compare != nil) == isComparison else {
                throw VisualizationError(
                    "image \(r.imageID): "
                        + (isComparison
                            ? "no result from the second run"
                            : "a second run's result in a one-run gallery"))
            }
            for o in r.outcomes {
                guard o.iou.isFinite, (0...1).contains(o.iou), o.confidence.isFinite else {
                    throw VisualizationError(
                        "image \(r.imageID): IoU \(o.iou) or confidence \(o.confidence) out of range")
                }
            }
        }
        return records.sorted(by: GalleryRecord.worstFirst)
    }

    /// Writes `folder`/boxes.csv and `folder`/index.html (the folder must exist), each atomically.
    public func write(to folder: String) throws {
        let rows = try ordered()
        try writeText(BoxesCSV.text(rows, compare: isComparison), to: folder + "/boxes.csv")
        let page = try GalleryPage.html(title: title, runNames: runNames, records: rows, folder: folder)
        try writeText(page, to: folder + "/index.html")
    }

    private func writeText(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw VisualizationError("\(path): cannot write (\((error as NSError).localizedDescription))")
        }
    }
}
