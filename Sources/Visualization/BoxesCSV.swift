import Evaluation
import Foundation

/// boxes.csv of export-maps: one row per image, worst IoU first, with the header
/// `image,class,class_name,predicted_class,predicted_name,confidence,iou,correct_at_0.5,boxes`
/// (and the same run columns again prefixed `compare_` for a second run). `boxes` lists every
/// predicted box as "x0 y0 x1 y1", boxes separated by ";"; `correct_at_0.5` is 1 when IoU >= 0.5.
/// Numbers are written so that reading them back gives the same Double.
public enum BoxesCSV {
    static let imageColumns = ["image", "class", "class_name"]
    static let runColumns = [
        "predicted_class", "predicted_name", "confidence", "iou", "correct_at_0.5", "boxes",
    ]

    public static func header(compare: Bool) -> [String] {
        imageColumns + runColumns + (compare ? runColumns.map { "compare_" + $0 } : [])
    }

    /// The file's text for records already in gallery order.
    static func text(_ records: [GalleryRecord], compare: Bool) -> String {
        var out = CSV.record(header(compare: compare))
        for r in records {
            var fields = [r.imageID, String(r.trueClass), r.trueName]
            for o in r.outcomes {
                fields += [
                    String(o.predictedClass), o.predictedName, "\(o.confidence)", "\(o.iou)",
                    o.correct ? "1" : "0", boxesField(o.boxes),
                ]
            }
            out += CSV.record(fields)
        }
        return out
    }

    static func boxesField(_ boxes: [PixelBox]) -> String {
        boxes.map { $0.array.map(String.init).joined(separator: " ") }.joined(separator: ";")
    }

    /// One row read back: what the file carries of a record.
    public struct Row: Equatable, Sendable {
        public struct Run: Equatable, Sendable {
            public var predictedClass: Int, predictedName: String, confidence: Double, iou: Double
            public var correct: Bool, boxes: [PixelBox]
        }
        public var imageID: String, trueClass: Int, trueName: String
        public var runs: [Run]
    }

    /// Reads a boxes.csv; a malformed file is one error naming file:line and the column.
    public static func read(_ path: String) throws -> [Row] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VisualizationError("\(path): cannot read file")
        }
        let records = try CSV.parse(String(decoding: data, as: UTF8.self), path: path)
        guard let head = records.first, head == header(compare: false) || head == header(compare: true) else {
            throw VisualizationError("\(path):1: not a boxes.csv header (expected \(header(compare: false)))")
        }
        let runCount = head.count == header(compare: true).count ? 2 : 1
        return try records.dropFirst().enumerated().map { index, fields in
            try row(fields, runs: runCount, at: "\(path): record \(index + 2)")
        }
    }

    private static func row(_ f: [String], runs: Int, at place: String) throws -> Row {
        guard f.count == imageColumns.count + runs * runColumns.count else {
            throw VisualizationError(
                "\(place): \(f.count) fields, expected \(imageColumns.count + runs * runColumns.count)")
        }
        func int(_ i: Int) throws -> Int {
            guard let v = Int(f[i]) else {
                throw VisualizationError(
                    "\(place): \(header(compare: runs == 2)[i]) '\(f[i])' is not an integer")
            }
            return v
        }
        func number(_ i: Int) throws -> Double {
            guard let v = Double(f[i]), v.isFinite else {
                throw VisualizationError(
                    "\(place): \(header(compare: runs == 2)[i]) '\(f[i])' is not a number")
            }
            return v
        }
        var out = Row(imageID: f[0], trueClass: try int(1), trueName: f[2], runs: [])
        for r in 0..<runs {
            let base = imageColumns.count + r * runColumns.count
            guard f[base + 4] == "0" || f[base + 4] == "1" else {
                throw VisualizationError("\(place): correct_at_0.5 must be 0 or 1")
            }
            out.runs.append(
                Row.Run(
                    predictedClass: try int(base), predictedName: f[base + 1],
                    confidence: try number(base + 2),
                    iou: try number(base + 3), correct: f[base + 4] == "1",
                    boxes: try boxes(f[base + 5], at: place)))
        }
        return out
    }

    private static func boxes(_ field: String, at place: String) throws -> [PixelBox] {
        if field.isEmpty { return [] }
        return try field.split(separator: ";", omittingEmptySubsequences: false).map { text in
            let v = text.split(separator: " ").compactMap { Int($0) }
            guard v.count == 4, text.split(separator: " ").count == 4 else {
                throw VisualizationError("\(place): box '\(text)' is not four integers x0 y0 x1 y1")
            }
            return PixelBox(v[0], v[1], v[2], v[3])
        }
    }
}
