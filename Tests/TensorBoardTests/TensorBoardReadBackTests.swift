import Foundation
import TestSupport
import Testing
@testable import TensorBoard

/// What the `tensorboard` pip package (in .venv-tb, `make tb-env`) reads from our event files:
/// Tests/reference/read_tensorboard.py with TensorBoard's own record reader and EventAccumulator.
enum TensorBoardPython {
    static let interpreter = Reference.repoRoot.appendingPathComponent(".venv-tb/bin/python3").path
    static var available: Bool { FileManager.default.isExecutableFile(atPath: interpreter) }

    struct Report: Decodable {
        struct File: Decodable {
            struct Event: Decodable {
                let wall_time: Double
                let step: Int
                let file_version: String?
                let tags: [String]?
            }
            let records: Int
            let error: String?
            let events: [Event]
        }
        struct Scalar: Decodable { let step: Int; let value: Double }
        struct Image: Decodable {
            let step: Int, height: Int, width: Int, decoded_height: Int, decoded_width: Int
            let mode: String, pixels: [UInt8]
        }
        let files: [String: File]
        let scalars: [String: [Scalar]]
        let images: [String: [Image]]
    }

    static func read(_ logDirectory: URL) throws -> Report {
        let out = try Reference.run("read_tensorboard.py", arguments: [logDirectory.path],
                                    interpreter: interpreter)
        let json = try Data(contentsOf: out.appendingPathComponent("events.json"))
        return try JSONDecoder().decode(Report.self, from: json)
    }
}

@Suite(.enabled(if: TensorBoardPython.available,
                "no .venv-tb with the tensorboard package: run `make tb-env` (make test does)"))
struct TensorBoardReadBackTests {
    static let scalars: [String: [(step: Int, value: Double)]] = [
        "loss/train": [(0, 2.302585), (1, 1.75), (2, 0.9), (5, 0.0)],
        "loss/val": [(1, 1.9), (3, -0.5)],
        "accuracy/top1": [(0, 0.001), (10, 0.75), (20, 123456.789)],
    ]

    @Test func tensorboardReadsEveryScalarAndTheImage() throws {
        let dir = try temporaryDirectory(prefix: "tb-readback")
        let start = Date().timeIntervalSince1970
        let writer = try SummaryWriter(logDirectory: dir.path)
        for (tag, points) in Self.scalars.sorted(by: { $0.key < $1.key }) {
            for point in points { try writer.addScalar(tag, point.value, step: point.step) }
        }
        let (height, width) = (6, 8)
        try writer.addImage("maps/val0", png: try pngBytes(height: height, width: width), height: height,
                            width: width, channels: 3, step: 4)
        try writer.close()
        let end = Date().timeIntervalSince1970

        let report = try TensorBoardPython.read(dir)
        let file = try #require(report.files[URL(fileURLWithPath: writer.path).lastPathComponent])
        #expect(report.files.count == 1)
        #expect(file.error == nil)
        let eventCount = 1 + Self.scalars.values.map(\.count).reduce(0, +) + 1
        #expect(file.records == eventCount && file.events.count == eventCount)
        #expect(file.events.first?.file_version == "brain.Event:2")
        for event in file.events { #expect(event.wall_time >= start - 1 && event.wall_time <= end + 1) }

        #expect(Set(report.scalars.keys) == Set(Self.scalars.keys))
        for (tag, points) in Self.scalars {
            let read = report.scalars[tag] ?? []
            #expect(read.map(\.step) == points.map(\.step), "\(tag)")
            // The format stores float32: compare exactly after the same rounding.
            #expect(read.map { Float($0.value) } == points.map { Float($0.value) }, "\(tag)")
        }

        let image = try #require(report.images["maps/val0"]?.first)
        #expect(report.images["maps/val0"]?.count == 1)
        #expect(image.step == 4)
        #expect(image.height == height && image.width == width)
        #expect(image.decoded_height == height && image.decoded_width == width && image.mode == "RGB")
        #expect(image.pixels == testImagePixels(height: height, width: width))
    }

    @Test func aFlippedByteFailsTheCrcAndTensorBoardDropsTheRest() throws {
        let dir = try temporaryDirectory(prefix: "tb-corrupt")
        let writer = try SummaryWriter(logDirectory: dir.path)
        for step in 0..<3 { try writer.addScalar("loss", Double(step) + 0.5, step: step) }
        try writer.close()

        // Flip one byte inside the data of the second scalar's record (record 2 of 0...3).
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: writer.path)))
        let records = try SummaryWriterTests.records(writer.path)
        let before = records[0..<2].map { $0.count + EventRecord.overhead }.reduce(0, +)
        let offset = before + 12 + records[2].count / 2
        bytes[offset] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: writer.path))

        let report = try TensorBoardPython.read(dir)
        let file = try #require(report.files.values.first)
        #expect(file.records == 2)
        #expect(file.error?.contains("crc32") == true)
        #expect(report.scalars["loss"]?.map(\.step) == [0])
    }
}
