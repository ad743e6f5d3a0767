import Foundation
import OutputFiles

/// Writes one split as wsolevaluation metadata: image_ids.txt, class_labels.txt, image_sizes.txt,
/// localization.txt (boxes; masks when the samples have them and no boxes).
public enum WSOLEvalWriter {
    /// Writes every split as `out/<split>/` in one piece under the output-folder rule (OutputFolder):
    /// `out` is claimed for `owner`, filled in a staging folder and put in place whole, so splits of an
    /// earlier dataset never linger beside the new ones.
    public static func write(splits: [Dataset], imagesRoot: String, to out: String, force: Bool = false,
                             owner: String) throws {
        try OutputFolder.write(out, force: force, owner: owner) { staging in
            for split in splits {
                let folder = (staging as NSString).appendingPathComponent(split.split)
                try write(split, imagesRoot: imagesRoot, to: folder)
            }
        }
    }

    /// Writes one split into `folder` as it is (no output-folder rule: for a folder the caller owns).
    public static func write(_ split: Dataset, imagesRoot: String, to folder: String) throws {
        let prefix = imagesRoot.hasSuffix("/") ? imagesRoot : imagesRoot + "/"
        func relative(_ path: String) throws -> String {
            guard path.hasPrefix(prefix) else { throw DatasetError("\(path) is not under \(imagesRoot)") }
            return String(path.dropFirst(prefix.count))
        }
        var ids = "", labels = "", sizes = "", localization = ""
        for sample in split.samples {
            let p = try relative(sample.imagePath)
            guard !p.contains(",") else {
                throw DatasetError("\(p): wsolevaluation paths cannot contain commas")
            }
            ids += "\(p)\n"
            labels += "\(p),\(sample.label)\n"
            if let size = sample.size { sizes += "\(p),\(size.width),\(size.height)\n" }
            for box in sample.boxes {
                localization +=
                    "\(p),\([box.x0, box.y0, box.x1, box.y1].map(format).joined(separator: ","))\n"
            }
            if sample.boxes.isEmpty {
                for (i, mask) in sample.maskPaths.enumerated() {
                    let ignore = i == 0 ? (try sample.ignorePath.map(relative) ?? "") : ""
                    localization += "\(p),\(try relative(mask)),\(ignore)\n"
                }
            }
        }
        try TextFiles.write([("image_ids.txt", ids), ("class_labels.txt", labels), ("image_sizes.txt", sizes),
                             ("localization.txt", localization)], in: folder)
    }

    /// Integers without a fraction, other values in full precision.
    private static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
