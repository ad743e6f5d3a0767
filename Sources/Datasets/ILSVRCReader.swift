import Foundation
import Torch

/// ILSVRC-2012: `train/<wnid>/*.JPEG`; validation images flat (`val/*.JPEG`) or in class folders, with
/// the official per-image XML files (in `annotations`, flat or in class folders; by default beside
/// the validation images). Class index = position of the wnid in sorted order.
public enum ILSVRCReader {
    public static func read(root: String, annotations: String? = nil) -> DatasetReadResult {
        var result = DatasetReadResult()
        let trainDir = (root as NSString).appendingPathComponent("train")
        let valDir = (root as NSString).appendingPathComponent("val")
        guard isDirectory(trainDir) || isDirectory(valDir) else {
            result.error(root, nil, "no train/ or val/ folder (is --root the ILSVRC-2012 folder?)")
            return result
        }
        let trainClasses = subfolders(trainDir)
        var valXML: [(image: String, folderWnid: String?, xml: String?)] = []
        if isDirectory(valDir) {
            let annotationDir = annotations ?? valDir
            for (image, folder) in imageFiles(valDir, &result) {
                let stem = ((image as NSString).lastPathComponent as NSString).deletingPathExtension
                let candidates = [(annotationDir as NSString).appendingPathComponent(stem + ".xml")]
                    + (folder.map {
                        [((annotationDir as NSString).appendingPathComponent($0) as NSString)
                            .appendingPathComponent(stem + ".xml")]
                    } ?? [])
                valXML.append((image, folder,
                               candidates.first { FileManager.default.fileExists(atPath: $0) }))
            }
        }
        var parsedVal: [(String, String?, ILSVRCAnnotation?, String?)] = []
        for (image, folder, xml) in valXML {
            guard let xml else {
                result.error(image, nil, "no annotation XML for this validation image (see --annotations)")
                parsedVal.append((image, folder, nil, nil)); continue
            }
            parsedVal.append((image, folder, ILSVRCAnnotation.parse(xml, &result), xml))
        }
        var wnids = trainClasses
        if wnids.isEmpty {
            wnids = Array(Set(parsedVal.compactMap { $0.1 ?? $0.2?.objects.first?.wnid })).sorted()
        }
        let index = Dictionary(uniqueKeysWithValues: wnids.enumerated().map { ($1, $0) })

        var train: [Sample] = []
        for (image, folder) in imageFiles(trainDir, &result) {
            if let folder, let label = index[folder] { train.append(Sample(imagePath: image, label: label)) }
        }
        // A class is its position among the folders: an empty one would silently shift those after it.
        let filled = Set(train.map(\.label))
        for (label, wnid) in trainClasses.enumerated() where !filled.contains(label) {
            result.error((trainDir as NSString).appendingPathComponent(wnid), nil,
                         "class folder holds no image (.JPEG, .jpg, .png), so the class indices after " +
                         "it would shift; add its images or remove the folder")
        }
        var val: [Sample] = []
        for (image, folder, annotation, xml) in parsedVal {
            guard let annotation, let xml else { continue }
            guard let first = annotation.objects.first else {
                result.error(xml, nil, "no <object> in the annotation"); continue
            }
            if let other = annotation.objects.first(where: { $0.wnid != first.wnid }) {
                result.error(xml, other.line,
                             "object class \(other.wnid) disagrees with the first object's \(first.wnid)")
                continue
            }
            if let folder, folder != first.wnid {
                result.error(xml, first.line,
                             "class \(first.wnid) disagrees with the image's folder \(folder)"); continue
            }
            guard let label = index[first.wnid] else {
                result.error(xml, first.line, "class \(first.wnid) is not a train/ class folder"); continue
            }
            let headerSize = imageSize(image, xml, nil, &result)
            if let headerSize, let declared = annotation.size, declared != headerSize {
                result.warning(xml, annotation.sizeLine,
                               "size \(declared.width)x\(declared.height) differs from the image's "
                               + "\(headerSize.width)x\(headerSize.height); using the image's")
            }
            let size = headerSize ?? annotation.size
            let boxes = annotation.objects.compactMap {
                result.validatedBox($0.box, size: size, xml, $0.line)
            }
            val.append(Sample(imagePath: image, label: label, boxes: boxes, size: size))
        }
        if isDirectory(trainDir) {
            result.splits["train"] = Dataset(split: "train", classNames: wnids, samples: train)
        }
        if isDirectory(valDir) {
            result.splits["val"] = Dataset(split: "val", classNames: wnids, samples: val)
        }
        return result
    }

    private static func subfolders(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { isDirectory((dir as NSString).appendingPathComponent($0)) }.sorted()
    }

    private static let imageExtensions: Set<String> = ["jpeg", "jpg", "png"]

    /// Image files directly in `dir` (folder nil) and one level down (folder = its name), sorted. A
    /// name that is not UTF-8 reaches Swift repaired (U+FFFD) and could never be opened: it is an
    /// error naming it, not a missing file later.
    private static func imageFiles(_ dir: String, _ result: inout DatasetReadResult) -> [(String, String?)] {
        var files: [(String, String?)] = []
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        for entry in entries {
            let full = (dir as NSString).appendingPathComponent(entry)
            if isDirectory(full) {
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: full)) ?? []).sorted()
                where imageExtensions.contains((name as NSString).pathExtension.lowercased()) {
                    let path = (full as NSString).appendingPathComponent(name)
                    if isUTF8Name(path, &result) { files.append((path, entry)) }
                }
            } else if imageExtensions.contains((entry as NSString).pathExtension.lowercased()) {
                if isUTF8Name(full, &result) { files.append((full, nil)) }
            }
        }
        return files
    }

    private static func isUTF8Name(_ path: String, _ result: inout DatasetReadResult) -> Bool {
        guard path.contains("\u{FFFD}"), !FileManager.default.fileExists(atPath: path) else { return true }
        result.error(path, nil, "file name is not UTF-8 (shown with U+FFFD); wsol reads UTF-8 names only: " +
                     "rename it (convmv)")
        return false
    }
}

/// The parts of an ImageNet (PASCAL VOC style) annotation XML the reader needs.
struct ILSVRCAnnotation {
    struct Object { let wnid: String; let box: Box; let line: Int }
    var size: ImageSize?
    var sizeLine: Int?
    var objects: [Object] = []

    /// A small tag scanner: the files are machine-written and flat, so a general XML parser buys nothing.
    static func parse(_ path: String, _ result: inout DatasetReadResult) -> ILSVRCAnnotation? {
        if let problem = RegularFile.problem(path) { result.error(path, nil, problem); return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            result.error(path, nil, "cannot read file"); return nil
        }
        let text = [UInt8](data)
        var annotation = ILSVRCAnnotation()
        let issuesBefore = result.issues.count
        if let sizeBlock = blocks(text[...], "size").first {
            let w = value(sizeBlock.text, "width").flatMap { Int($0) },
                h = value(sizeBlock.text, "height").flatMap { Int($0) }
            if let w, let h, w > 0, h > 0 { annotation.size = ImageSize(width: w, height: h) }
            annotation.sizeLine = sizeBlock.line
        }
        for block in blocks(text[...], "object") {
            guard let name = value(block.text, "name"), !name.isEmpty else {
                result.error(path, block.line, "object without <name>"); continue
            }
            var coordinates: [Double] = []
            for tag in ["xmin", "ymin", "xmax", "ymax"] {
                guard let raw = value(block.text, tag) else {
                    result.error(path, block.line, "object without <\(tag)>"); break
                }
                guard let v = result.number(raw, "<\(tag)>", path, block.line) else { break }
                coordinates.append(v)
            }
            guard coordinates.count == 4 else { continue }
            annotation.objects.append(Object(wnid: name,
                                             box: Box(x0: coordinates[0], y0: coordinates[1],
                                                      x1: coordinates[2], y1: coordinates[3]),
                                             line: block.line))
        }
        return result.issues[issuesBefore...].contains { $0.severity == .error } ? nil : annotation
    }

    /// The contents of every <tag>...</tag> with the 1-based line of its opening tag. One pass over
    /// the bytes (memmem, memchr): an annotation with 200,000 objects costs linear time.
    static func blocks(_ text: ArraySlice<UInt8>, _ tag: String) -> [(text: ArraySlice<UInt8>, line: Int)] {
        let open = Array("<\(tag)>".utf8), close = Array("</\(tag)>".utf8)
        var found: [(ArraySlice<UInt8>, Int)] = []
        var line = 1
        var position = text.startIndex
        while let start = find(open, in: text, from: position) {
            line += newlines(in: text[position..<start])
            let contentStart = start + open.count
            guard let end = find(close, in: text, from: contentStart) else { break }
            found.append((text[contentStart..<end], line))
            position = end + close.count
            line += newlines(in: text[start..<position])
        }
        return found
    }

    /// The first index at or after `from` where `pattern` starts.
    private static func find(_ pattern: [UInt8], in text: ArraySlice<UInt8>, from: Int) -> Int? {
        guard from < text.endIndex else { return nil }
        return text[from...].withUnsafeBytes { haystack -> Int? in
            pattern.withUnsafeBytes { needle -> Int? in
                guard let base = haystack.baseAddress, let pattern = needle.baseAddress,
                      let hit = memmem(base, haystack.count, pattern, needle.count) else { return nil }
                return from + (UnsafeRawPointer(hit) - base)
            }
        }
    }

    private static func newlines(in text: ArraySlice<UInt8>) -> Int {
        text.withUnsafeBytes { raw -> Int in
            guard var cursor = raw.baseAddress else { return 0 }
            let end = cursor + raw.count
            var count = 0
            while cursor < end, let hit = memchr(cursor, 0x0A, end - cursor) {
                count += 1
                cursor = UnsafeRawPointer(hit) + 1
            }
            return count
        }
    }

    static func value(_ block: ArraySlice<UInt8>, _ tag: String) -> String? {
        blocks(block, tag).first.map {
            String(decoding: $0.text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
