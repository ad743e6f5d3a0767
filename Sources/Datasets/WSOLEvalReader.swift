import Foundation

/// wsolevaluation's metadata layout (also the format for custom datasets): `metadata/<split>/` holds
/// `image_ids.txt`, `class_labels.txt`, `image_sizes.txt` and `localization.txt`; image paths are
/// relative to `images`, mask paths too (wsolevaluation's data root and mask root are one folder).
/// The one parser of this format: datasets (`read`) and the map evaluator (`readForEvaluation`).
public enum WSOLEvalReader {
    public static let splitNames = ["train", "val", "test"]

    /// `metadata` holds split folders, or is itself one split folder (named train/val/test, else "test").
    public static func read(metadata: String, images: String, masks: String? = nil) -> DatasetReadResult {
        read(metadata, Mode(images: images, masks: masks ?? images, evaluation: false))
    }

    /// The evaluator's read of score-map metadata: no image file is looked at (sizes come from
    /// image_sizes.txt only, needed for images with boxes; `imagePath` is the id as written),
    /// class_labels.txt may be absent (every label is then 0), every image needs localization, even
    /// in a train split. Boxes are kept exactly as written and refused only where wsolevaluation
    /// refuses them (no clipping, empty boxes allowed). Mask paths are resolved against `masks` and
    /// checked, or kept as written when nil.
    public static func readForEvaluation(metadata: String, masks: String?) -> DatasetReadResult {
        read(metadata, Mode(images: nil, masks: masks, evaluation: true))
    }

    /// The split folders `metadata` holds: its train/val/test subfolders, else itself as one split.
    public static func splitFolders(_ metadata: String) -> [(split: String, folder: String)] {
        let folders = splitNames.map { ($0, (metadata as NSString).appendingPathComponent($0)) }
            .filter { isDirectory($0.1) }
        if !folders.isEmpty { return folders }
        let name = (metadata as NSString).lastPathComponent
        return [(splitNames.contains(name) ? name : "test", metadata)]
    }

    /// How far beyond the metadata text a read looks.
    private struct Mode {
        /// nil: image files are not looked at.
        var images: String?
        /// nil: mask paths stay as written, unchecked.
        var masks: String?
        /// Labels optional, localization and (for boxes) sizes required in every split.
        var evaluation: Bool
    }

    private static func read(_ metadata: String, _ mode: Mode) -> DatasetReadResult {
        var result = DatasetReadResult()
        var parsed: [(String, [Sample], [Int: Int], String)] = []  // split, samples, label lines, labels file
        for (split, folder) in splitFolders(metadata) {
            if let (samples, lines) = readSplit(
                folder, mode, localizationRequired: mode.evaluation || split != "train", &result) {
                parsed.append((split, samples, lines,
                               (folder as NSString).appendingPathComponent("class_labels.txt")))
            }
        }
        // Class count: from the training split when there is one, else from every split.
        let reference = parsed.first { $0.0 == "train" }.map { [$0] } ?? parsed
        let classCount = (reference.flatMap { $0.1.map(\.label) }.max() ?? -1) + 1
        let names = (0..<classCount).map { "class_\($0)" }
        for (split, samples, lines, labelsFile) in parsed {
            var kept: [Sample] = []
            for (i, sample) in samples.enumerated() {
                if sample.label >= classCount {
                    result.error(labelsFile, lines[i],
                        "label \(sample.label) out of range: the train split has \(classCount) classes")
                    continue
                }
                kept.append(sample)
            }
            result.splits[split] = Dataset(split: split, classNames: names, samples: kept)
        }
        return result
    }

    private static func readSplit(_ folder: String, _ mode: Mode, localizationRequired: Bool,
                                  _ result: inout DatasetReadResult) -> ([Sample], [Int: Int])? {
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        func table(_ name: String, optional: Bool = false) -> TextTable? {
            if optional && !FileManager.default.fileExists(atPath: path(name)) { return nil }
            do {
                let table = try TextTable.read(path(name), separator: ",")
                result.reportInvalidText(table)
                return table
            } catch {
                result.error(path(name), nil, FileManager.default.fileExists(atPath: path(name))
                             ? "cannot read file" : "missing")
                return nil
            }
        }
        guard let ids = table("image_ids.txt") else { return nil }
        let labels = table("class_labels.txt", optional: mode.evaluation)
        if labels == nil && !mode.evaluation { return nil }
        let sizes = table("image_sizes.txt", optional: true)
        let localization = table("localization.txt", optional: !localizationRequired)
        if ids.rows.isEmpty { result.error(ids.path, nil, "lists no image") }

        var order: [String] = []
        var idLine: [String: Int] = [:]
        for row in ids.rows where result.fieldCount(row, 1, ids.path, format: "path") {
            let p = row.fields[0]
            if let first = idLine[p] {
                result.error(ids.path, row.line, "image \(p) repeated (first on line \(first))"); continue
            }
            idLine[p] = row.line
            order.append(p)
        }
        func known(_ t: TextTable, _ row: TextTable.Row) -> Bool { listed(row, idLine, t.path, &result) }
        var label: [String: (Int, Int)] = [:]
        for row in labels?.rows ?? [] where result.fieldCount(row, 2, labels!.path, format: "path,label")
                                            && known(labels!, row) {
            if label[row.fields[0]] != nil {
                result.error(labels!.path, row.line, "image \(row.fields[0]) labelled twice"); continue
            }
            guard let value = result.int(row.fields[1], "label", labels!.path, row.line) else { continue }
            guard value >= 0 else {
                result.error(labels!.path, row.line, "label \(value) out of range (must be >= 0)"); continue
            }
            label[row.fields[0]] = (value, row.line)
        }
        var size: [String: ImageSize] = [:], sizeLine: [String: Int] = [:]
        if let sizes {
            for row in sizes.rows where result.fieldCount(row, 3, sizes.path, format: "path,w,h")
                                        && known(sizes, row) {
                guard let w = result.int(row.fields[1], "width", sizes.path, row.line),
                      let h = result.int(row.fields[2], "height", sizes.path, row.line) else { continue }
                guard w > 0, h > 0 else {
                    result.error(sizes.path, row.line, "size \(w)x\(h) is not positive"); continue
                }
                size[row.fields[0]] = ImageSize(width: w, height: h)
                sizeLine[row.fields[0]] = row.line
            }
        }
        let located = localization.map { readLocalization($0, masks: mode.masks, ids: idLine, &result) }
            ?? Localization()
        let localizationPath = localization?.path ?? path("localization.txt")

        var samples: [Sample] = []
        var lines: [Int: Int] = [:]
        for p in order {
            let line = idLine[p]!
            let imagePath = mode.images.map { ($0 as NSString).appendingPathComponent(p) } ?? p
            let labelled = label[p] ?? (labels == nil ? (0, line) : nil)
            guard let (value, labelLine) = labelled else {
                result.error(ids.path, line, "image \(p) has no valid line in class_labels.txt"); continue
            }
            var imageSizeValue = size[p]
            if mode.images != nil {
                // image_sizes.txt is what boxes are scaled by: it must agree with the image itself.
                let header = imageSize(imagePath, ids.path, line, &result)
                if let header, let listed = imageSizeValue, listed != header, let sizes {
                    result.error(sizes.path, sizeLine[p],
                        "size \(listed.width)x\(listed.height) of \(p) " +
                        "differs from the image's \(header.width)x\(header.height); correct the line")
                }
                imageSizeValue = header ?? imageSizeValue
            }
            if localizationRequired && located.boxes[p] == nil && located.masks[p] == nil {
                result.error(ids.path, line, "image \(p) has no line in localization.txt")
            }
            if mode.images == nil && imageSizeValue == nil && located.boxes[p] != nil {
                result.error(ids.path, line,
                    "image \(p) has no line in image_sizes.txt (its boxes are scaled by the image size)")
            }
            let valid = (located.boxes[p] ?? []).compactMap { found in
                mode.evaluation ? keptAsWritten(found.box, localizationPath, found.line, &result)
                    : result.validatedBox(found.box, size: imageSizeValue, localizationPath, found.line)
            }
            lines[samples.count] = labelLine
            samples.append(Sample(imagePath: imagePath, label: value, boxes: valid,
                                  maskPaths: located.masks[p] ?? [],
                                  ignorePath: located.ignore[p], size: imageSizeValue))
        }
        return (samples, lines)
    }

    /// localization.txt per image: boxes with their lines, mask paths, the ignore path.
    private struct Localization {
        var boxes: [String: [(box: Box, line: Int)]] = [:]
        var masks: [String: [String]] = [:]
        var ignore: [String: String] = [:]
    }

    /// Box lines `path,x0,y0,x1,y1`; mask lines `path,mask,ignore` with the ignore path (optional) on an
    /// image's first mask line only, as wsolevaluation requires. Mask paths are resolved against
    /// `masks` and checked when it is given.
    private static func readLocalization(_ table: TextTable, masks: String?, ids: [String: Int],
                                         _ result: inout DatasetReadResult) -> Localization {
        var found = Localization()
        let file = table.path
        for row in table.rows {
            guard row.fields.count == 5 || row.fields.count == 3 else {
                result.error(file, row.line,
                    "expected 5 fields (path,x0,y0,x1,y1) or 3 (path,mask,ignore), found \(row.fields.count)")
                continue
            }
            guard listed(row, ids, file, &result) else { continue }
            let p = row.fields[0]
            if row.fields.count == 5 {
                let v = row.fields[1...].map { result.number($0, "box value", file, row.line) }
                guard let x0 = v[0], let y0 = v[1], let x1 = v[2], let y1 = v[3] else { continue }
                found.boxes[p, default: []].append((Box(x0: x0, y0: y0, x1: x1, y1: y1), row.line))
                continue
            }
            let (mask, ignore) = (row.fields[1], row.fields[2])
            guard !mask.isEmpty else { result.error(file, row.line, "empty mask path"); continue }
            let firstLine = found.masks[p] == nil
            guard firstLine || ignore.isEmpty else {
                result.error(file, row.line,
                             "the ignore path belongs on an image's first mask line only"); continue
            }
            func resolved(_ m: String) -> String {
                guard let masks else { return m }
                let full = (masks as NSString).appendingPathComponent(m)
                if !FileManager.default.fileExists(atPath: full) {
                    result.error(file, row.line, "mask \(full) is missing")
                }
                return full
            }
            found.masks[p, default: []].append(resolved(mask))
            if !ignore.isEmpty { found.ignore[p] = resolved(ignore) }
        }
        return found
    }

    /// wsolevaluation's check_box_convention, the only check its evaluator makes (its resize_bbox
    /// scales the raw numbers): coordinates not negative, x1 >= x0 and y1 >= y0. Non-numbers and
    /// non-finite values were refused when the line was parsed.
    private static func keptAsWritten(_ box: Box, _ file: String, _ line: Int,
                                      _ result: inout DatasetReadResult) -> Box? {
        guard [box.x0, box.y0, box.x1, box.y1].allSatisfy({ $0 >= 0 }) else {
            result.error(file, line, "box \(box) has a negative coordinate"); return nil
        }
        guard box.x1 >= box.x0, box.y1 >= box.y0 else {
            result.error(file, line, "box \(box) is inverted (need x0 <= x1 and y0 <= y1)"); return nil
        }
        return box
    }

    /// True when the row's image is in image_ids.txt (`ids`: image -> line); else an error.
    private static func listed(_ row: TextTable.Row, _ ids: [String: Int], _ file: String,
                               _ result: inout DatasetReadResult) -> Bool {
        if ids[row.fields[0]] != nil { return true }
        result.error(file, row.line, "image \(row.fields[0]) is not in image_ids.txt")
        return false
    }
}
