import CTensorBoard
import Foundation

/// Writes TensorBoard event files: scalars and PNG images, one new file per writer in `logDirectory`
/// named `events.out.tfevents.<unix seconds>.<host>.<pid>.<n>`, opened so that it never replaces an
/// existing file. The first record is the file-version event ("brain.Event:2"); every event carries
/// the wall time it was added. Records are buffered and written whole at `flush()`, `close()`, at the
/// first add once `flushInterval` seconds have passed since the last write, and when the buffer passes
/// `maxBufferedBytes`; a reader therefore never sees half an event unless the process dies mid-write
/// (TensorBoard ignores a truncated last record). Thread-safe: one lock orders all calls.
public final class SummaryWriter: @unchecked Sendable {
    /// Longest side of an image and largest encoded image accepted (TensorBoard shows far smaller ones).
    public static let maxImageSide = 16_384
    public static let maxEncodedImageBytes = 64 << 20
    public static let maxTagBytes = 1024
    public static let flushIntervalRange: ClosedRange<Double> = 0.001...86_400

    public let logDirectory: String
    /// The event file's full path.
    public let path: String
    public let flushInterval: Double
    public let maxBufferedBytes: Int

    private let lock = NSLock()
    private var file: EventFile?
    private var pending: [UInt8] = []
    private var lastWrite = Date()

    /// Creates `logDirectory` (and its parents) when missing, then a new event file in it holding the
    /// file-version event. Throws a one-line `TensorBoardError` naming the folder or file on failure.
    public init(logDirectory: String, flushInterval: Double = 120, maxBufferedBytes: Int = 1 << 20)
        throws {
        guard Self.flushIntervalRange.contains(flushInterval) else {
            throw TensorBoardError("TensorBoard flush interval \(flushInterval) s is outside "
                + "\(Self.flushIntervalRange.lowerBound)...\(Self.flushIntervalRange.upperBound) s")
        }
        self.logDirectory = logDirectory
        self.flushInterval = flushInterval
        self.maxBufferedBytes = max(0, maxBufferedBytes)
        let file = try EventFile.create(in: logDirectory)
        self.file = file
        self.path = file.path
        try append { tboard.fileVersionEvent(Self.now(), std.string("brain.Event:2")) }
        try flush()
    }

    deinit {
        // Best effort: a caller that wants to see write errors calls close() itself.
        try? close()
    }

    /// Records `value` (stored as float32, as the format does) under `tag` at `step`.
    public func addScalar(_ tag: String, _ value: Double, step: Int) throws {
        try checkTag(tag)
        try append { tboard.scalarEvent(Self.now(), Int64(step), std.string(tag), Float(value)) }
    }

    /// Records a PNG image under `tag` at `step`. `height`, `width` and `channels` (1 gray, 2 gray +
    /// alpha, 3 RGB, 4 RGBA) must be what the PNG's header says.
    public func addImage(_ tag: String, png: [UInt8], height: Int, width: Int, channels: Int, step: Int)
        throws {
        try checkTag(tag)
        try png.withUnsafeBufferPointer { bytes in
            try checkImage(tag, bytes, height: height, width: width, channels: channels)
            try append {
                tboard.imageEvent(Self.now(), Int64(step), std.string(tag), bytes.baseAddress,
                                  Int64(bytes.count), Int32(height), Int32(width), Int32(channels))
            }
        }
    }

    /// Writes every buffered record to the file.
    public func flush() throws {
        lock.lock()
        defer { lock.unlock() }
        try writePending()
    }

    /// Flushes and closes the file; later adds throw. Closing twice is harmless.
    public func close() throws {
        lock.lock()
        defer { lock.unlock() }
        guard let file else { return }
        try writePending()
        self.file = nil
        try file.finish()
    }

    private func checkTag(_ tag: String) throws {
        guard !tag.isEmpty, tag.utf8.count <= Self.maxTagBytes else {
            throw TensorBoardError("TensorBoard tag must have 1...\(Self.maxTagBytes) bytes, "
                + "got \(tag.utf8.count)")
        }
    }

    /// Sizes within bounds (checked before anything is allocated) and equal to what the PNG declares.
    private func checkImage(_ tag: String, _ png: UnsafeBufferPointer<UInt8>, height: Int, width: Int,
                            channels: Int) throws {
        let told = "\(height)x\(width)x\(channels)"
        let sides = 1...Self.maxImageSide
        guard sides.contains(height), sides.contains(width), (1...4).contains(channels) else {
            throw TensorBoardError("TensorBoard image '\(tag)': size \(told) is outside "
                + "1...\(Self.maxImageSide) per side and 1...4 channels")
        }
        guard (1...Self.maxEncodedImageBytes).contains(png.count) else {
            throw TensorBoardError("TensorBoard image '\(tag)': \(png.count) encoded bytes, expected "
                + "1...\(Self.maxEncodedImageBytes)")
        }
        guard let header = PNGHeader.read(png) else {
            throw TensorBoardError("TensorBoard image '\(tag)': the bytes are not a PNG")
        }
        guard header == (width, height, channels) else {
            throw TensorBoardError("TensorBoard image '\(tag)': told \(told) but the PNG is "
                + "\(header.height)x\(header.width)x\(header.channels)")
        }
    }

    private static func now() -> Double { Date().timeIntervalSince1970 }

    /// Frames the event `encode` serializes and buffers it; writes when the buffer is due.
    private func append(_ encode: () -> tboard.EventBytes) throws {
        lock.lock()
        defer { lock.unlock() }
        guard file != nil else { throw TensorBoardError("\(path): TensorBoard writer already closed") }
        let event = encode()
        if event.failed { throw TensorBoardError("\(path): \(String(event.error))") }
        // The vector's storage is read in place, so `event` must outlive the append.
        withExtendedLifetime(event) {
            let bytes = UnsafeBufferPointer(start: event.bytes.__dataUnsafe(), count: event.bytes.size())
            EventRecord.append(bytes, to: &pending)
        }
        if pending.count >= maxBufferedBytes || Date().timeIntervalSince(lastWrite) >= flushInterval {
            try writePending()
        }
    }

    /// Called with the lock held.
    private func writePending() throws {
        guard let file else {
            if pending.isEmpty { return }
            throw TensorBoardError("\(path): TensorBoard writer already closed")
        }
        if !pending.isEmpty {
            try file.appendRecords(pending)
            pending.removeAll(keepingCapacity: true)
        }
        lastWrite = Date()
    }
}
