import Foundation
import Testing
import TestSupport
import Torch
@testable import Visualization

/// index.html as a browser sees it: Debian's headless Chromium loads it from disk and dumps the DOM.
@Suite("Gallery page in Chromium", .serialized)
struct GalleryPageTests {
    init() { configureTestRuntime }

    /// Every file the rendered page names exists, and its rows are boxes.csv's, in ascending IoU.
    func checkAgainstCSV(_ dir: URL, rows expectedRows: Int) throws -> DumpedGallery {
        let dom = DumpedGallery(try Chromium.dumpDOM(dir.appendingPathComponent("index.html")))
        let csv = try BoxesCSV.read(dir.appendingPathComponent("boxes.csv").path)
        #expect(dom.rows.count == expectedRows)
        #expect(dom.rows.map(\.id) == csv.prefix(expectedRows).map(\.imageID))
        #expect(dom.rows.map(\.iou) == csv.prefix(expectedRows).map { $0.runs[0].iou })
        #expect(zip(dom.rows, dom.rows.dropFirst()).allSatisfy { $0.iou <= $1.iou }, "ascending IoU")
        return dom
    }

    @Test func oneRunGalleryNamesOnlyExistingFilesInAscendingIoU() throws {
        let dir = try temporaryDirectory(prefix: "gallery")
        defer { try? FileManager.default.removeItem(at: dir) }
        let records = try SyntheticGallery.records(count: 40, folder: dir)
        try Gallery(
            title: "export-maps: wsol synth", runNames: ["runs/sfpnsc-vgg16-cub"], records: records
        )
        .write(to: dir.path)
        let dom = try checkAgainstCSV(dir, rows: 40)
        #expect(dom.files.count == 80, "a thumbnail and its panel link per row")
        for file in dom.files {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(file)")
        }
        #expect(Set(dom.files) == Set(records.flatMap { [$0.run.panel, $0.run.thumbnail] }))
        #expect(
            Set(records.map { $0.run.correct }) == [true, false], "the synthetic set has hits and misses")
    }

    @Test func comparisonShowsBothRunsPerRow() throws {
        let dir = try temporaryDirectory(prefix: "gallery-compare")
        defer { try? FileManager.default.removeItem(at: dir) }
        let records = try SyntheticGallery.records(count: 12, folder: dir, runs: ["cam", "sfpnsc"])
        try Gallery(title: "compare", runNames: ["cam", "sfpnsc"], records: records).write(to: dir.path)
        let dom = try checkAgainstCSV(dir, rows: 12)
        #expect(dom.files.count == 48)
        for file in dom.files {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(file)")
        }
        #expect(dom.markup.contains("IoU B - A"))
        if ProcessInfo.processInfo.environment["WSOL_UPDATE_DOCS"] == "1" {
            let docs = Reference.repoRoot.appendingPathComponent("docs/gallery-compare.png")
            try? FileManager.default.removeItem(at: docs)
            try Chromium.screenshot(dir.appendingPathComponent("index.html"), fragment: "sort=diff&dir=-1",
                                    to: docs, width: 1280, height: 700)
        }
    }

    /// Sorting and filtering, driven through the address (#sort=...), as a reader's clicks set it.
    @Test func addressSortsAndFiltersTheRows() throws {
        let dir = try temporaryDirectory(prefix: "gallery-views")
        defer { try? FileManager.default.removeItem(at: dir) }
        let records = try SyntheticGallery.records(count: 20, folder: dir, runs: ["cam", "sfpnsc"], seed: 3)
        try Gallery(title: "views", runNames: ["cam", "sfpnsc"], records: records).write(to: dir.path)
        let page = dir.appendingPathComponent("index.html")
        let csv = Dictionary(
            uniqueKeysWithValues: try BoxesCSV.read(dir.appendingPathComponent("boxes.csv").path)
                .map { ($0.imageID, $0) })
        func rows(_ fragment: String) throws -> [BoxesCSV.Row] {
            try DumpedGallery(Chromium.dumpDOM(page, fragment: fragment)).rows.map { csv[$0.id]! }
        }
        let byGain = try rows("sort=diff&dir=-1").map { $0.runs[1].iou - $0.runs[0].iou }
        #expect(byGain.count == 20 && byGain == byGain.sorted(by: >), "IoU B - A, largest first")
        let confidence = try rows("sort=conf2").map { $0.runs[1].confidence }
        #expect(confidence.count == 20 && confidence == confidence.sorted())
        let wrong = try rows("show=bad")
        #expect(wrong.count == csv.values.filter { $0.runs[0].iou < 0.5 }.count && !wrong.isEmpty)
        #expect(wrong.allSatisfy { $0.runs[0].iou < 0.5 })
        let gained = try rows("show=gain")
        #expect(gained.allSatisfy { $0.runs[0].iou < 0.5 && $0.runs[1].iou >= 0.5 } && !gained.isEmpty)
        let someClass = records[0].trueClass
        let inClass = try rows("cls=\(someClass)&sort=iou2")
        #expect(inClass.count == records.filter { $0.trueClass == someClass }.count)
        #expect(inClass.allSatisfy { $0.trueClass == someClass })
        #expect(inClass.map { $0.runs[1].iou } == inClass.map { $0.runs[1].iou }.sorted())
    }

    /// At CUB's test-set size only the first chunk of rows exists in the DOM (the rest arrive on
    /// scroll), the data for all of them travels in the page, and ids that need escaping survive.
    @Test func largeGalleryRendersTheFirstChunkOnly() throws {
        let dir = try temporaryDirectory(prefix: "gallery-large")
        defer { try? FileManager.default.removeItem(at: dir) }
        let records = (0..<5794).map { i in
            GalleryRecord(
                imageID: "\(i % 200).c/img <\(i)> & \"x\".jpg", trueClass: i % 200, trueName: "c\(i % 200)",
                run: outcome(
                    Double((i * 7919) % 5794) / 5794, predicted: i % 3,
                    panel: "panels/\(i)#.png", thumbnail: "thumbs/\(i)?.jpg"))
        }
        try Gallery(title: "</script><b>x</b>", runNames: ["r"], records: records).write(to: dir.path)
        let dom = try checkAgainstCSV(dir, rows: 100)
        #expect(dom.files.contains("thumbs/0?.jpg"), "paths are URL-encoded in the page and decode back")
        let page = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(page.components(separatedBy: "</script>").count == 3, "the data block cannot end the script")
    }

    /// A screenshot of a 40-image gallery; WSOL_UPDATE_DOCS=1 copies it to docs/gallery.png (and a panel
    /// to docs/panel.png).
    @Test func screenshotShowsTheGallery() throws {
        let dir = try temporaryDirectory(prefix: "gallery-shot")
        defer { try? FileManager.default.removeItem(at: dir) }
        let records = try SyntheticGallery.records(count: 40, folder: dir)
        try Gallery(
            title: "export-maps: wsol synth, test split", runNames: ["runs/sfpnsc-vgg16-cub"],
            records: records
        ).write(to: dir.path)
        let png = dir.appendingPathComponent("gallery.png")
        try Chromium.screenshot(dir.appendingPathComponent("index.html"), to: png, width: 1280, height: 900)
        let shot = try ImageIO.decode(png.path)
        #expect(shot.shape == [900, 1280, 3])
        // Thumbnails in view load: the same page without their files differs over their whole area.
        let bare = dir.appendingPathComponent("bare.png")
        try FileManager.default.moveItem(
            at: dir.appendingPathComponent("thumbs"), to: dir.appendingPathComponent("gone"))
        try Chromium.screenshot(dir.appendingPathComponent("index.html"), to: bare, width: 1280, height: 900)
        let (a, b) = (try shot.bytes(), try ImageIO.decode(bare.path).bytes())
        var differing = 0
        for i in stride(from: 0, to: min(a.count, b.count), by: 3)
        where abs(Int(a[i]) - Int(b[i])) + abs(Int(a[i + 1]) - Int(b[i + 1]))
            + abs(Int(a[i + 2]) - Int(b[i + 2])) > 60
        {
            differing += 1
        }
        #expect(differing > 60_000, "pixels that change when the thumbnails are missing: \(differing)")
        if ProcessInfo.processInfo.environment["WSOL_UPDATE_DOCS"] == "1" {
            // The page, and one panel whose map found a part of the object only.
            let panel = records.first { (0.1..<0.5).contains($0.run.iou) } ?? records[0]
            for (from, name) in [(png, "gallery.png"), (dir.appendingPathComponent(panel.run.panel), "panel.png")] {
                let docs = Reference.repoRoot.appendingPathComponent("docs/\(name)")
                try? FileManager.default.removeItem(at: docs)
                try FileManager.default.copyItem(at: from, to: docs)
            }
        }
    }
}
