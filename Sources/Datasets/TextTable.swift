import Foundation
import Torch

/// Line-oriented text files (CUB's space-separated, wsolevaluation's comma-separated), read with their
/// line numbers so every complaint can name file:line.
struct TextTable {
    struct Row {
        let line: Int
        let fields: [String]
    }

    let path: String
    let rows: [Row]
    /// Lines that are not UTF-8 (e.g. Latin-1 file names): left out of `rows`, reported by the reader.
    var invalidLines: [Int] = []

    /// Reads `path`, splitting each non-blank line on `separator`. With `maxFields`, the last field
    /// keeps any further separators (CUB paths and class names may contain spaces).
    static func read(_ path: String, separator: Character, maxFields: Int? = nil) throws -> TextTable {
        if let problem = RegularFile.problem(path) { throw DatasetError("\(path): \(problem)") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError("\(path): cannot read file")
        }
        var bytes = data[...]
        // A byte-order mark from Windows editors.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var rows: [Row] = []
        var invalid: [Int] = []
        var lineNumber = 0
        // Each line decoded on its own, so a line that is not UTF-8 is named instead of silently
        // repaired (a repaired file name would then be reported as missing).
        for rawBytes in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            guard let rawLine = String(validating: rawBytes, as: UTF8.self) else {
                invalid.append(lineNumber)
                continue
            }
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine[...]
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            var fields: [String]
            if separator == " " {
                let parts = line.split(maxSplits: (maxFields ?? Int.max) - 1, omittingEmptySubsequences: true,
                                       whereSeparator: { $0 == " " || $0 == "\t" })
                fields = parts.map { String($0) }
                if let last = fields.last, maxFields != nil {
                    fields[fields.count - 1] = last.trimmingCharacters(in: .whitespaces)
                }
            } else {
                fields = line.split(separator: separator, maxSplits: (maxFields ?? Int.max) - 1,
                                    omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
            }
            rows.append(Row(line: lineNumber, fields: fields))
        }
        return TextTable(path: path, rows: rows, invalidLines: invalid)
    }
}

/// Field parsing that records file:line problems instead of throwing.
extension DatasetReadResult {
    /// One error per line of `table` that is not UTF-8.
    mutating func reportInvalidText(_ table: TextTable) {
        for line in table.invalidLines {
            error(table.path, line, "line is not UTF-8 text (a file name in another encoding?); wsol reads " +
                  "UTF-8 only: convert the file (iconv -f latin1 -t utf8) and rename the files it lists " +
                  "(convmv)")
        }
    }

    mutating func int(_ text: String, _ what: String, _ file: String, _ line: Int) -> Int? {
        guard let value = Int(text) else {
            error(file, line, "\(what) '\(text)' is not an integer"); return nil
        }
        return value
    }

    mutating func number(_ text: String, _ what: String, _ file: String, _ line: Int) -> Double? {
        guard let value = Double(text) else {
            error(file, line, "\(what) '\(text)' is not a number"); return nil
        }
        guard value.isFinite else { error(file, line, "\(what) '\(text)' is not finite"); return nil }
        return value
    }

    /// True when the row has exactly `count` fields (or at least `count` with `orMore`); else an error.
    mutating func fieldCount(_ row: TextTable.Row, _ count: Int, _ file: String, format: String,
                             orMore: Bool = false) -> Bool {
        if row.fields.count == count || (orMore && row.fields.count > count) { return true }
        error(file, row.line, "expected \(count) fields (\(format)), found \(row.fields.count)")
        return false
    }

    /// Checks a box against its image: inverted, empty, or beyond the image by more than one pixel is
    /// an error; an overshoot of at most one pixel is clipped with a warning and counted.
    mutating func validatedBox(_ box: Box, size: ImageSize?, _ file: String, _ line: Int) -> Box? {
        guard [box.x0, box.y0, box.x1, box.y1].allSatisfy(\.isFinite) else {
            error(file, line, "box \(box) is not finite"); return nil
        }
        guard box.x1 > box.x0, box.y1 > box.y0 else {
            error(file, line, "box \(box) is inverted or empty (need x0 < x1 and y0 < y1)"); return nil
        }
        let width = Double(size?.width ?? Int.max), height = Double(size?.height ?? Int.max)
        if box.x0 < -1 || box.y0 < -1 || box.x1 > width + 1 || box.y1 > height + 1 {
            let bounds = size.map { "\($0.width)x\($0.height)" } ?? "unknown"
            error(file, line, "box \(box) lies outside the \(bounds) image by more than 1 pixel"); return nil
        }
        var clipped = box
        clipped.x0 = min(max(0, box.x0), width); clipped.y0 = min(max(0, box.y0), height)
        clipped.x1 = min(max(0, box.x1), width); clipped.y1 = min(max(0, box.y1), height)
        guard clipped.x1 > clipped.x0, clipped.y1 > clipped.y0 else {
            error(file, line,
                  "box \(box) lies outside the image: nothing is left after clipping to it"); return nil
        }
        if clipped != box {
            warning(file, line, "box \(box) overshoots the image by at most 1 pixel; clipped to \(clipped)")
            clippedBoxes += 1
        }
        return clipped
    }
}
