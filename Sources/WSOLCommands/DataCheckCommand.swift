import ArgumentParser
import Datasets
import Foundation
import Torch

/// `wsol data check`: counts per split and every problem, each with file and line.
struct DataCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Count images, classes and boxes per split and list every problem "
            + "(file:line); exit 2 on errors."
    )

    @OptionGroup var dataset: DatasetOptions

    @Option(help: """
        Count and --deep decode only this split: train, val or test. Problems in the files the splits \
        share are still all listed, whatever split they concern, and still exit 2.
        """)
    var split: String?

    @Flag(help: "Also decode every image and mask.")
    var deep = false

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let report = try makeReport()
        print(report.text)
        if report.errors > 0 { throw CommandFailure("dataset check failed: \(report.summary)", exitCode: 2) }
    }

    /// What `run` prints (text or JSON), the error count and the summary line.
    func makeReport() throws -> (text: String, errors: Int, summary: String) {
        var result = try dataset.read()
        var names = result.orderedSplitNames
        if let split {
            guard result.splits[split] != nil || !result.errors.isEmpty else {
                throw CommandFailure("the dataset has no \(split) split "
                    + "(it has: \(names.joined(separator: ", ")))", exitCode: 2)
            }
            names = names.filter { $0 == split }
        }
        if deep { try decodeAll(names.compactMap { result.splits[$0] }, into: &result) }

        let errors = result.errors.count, warnings = result.warnings.count
        let summary = "\(errors) error(s), \(warnings) warning(s), \(result.clippedBoxes) box(es) clipped"
        if json {
            let splits = Dictionary(uniqueKeysWithValues: names.map { name -> (String, Any) in
                let d = result.splits[name]!
                return (name, ["images": d.count, "classes": d.classCount,
                               "classes_present": d.classesPresent,
                               "boxes": d.boxCount, "images_with_masks": d.maskedCount])
            })
            let issues = result.issues.map { issue -> [String: Any] in
                var o: [String: Any] = ["severity": issue.severity.rawValue, "file": issue.file,
                                        "message": issue.message]
                if let line = issue.line { o["line"] = line }
                return o
            }
            let object: [String: Any] = ["splits": splits, "issues": issues, "errors": errors,
                                         "warnings": warnings, "clipped_boxes": result.clippedBoxes,
                                         "deep": deep, "ok": errors == 0]
            let data = try JSONSerialization.data(withJSONObject: object,
                                                  options: [.sortedKeys, .withoutEscapingSlashes])
            return (String(decoding: data, as: UTF8.self), errors, summary)
        }
        var lines = names.map { name -> String in
            let d = result.splits[name]!
            return "\(name): \(d.count) images, \(d.classCount) classes (\(d.classesPresent) present), "
                + "\(d.boxCount) boxes, \(d.maskedCount) with masks"
        }
        lines += result.issues.map(\.description)
        if errors == 0 { lines.append(summary) }
        return (lines.joined(separator: "\n"), errors, summary)
    }

    /// Decodes every image and mask on the worker threads; each failure is an error naming the file,
    /// and so is an image whose decoded size differs from the size the dataset gives it (its boxes
    /// are scaled by that size). Files the reader already flagged are skipped: a missing file, and an
    /// image whose header it could not read (no size).
    private func decodeAll(_ splits: [Dataset], into result: inout DatasetReadResult) throws {
        let files = splits.flatMap { split in
            split.samples.flatMap { sample -> [(path: String, size: ImageSize?)] in
                (sample.size.map { [(sample.imagePath, $0)] } ?? [])
                    + (sample.maskPaths + (sample.ignorePath.map { [$0] } ?? [])).map { ($0, nil) }
            }
        }.filter { FileManager.default.fileExists(atPath: $0.path) }
        let failures = try ParallelWork.accumulate(count: files.count,
                                                   make: { [(String, String)]() }) { found, i in
            let (path, size) = files[i]
            do {
                let image = try ImageIO.decode(path)
                if let size, image.shape[0] != size.height || image.shape[1] != size.width {
                    found.append((path, "decodes to \(image.shape[1])x\(image.shape[0]), " +
                                        "but the dataset gives " +
                                        "its size as \(size.width)x\(size.height)"))
                }
            } catch {
                found.append((path, "cannot decode: \(errorText(error, about: path))"))
            }
        } merge: { $0 += $1 }
        for (path, message) in failures {
            result.issues.append(DataIssue(.error, file: path, message))
        }
    }
}
