import Foundation

/// wsolevaluation's metadata layout (also the format for custom datasets): `metadata/<split>/` holds
/// `image_ids.txt`, `class_labels.txt`, `image_sizes.txt` and `localization.txt`; image paths are
/// relative to `images`, mask paths too (wsolevaluation's data root and mask root are one folder).
public enum WSOLEvalReader {
    public static let splitNames = ["train", "val", "test"]

    /// `metadata` holds split folders, or is itself one split folder (named train/val/test, else "test").
    public static func read(metadata: String, images: String, masks: String? = nil) -> DatasetReadResult {
        var result = DatasetReadResult()
        var folders: [(String, String)] = splitNames.map { ($0, (metadata as NSString).appendingPathComponent($0)) }
            .filter { isDirectory($0.1) }
        if folders.isEmpty {
            let name = (metadata as NSString).lastPathComponent
            folders = [(splitNames.contains(name) ? name : "test", metadata)]
        }
        var parsed: [(String, [Sample], [Int: Int], String)] = []  // split, samples, label lines, labels file
        for (split, folder) in folders {
            if let (samples, lines) = readSplit(folder, images: images, masks: masks ?? images, boxesRequired: split != "train", &result) {
                parsed.append((split, samples, lines, (folder as NSString).appendingPathComponent("class_labels.txt")))
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
                    result.error(labelsFile, lines[i], "label \(sample.label) out of range: the train split has \(classCount) classes")
                    continue
                }
                kept.append(sample)
            }
            result.splits[split] = Dataset(split: split, classNames: names, samples: kept)
        }
        return result
    }

    private static func readSplit(_ folder: String, images: String, masks: String, boxesRequired: Bool,
                                  _ result: inout DatasetReadResult) -> ([Sample], [Int: Int])? {
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        func table(_ name: String, optional: Bool = false) -> TextTable? {
            if optional && !FileManager.default.fileExists(atPath: path(name)) { return nil }
            do { return try TextTable.read(path(name), separator: ",") } catch {
                result.error(path(name), nil, FileManager.default.fileExists(atPath: path(name)) ? "cannot read file" : "missing")
                return nil
            }
        }
        guard let ids = table("image_ids.txt"), let labels = table("class_labels.txt") else { return nil }
        let sizes = table("image_sizes.txt", optional: true)
        let localization = table("localization.txt", optional: !boxesRequired)

        var order: [String] = []
        var idLine: [String: Int] = [:]
        for row in ids.rows where result.fieldCount(row, 1, ids.path, format: "path") {
            let p = row.fields[0]
            if let first = idLine[p] { result.error(ids.path, row.line, "image \(p) repeated (first on line \(first))"); continue }
            idLine[p] = row.line
            order.append(p)
        }
        func known(_ t: TextTable, _ row: TextTable.Row) -> Bool {
            if idLine[row.fields[0]] != nil { return true }
            result.error(t.path, row.line, "image \(row.fields[0]) is not in image_ids.txt")
            return false
        }
        var label: [String: (Int, Int)] = [:]
        for row in labels.rows where result.fieldCount(row, 2, labels.path, format: "path,label") && known(labels, row) {
            if label[row.fields[0]] != nil { result.error(labels.path, row.line, "image \(row.fields[0]) labelled twice"); continue }
            guard let value = result.int(row.fields[1], "label", labels.path, row.line) else { continue }
            guard value >= 0 else { result.error(labels.path, row.line, "label \(value) out of range (must be >= 0)"); continue }
            label[row.fields[0]] = (value, row.line)
        }
        var size: [String: ImageSize] = [:]
        if let sizes {
            for row in sizes.rows where result.fieldCount(row, 3, sizes.path, format: "path,w,h") && known(sizes, row) {
                guard let w = result.int(row.fields[1], "width", sizes.path, row.line),
                      let h = result.int(row.fields[2], "height", sizes.path, row.line) else { continue }
                guard w > 0, h > 0 else { result.error(sizes.path, row.line, "size \(w)x\(h) is not positive"); continue }
                size[row.fields[0]] = ImageSize(width: w, height: h)
            }
        }
        var boxes: [String: [(box: Box, line: Int)]] = [:]
        var maskPaths: [String: [String]] = [:]
        var ignore: [String: String] = [:]
        let localizationPath = localization?.path ?? path("localization.txt")
        for row in localization?.rows ?? [] {
            let file = localizationPath
            guard row.fields.count == 5 || row.fields.count == 3 else {
                result.error(file, row.line, "expected 5 fields (path,x0,y0,x1,y1) or 3 (path,mask,ignore), found \(row.fields.count)")
                continue
            }
            guard let localization, known(localization, row) else { continue }
            let p = row.fields[0]
            if row.fields.count == 5 {
                let v = row.fields[1...].map { result.number($0, "box value", file, row.line) }
                guard let x0 = v[0], let y0 = v[1], let x1 = v[2], let y1 = v[3] else { continue }
                boxes[p, default: []].append((Box(x0: x0, y0: y0, x1: x1, y1: y1), row.line))
            } else {
                maskPaths[p, default: []].append((masks as NSString).appendingPathComponent(row.fields[1]))
                if !row.fields[2].isEmpty { ignore[p] = (masks as NSString).appendingPathComponent(row.fields[2]) }
                for m in [row.fields[1], row.fields[2]] where !m.isEmpty {
                    let full = (masks as NSString).appendingPathComponent(m)
                    if !FileManager.default.fileExists(atPath: full) { result.error(file, row.line, "mask \(full) is missing") }
                }
            }
        }

        var samples: [Sample] = []
        var lines: [Int: Int] = [:]
        for p in order {
            let line = idLine[p]!
            let imagePath = (images as NSString).appendingPathComponent(p)
            guard let (value, labelLine) = label[p] else {
                result.error(ids.path, line, "image \(p) has no valid line in class_labels.txt"); continue
            }
            var imageSizeValue = size[p]
            if imageSizeValue == nil || !FileManager.default.fileExists(atPath: imagePath) {
                imageSizeValue = imageSize(imagePath, ids.path, line, &result) ?? imageSizeValue
            }
            if boxesRequired && boxes[p] == nil && maskPaths[p] == nil {
                result.error(ids.path, line, "image \(p) has no line in localization.txt")
            }
            let valid = (boxes[p] ?? []).compactMap { result.validatedBox($0.box, size: imageSizeValue, localizationPath, $0.line) }
            lines[samples.count] = labelLine
            samples.append(Sample(imagePath: imagePath, label: value, boxes: valid, maskPaths: maskPaths[p] ?? [],
                                  ignorePath: ignore[p], size: imageSizeValue))
        }
        return (samples, lines)
    }
}
