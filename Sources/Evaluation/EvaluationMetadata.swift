import Foundation

/// The parts of a wsolevaluation metadata split folder the evaluator needs: image_ids.txt,
/// image_sizes.txt (`path,w,h`) and localization.txt (`path,x0,y0,x1,y1` per box, or
/// `path,mask,ignore` per mask with the ignore path on an image's first line only).
public struct EvaluationMetadata: Sendable {
    public struct Masks: Equatable, Sendable {
        public var masks: [String]
        public var ignore: String
    }

    public enum Localization: Sendable {
        case boxes([String: [SourceBox]])
        case masks([String: Masks])
    }

    public let imageIDs: [String]
    /// Image id -> (width, height); may be empty for mask datasets.
    public let sizes: [String: (width: Int, height: Int)]
    public let localization: Localization

    public static func read(_ folder: URL) throws -> EvaluationMetadata {
        let ids = try lines(folder, "image_ids.txt").map { $0.fields[0] }
        guard !ids.isEmpty else { throw EvaluationError("\(folder.appendingPathComponent("image_ids.txt").path): lists no image") }
        let localization = try readLocalization(folder)
        var sizes: [String: (width: Int, height: Int)] = [:]
        let sizesFile = folder.appendingPathComponent("image_sizes.txt")
        let hasBoxes: Bool
        if case .boxes = localization { hasBoxes = true } else { hasBoxes = false }
        if hasBoxes || FileManager.default.fileExists(atPath: sizesFile.path) {
            for line in try lines(folder, "image_sizes.txt") {
                guard line.fields.count == 3, let w = Int(line.fields[1]), let h = Int(line.fields[2]), w > 0, h > 0 else {
                    throw line.error("expected `path,width,height` with positive integer sizes")
                }
                sizes[line.fields[0]] = (w, h)
            }
        }
        for id in ids {
            switch localization {
            case .boxes(let boxes):
                guard boxes[id] != nil else { throw missing(folder, "localization.txt", "a box", id) }
                guard sizes[id] != nil else { throw missing(folder, "image_sizes.txt", "a size", id) }
            case .masks(let masks):
                guard masks[id] != nil else { throw missing(folder, "localization.txt", "a mask", id) }
            }
        }
        return EvaluationMetadata(imageIDs: ids, sizes: sizes, localization: localization)
    }

    private static func missing(_ folder: URL, _ file: String, _ what: String, _ id: String) -> EvaluationError {
        EvaluationError("\(folder.appendingPathComponent(file).path): no line gives \(what) for image \(id) (listed in image_ids.txt)")
    }

    /// Boxes when the first line has 5 fields, masks when it has 3; every line must then agree.
    private static func readLocalization(_ folder: URL) throws -> Localization {
        let all = try lines(folder, "localization.txt")
        guard let first = all.first else {
            throw EvaluationError("\(folder.appendingPathComponent("localization.txt").path): empty")
        }
        if first.fields.count == 5 {
            var boxes: [String: [SourceBox]] = [:]
            for line in all {
                let v = line.fields.dropFirst().compactMap { Double($0) }
                guard line.fields.count == 5, v.count == 4, v.allSatisfy(\.isFinite) else {
                    throw line.error("expected `path,x0,y0,x1,y1` with finite numbers")
                }
                guard v[2] >= v[0], v[3] >= v[1] else { throw line.error("inverted box (x1 < x0 or y1 < y0)") }
                boxes[line.fields[0], default: []].append(SourceBox(v[0], v[1], v[2], v[3]))
            }
            return .boxes(boxes)
        }
        guard first.fields.count == 3 else { throw first.error("expected `path,x0,y0,x1,y1` (boxes) or `path,mask,ignore` (masks)") }
        var masks: [String: Masks] = [:]
        for line in all {
            guard line.fields.count == 3, !line.fields[1].isEmpty else { throw line.error("expected `path,mask,ignore`") }
            let id = line.fields[0]
            if masks[id] == nil {
                masks[id] = Masks(masks: [line.fields[1]], ignore: line.fields[2])
            } else {
                guard line.fields[2].isEmpty else { throw line.error("the ignore path belongs on an image's first line only") }
                masks[id]!.masks.append(line.fields[1])
            }
        }
        return .masks(masks)
    }

    struct Line {
        let file: String
        let number: Int
        let fields: [String]
        func error(_ what: String) -> EvaluationError { EvaluationError("\(file):\(number): \(what)") }
    }

    /// Non-empty lines (LF or CRLF) split at commas, with their numbers.
    private static func lines(_ folder: URL, _ name: String) throws -> [Line] {
        let path = folder.appendingPathComponent(name).path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvaluationError("\(path): cannot read (is --metadata a wsolevaluation split folder?)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw EvaluationError("\(path): not UTF-8 text") }
        var result: [Line] = []
        // Character.isNewline also covers "\r\n", which Swift treats as one character.
        for (i, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            result.append(Line(file: path, number: i + 1, fields: line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
        return result
    }
}
