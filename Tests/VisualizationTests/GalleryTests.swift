import Evaluation
import Foundation
import Testing
import TestSupport
import Torch
@testable import Visualization

func outcome(
    _ iou: Double, predicted: Int = 1, boxes: [PixelBox] = [PixelBox(1, 2, 30, 40)], panel: String = "p.png",
    thumbnail: String = "t.jpg"
) -> RunOutcome {
    RunOutcome(
        predictedClass: predicted, predictedName: "class \(predicted)", confidence: 0.25 + iou / 2, iou: iou,
        boxes: boxes, panel: panel, thumbnail: thumbnail)
}

@Suite("boxes.csv", .serialized)
struct BoxesCSVTests {
    init() { configureTestRuntime }

    /// Ids and names that need quoting, several boxes, none, and numbers that must come back exactly.
    static let awkward: [GalleryRecord] = [
        GalleryRecord(
            imageID: "001.A,b/x \"quoted\".jpg", trueClass: 0, trueName: "Black, footed", run: outcome(0.7)),
        GalleryRecord(
            imageID: " leading space.jpg", trueClass: 1, trueName: "Laysan",
            run: outcome(0.1 + 0.2, boxes: [])),
        GalleryRecord(
            imageID: "line\nbreak.jpg", trueClass: 2, trueName: "Ñandú 鳥",
            run: outcome(
                1.0 / 3, boxes: [PixelBox(0, 0, 223, 223), PixelBox(5, 6, 7, 8), PixelBox(9, 9, 9, 9)])),
        GalleryRecord(imageID: "b.jpg", trueClass: 3, trueName: "Ani", run: outcome(0.1 + 0.2)),
    ]

    static func expectedRow(_ r: GalleryRecord) -> BoxesCSV.Row {
        BoxesCSV.Row(
            imageID: r.imageID, trueClass: r.trueClass, trueName: r.trueName,
            runs: r.outcomes.map {
                .init(
                    predictedClass: $0.predictedClass, predictedName: $0.predictedName,
                    confidence: $0.confidence,
                    iou: $0.iou, correct: $0.iou >= 0.5, boxes: $0.boxes)
            })
    }

    @Test func roundTripKeepsEveryFieldInAscendingIoU() throws {
        let dir = try temporaryDirectory(prefix: "csv")
        try Gallery(title: "t", runNames: ["run"], records: Self.awkward).write(to: dir.path)
        let rows = try BoxesCSV.read(dir.appendingPathComponent("boxes.csv").path)
        let order = [" leading space.jpg", "b.jpg", "line\nbreak.jpg", "001.A,b/x \"quoted\".jpg"]
        #expect(rows.map(\.imageID) == order, "worst IoU first, ties by image id")
        #expect(rows == order.map { id in Self.expectedRow(Self.awkward.first { $0.imageID == id }!) })
    }

    /// Python's csv module reads the same fields: the quoting is standard CSV, not our own dialect.
    @Test func pythonsCSVReaderAgrees() throws {
        let dir = try temporaryDirectory(prefix: "csv-py")
        let records = Self.awkward.map { r -> GalleryRecord in
            var r = r; r.compare = outcome(0.5, predicted: 3); return r
        }
        try Gallery(title: "t", runNames: ["a", "b"], records: records).write(to: dir.path)
        let path = dir.appendingPathComponent("boxes.csv").path
        let out = try Reference.run("csv_rows.py", arguments: [path])
        let python = try JSONDecoder().decode(
            [[String]].self, from: Data(contentsOf: out.appendingPathComponent("rows.json")))
        let ours = try CSV.parse(String(contentsOfFile: path, encoding: .utf8), path: path)
        #expect(python == ours)
        #expect(python.first == BoxesCSV.header(compare: true))
        #expect(python.count == 5 && python[1].count == 15)
        #expect(
            python[3][3...8] == [
                "1", "class 1", "0.41666666666666663", "0.3333333333333333", "0",
                "0 0 223 223;5 6 7 8;9 9 9 9",
            ])
        #expect(try BoxesCSV.read(path).map { $0.runs.count } == [2, 2, 2, 2])
    }

    @Test func malformedFilesNameTheLine() throws {
        #expect { try CSV.parse("a,b\n\"c,d\n", path: "x.csv") } throws: {
            ($0 as? VisualizationError)?.message == "x.csv:3: a quoted field is never closed"
        }
        #expect { try CSV.parse("a,b\nc,d\"e\n", path: "x.csv") } throws: {
            ($0 as? VisualizationError)?.message.hasPrefix("x.csv:2:") == true
        }
        #expect(try CSV.parse("a,\"b\"\"c\"\r\n\r\n,\n", path: "x") == [["a", "b\"c"], ["", ""]])
        let dir = try temporaryDirectory(prefix: "csv-bad")
        let path = dir.appendingPathComponent("boxes.csv").path
        try (CSV.record(BoxesCSV.header(compare: false)) + "a.jpg,1,n,2,m,0.5,0.4,0,1 2 3\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect { try BoxesCSV.read(path) } throws: {
            ($0 as? VisualizationError)?.message.contains("\(path): record 2: box '1 2 3'") == true
        }
    }

    @Test func galleryRefusesInconsistentRecords() throws {
        let one = GalleryRecord(imageID: "a", trueClass: 0, trueName: "n", run: outcome(0.5))
        #expect(throws: VisualizationError.self) {
            try Gallery(title: "t", runNames: ["a", "b"], records: [one]).ordered()
        }
        var nan = one
        nan.run.iou = .nan
        #expect(throws: VisualizationError.self) {
            try Gallery(title: "t", runNames: ["a"], records: [nan]).ordered()
        }
    }
}
