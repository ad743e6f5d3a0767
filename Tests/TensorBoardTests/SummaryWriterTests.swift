import CTensorBoard
import Foundation
import TestSupport
import Testing
@testable import TensorBoard

/// The writer's own contract, read back with the framing alone: file naming, buffering, refusals.
@Suite struct SummaryWriterTests {
    /// The data of each framed record of an event file, in order; expects every data CRC to match.
    static func records(_ path: String) throws -> [[UInt8]] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func littleEndian(_ at: Int, _ count: Int) -> Int {
            (0..<count).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
        }
        var records: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            let length = littleEndian(i, 8)
            let data = Array(bytes[i + 12..<i + 12 + length])
            #expect(littleEndian(i + 12 + length, 4) == Int(CRC32C.mask(CRC32C.checksum(data))))
            records.append(data)
            i += length + EventRecord.overhead
        }
        return records
    }

    @Test func newFileIsNamedAndStartsWithTheFileVersion() throws {
        let dir = try temporaryDirectory(prefix: "tb-name").appendingPathComponent("nested/run")
        let before = Int(Date().timeIntervalSince1970)
        let writer = try SummaryWriter(logDirectory: dir.path)
        let name = URL(fileURLWithPath: writer.path).lastPathComponent
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        #expect(name.hasPrefix("events.out.tfevents."))
        let seconds = Int(parts[3]) ?? -1
        #expect(seconds >= before && seconds <= Int(Date().timeIntervalSince1970))
        #expect(parts.last.flatMap { Int($0) } != nil)
        #expect(parts[parts.count - 2] == Substring(String(getpid())))
        // The file-version event is on disk before anything is added.
        let first = try Self.records(writer.path)
        #expect(first.count == 1)
        #expect(String(decoding: first[0], as: UTF8.self).contains("brain.Event:2"))
        try writer.close()
    }

    @Test func twoWritersInOneFolderGetTwoFiles() throws {
        let dir = try temporaryDirectory(prefix: "tb-two")
        let a = try SummaryWriter(logDirectory: dir.path)
        let b = try SummaryWriter(logDirectory: dir.path)
        #expect(a.path != b.path)
        try a.close()
        try b.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 2)
    }

    @Test func eventsWaitInTheBufferUntilFlush() throws {
        let writer = try SummaryWriter(logDirectory: try temporaryDirectory(prefix: "tb-buffer").path)
        try writer.addScalar("loss", 0.5, step: 1)
        try writer.addScalar("loss", 0.25, step: 2)
        #expect(try Self.records(writer.path).count == 1)
        try writer.flush()
        #expect(try Self.records(writer.path).count == 3)
        try writer.addScalar("loss", 0.125, step: 3)
        try writer.close()
        #expect(try Self.records(writer.path).count == 4)
    }

    @Test func fullBufferAndElapsedIntervalWrite() throws {
        let unbuffered = try SummaryWriter(logDirectory: try temporaryDirectory(prefix: "tb-full").path,
                                           maxBufferedBytes: 0)
        try unbuffered.addScalar("x", 1, step: 0)
        #expect(try Self.records(unbuffered.path).count == 2)
        let timed = try SummaryWriter(logDirectory: try temporaryDirectory(prefix: "tb-timed").path,
                                      flushInterval: 0.05)
        Thread.sleep(forTimeInterval: 0.1)
        try timed.addScalar("x", 1, step: 0)
        #expect(try Self.records(timed.path).count == 2)
        try unbuffered.close()
        try timed.close()
    }

    @Test func closedWriterRefusesAndClosingTwiceIsHarmless() throws {
        let writer = try SummaryWriter(logDirectory: try temporaryDirectory(prefix: "tb-closed").path)
        try writer.close()
        try writer.close()
        #expect(throws: TensorBoardError.self) { try writer.addScalar("x", 1, step: 0) }
    }

    @Test func badArgumentsAreOneLineErrors() throws {
        let dir = try temporaryDirectory(prefix: "tb-bad")
        #expect(throws: TensorBoardError.self) { try SummaryWriter(logDirectory: dir.path, flushInterval: 0) }
        let writer = try SummaryWriter(logDirectory: dir.path)
        let png = try pngBytes(height: 2, width: 3)
        #expect(throws: TensorBoardError.self) { try writer.addScalar("", 1, step: 0) }
        #expect(throws: TensorBoardError.self) {
            try writer.addScalar(String(repeating: "t", count: SummaryWriter.maxTagBytes + 1), 1, step: 0)
        }
        let wrongSize = #expect(throws: TensorBoardError.self) {
            try writer.addImage("map", png: png, height: 3, width: 2, channels: 3, step: 0)
        }
        #expect(wrongSize?.message.contains("the PNG is 2x3x3") == true)
        #expect(throws: TensorBoardError.self) {
            try writer.addImage("map", png: png, height: 2, width: 3, channels: 4, step: 0)
        }
        #expect(throws: TensorBoardError.self) {
            try writer.addImage("map", png: Array(png.dropFirst()), height: 2, width: 3, channels: 3, step: 0)
        }
        #expect(throws: TensorBoardError.self) {
            try writer.addImage("map", png: png, height: 0, width: 3, channels: 3, step: 0)
        }
        #expect(throws: TensorBoardError.self) {
            let tooTall = SummaryWriter.maxImageSide + 1
            try writer.addImage("map", png: png, height: tooTall, width: 3, channels: 3, step: 0)
        }
        try writer.close()
        // Nothing refused reached the file.
        #expect(try Self.records(writer.path).count == 1)
    }

    @Test func unwritableFolderIsNamed() throws {
        let file = try temporaryDirectory(prefix: "tb-file").appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        let error = #expect(throws: TensorBoardError.self) { try SummaryWriter(logDirectory: file.path) }
        let expected = "\(file.path): exists and is not a folder; choose another TensorBoard log folder"
        #expect(error?.message == expected)
        let below = file.appendingPathComponent("run").path
        let parentError = #expect(throws: TensorBoardError.self) { try SummaryWriter(logDirectory: below) }
        #expect(parentError?.message == "\(below): cannot create the TensorBoard log folder; "
            + "choose a writable one")
    }

    @Test func concurrentAddsAllArriveWhole() throws {
        let writer = try SummaryWriter(logDirectory: try temporaryDirectory(prefix: "tb-threads").path,
                                       maxBufferedBytes: 256)
        let failures = Counted()
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for step in 0..<50 {
                do {
                    try writer.addScalar("thread\(thread)", Double(step), step: step)
                } catch {
                    failures.add()
                }
            }
        }
        try writer.close()
        #expect(failures.value == 0)
        // records() checks each record's CRC: an interleaved write would break the framing.
        #expect(try Self.records(writer.path).count == 1 + 4 * 50)
    }

    @Test func serializerReportsErrorsAsValues() {
        let missing = tboard.imageEvent(1, 0, std.string("map"), nil, 0, 1, 1, 3)
        #expect(missing.failed)
        #expect(String(missing.error) == "image has no encoded bytes")
        let scalar = tboard.scalarEvent(1, 0, std.string("x"), 0.5)
        #expect(!scalar.failed && scalar.bytes.size() > 0)
    }
}

/// A count several threads add to.
private final class Counted: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}
