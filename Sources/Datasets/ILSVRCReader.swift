import Foundation

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
            for (image, folder) in imageFiles(valDir) {
                let stem = ((image as NSString).lastPathComponent as NSString).deletingPathExtension
                let candidates = [(annotationDir as NSString).appendingPathComponent(stem + ".xml")]
                    + (folder.map { [((annotationDir as NSString).appendingPathComponent($0) as NSString).appendingPathComponent(stem + ".xml")] } ?? [])
                valXML.append((image, folder, candidates.first { FileManager.default.fileExists(atPath: $0) }))
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
        for (image, folder) in imageFiles(trainDir) {
            if let folder, let label = index[folder] { train.append(Sample(imagePath: image, label: label)) }
        }
        var val: [Sample] = []
        for (image, folder, annotation, xml) in parsedVal {
            guard let annotation, let xml else { continue }
            guard let first = annotation.objects.first else {
                result.error(xml, nil, "no <object> in the annotation"); continue
            }
            if let other = annotation.objects.first(where: { $0.wnid != first.wnid }) {
                result.error(xml, other.line, "object class \(other.wnid) disagrees with the first object's \(first.wnid)"); continue
            }
            if let folder, folder != first.wnid {
                result.error(xml, first.line, "class \(first.wnid) disagrees with the image's folder \(folder)"); continue
            }
            guard let label = index[first.wnid] else {
                result.error(xml, first.line, "class \(first.wnid) is not a train/ class folder"); continue
            }
            let headerSize = imageSize(image, xml, nil, &result)
            if let headerSize, let declared = annotation.size, declared != headerSize {
                result.warning(xml, annotation.sizeLine, "size \(declared.width)x\(declared.height) differs from the image's \(headerSize.width)x\(headerSize.height); using the image's")
            }
            let size = headerSize ?? annotation.size
            let boxes = annotation.objects.compactMap { result.validatedBox($0.box, size: size, xml, $0.line) }
            val.append(Sample(imagePath: image, label: label, boxes: boxes, size: size))
        }
        if isDirectory(trainDir) { result.splits["train"] = Dataset(split: "train", classNames: wnids, samples: train) }
        if isDirectory(valDir) { result.splits["val"] = Dataset(split: "val", classNames: wnids, samples: val) }
        return result
    }

    private static func subfolders(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { isDirectory((dir as NSString).appendingPathComponent($0)) }.sorted()
    }

    private static let imageExtensions: Set<String> = ["jpeg", "jpg", "png"]

    /// Image files directly in `dir` (folder nil) and one level down (folder = its name), sorted.
    private static func imageFiles(_ dir: String) -> [(String, String?)] {
        var files: [(String, String?)] = []
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        for entry in entries {
            let full = (dir as NSString).appendingPathComponent(entry)
            if isDirectory(full) {
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: full)) ?? []).sorted()
                where imageExtensions.contains((name as NSString).pathExtension.lowercased()) {
                    files.append(((full as NSString).appendingPathComponent(name), entry))
                }
            } else if imageExtensions.contains((entry as NSString).pathExtension.lowercased()) {
                files.append((full, nil))
            }
        }
        return files
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
        guard let data = FileManager.default.contents(atPath: path) else { result.error(path, nil, "cannot read file"); return nil }
        let text = String(decoding: data, as: UTF8.self)
        var annotation = ILSVRCAnnotation()
        let issuesBefore = result.issues.count
        if let sizeBlock = blocks(text, "size").first {
            let w = value(sizeBlock.text, "width").flatMap { Int($0) }, h = value(sizeBlock.text, "height").flatMap { Int($0) }
            if let w, let h, w > 0, h > 0 { annotation.size = ImageSize(width: w, height: h) }
            annotation.sizeLine = sizeBlock.line
        }
        for block in blocks(text, "object") {
            guard let name = value(block.text, "name"), !name.isEmpty else { result.error(path, block.line, "object without <name>"); continue }
            var coordinates: [Double] = []
            for tag in ["xmin", "ymin", "xmax", "ymax"] {
                guard let raw = value(block.text, tag) else { result.error(path, block.line, "object without <\(tag)>"); break }
                guard let v = result.number(raw, "<\(tag)>", path, block.line) else { break }
                coordinates.append(v)
            }
            guard coordinates.count == 4 else { continue }
            annotation.objects.append(Object(wnid: name, box: Box(x0: coordinates[0], y0: coordinates[1], x1: coordinates[2], y1: coordinates[3]), line: block.line))
        }
        return result.issues[issuesBefore...].contains { $0.severity == .error } ? nil : annotation
    }

    /// The contents of every <tag>...</tag> with the 1-based line of its opening tag.
    static func blocks(_ text: String, _ tag: String) -> [(text: Substring, line: Int)] {
        var found: [(Substring, Int)] = []
        var rest = text[...]
        var line = 1
        while let open = rest.range(of: "<\(tag)>") {
            line += rest[..<open.lowerBound].reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
            guard let close = rest[open.upperBound...].range(of: "</\(tag)>") else { break }
            found.append((rest[open.upperBound..<close.lowerBound], line))
            line += rest[open.lowerBound..<close.upperBound].reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
            rest = rest[close.upperBound...]
        }
        return found
    }

    static func value(_ block: Substring, _ tag: String) -> String? {
        blocks(String(block), tag).first.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}
