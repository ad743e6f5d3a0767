import Foundation

/// CUB-200-2011 as distributed: `images.txt`, `image_class_labels.txt`, `train_test_split.txt`,
/// `bounding_boxes.txt`, `classes.txt`, `images/`, and masks from the separately distributed
/// `segmentations/` folder when it sits beside or inside `CUB_200_2011/`.
public enum CUBReader {
    /// `root` may be `CUB_200_2011/` itself or the folder that contains it.
    public static func read(root: String) -> DatasetReadResult {
        var result = DatasetReadResult()
        let dir = locate(root)
        func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }
        /// `textTail`: the field count of a file whose last field is text that may hold spaces (paths,
        /// class names); the other files must have exactly their field count.
        func table(_ name: String, textTail: Int? = nil) -> TextTable? {
            do {
                let table = try TextTable.read(path(name), separator: " ", maxFields: textTail)
                result.reportInvalidText(table)
                return table
            } catch {
                result.error(path(name), nil, FileManager.default.fileExists(atPath: path(name))
                             ? "cannot read file"
                             : "missing (is --root the CUB_200_2011 folder or its parent?)")
                return nil
            }
        }
        guard let images = table("images.txt", textTail: 2), let labels = table("image_class_labels.txt"),
              let splits = table("train_test_split.txt"), let boxes = table("bounding_boxes.txt"),
              let classes = table("classes.txt", textTail: 2) else { return result }

        var classNames: [String] = []
        for row in classes.rows where result.fieldCount(row, 2, classes.path, format: "id name") {
            guard let id = result.int(row.fields[0], "class id", classes.path, row.line) else { continue }
            if id != classNames.count + 1 {
                result.error(classes.path, row.line,
                             "class id \(id) out of order (expected \(classNames.count + 1))")
                continue
            }
            classNames.append(row.fields[1])
        }

        var imagePaths: [Int: (path: String, line: Int)] = [:]
        var order: [Int] = []
        for row in images.rows where result.fieldCount(row, 2, images.path, format: "id path") {
            guard let id = result.int(row.fields[0], "image id", images.path, row.line) else { continue }
            if let first = imagePaths[id] {
                result.error(images.path, row.line,
                             "image id \(id) repeated (first on line \(first.line))"); continue
            }
            imagePaths[id] = (row.fields[1], row.line)
            order.append(id)
        }

        /// id -> (line, values) for a file keyed by image id; ids unknown to images.txt are errors.
        func keyed<T>(_ t: TextTable, _ count: Int, _ format: String,
                      _ parse: (inout DatasetReadResult, TextTable.Row) -> T?) -> [Int: T] {
            var values: [Int: T] = [:]
            var lines: [Int: Int] = [:]
            for row in t.rows where result.fieldCount(row, count, t.path, format: format) {
                guard let id = result.int(row.fields[0], "image id", t.path, row.line) else { continue }
                if imagePaths[id] == nil {
                    result.error(t.path, row.line, "image id \(id) is not in images.txt"); continue
                }
                if let first = lines[id] {
                    result.error(t.path, row.line,
                                 "image id \(id) repeated (first on line \(first))"); continue
                }
                lines[id] = row.line
                if let value = parse(&result, row) { values[id] = value }
            }
            return values
        }
        let classOf = keyed(labels, 2, "id class") { r, row -> Int? in
            guard let c = r.int(row.fields[1], "class", labels.path, row.line) else { return nil }
            guard (1...max(1, classNames.count)).contains(c) else {
                r.error(labels.path, row.line,
                        "class \(c) out of range 1...\(classNames.count) (classes.txt)"); return nil
            }
            return c - 1
        }
        let isTrain = keyed(splits, 2, "id 1|0") { r, row -> Bool? in
            switch row.fields[1] {
            case "1": return true
            case "0": return false
            default: r.error(splits.path, row.line,
                             "split '\(row.fields[1])' must be 1 (train) or 0 (test)"); return nil
            }
        }
        let rawBoxes = keyed(boxes, 5, "id x y w h") { r, row -> (Box, Int)? in
            let v = row.fields[1...].map { r.number($0, "box value", boxes.path, row.line) }
            guard let x = v[0], let y = v[1], let w = v[2], let h = v[3] else { return nil }
            return (Box(x0: x, y0: y, x1: x + w, y1: y + h), row.line)
        }

        let segmentations = [path("segmentations"), ((dir as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("segmentations")].first { isDirectory($0) }
        var train: [Sample] = [], test: [Sample] = []
        for id in order {
            let (relative, line) = imagePaths[id]!
            let missing = [(classOf[id] == nil, labels.path), (isTrain[id] == nil, splits.path),
                           (rawBoxes[id] == nil, boxes.path)]
            for (absent, file) in missing where absent {
                result.error(images.path, line,
                             "image id \(id) has no valid line in \((file as NSString).lastPathComponent)")
            }
            let imagePath = (path("images") as NSString).appendingPathComponent(relative)
            let size = imageSize(imagePath, images.path, line, &result)
            guard let label = classOf[id], let train_ = isTrain[id],
                  let (raw, boxLine) = rawBoxes[id] else { continue }
            guard let box = result.validatedBox(raw, size: size, boxes.path, boxLine) else { continue }
            var sample = Sample(imagePath: imagePath, label: label, boxes: [box], size: size)
            if let segmentations {
                let mask = (segmentations as NSString)
                    .appendingPathComponent((relative as NSString).deletingPathExtension + ".png")
                if FileManager.default.fileExists(atPath: mask) {
                    sample.maskPaths = [mask]
                } else {
                    result.warning(images.path, line, "no mask \(mask) (segmentations/ exists)")
                }
            }
            if train_ { train.append(sample) } else { test.append(sample) }
        }
        result.splits["train"] = Dataset(split: "train", classNames: classNames, samples: train)
        result.splits["test"] = Dataset(split: "test", classNames: classNames, samples: test)
        return result
    }

    /// The folder holding images.txt: `root` itself or `root/CUB_200_2011`.
    public static func locate(_ root: String) -> String {
        let inner = (root as NSString).appendingPathComponent("CUB_200_2011")
        let hasIndex = FileManager.default.fileExists(
            atPath: (root as NSString).appendingPathComponent("images.txt"))
        return !hasIndex && isDirectory(inner) ? inner : root
    }
}

func isDirectory(_ path: String) -> Bool {
    var flag: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
}

/// The image's size from its header; a missing or unreadable file is an error at the listing line.
func imageSize(_ imagePath: String, _ listFile: String, _ line: Int?,
               _ result: inout DatasetReadResult) -> ImageSize? {
    if let size = ImageHeader.size(imagePath) { return size }
    if FileManager.default.fileExists(atPath: imagePath) {
        result.error(listFile, line, "image \(imagePath) is not a readable JPEG or PNG")
    } else {
        result.error(listFile, line, "image \(imagePath) is missing")
    }
    return nil
}
