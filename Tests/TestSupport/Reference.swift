import Foundation
import Torch

/// Golden values from code nobody here wrote: Debian's PyTorch (/usr/bin/python3, torch 1.13), run on
/// scripts in Tests/reference that write their inputs and outputs as .npy files.
public enum Reference {
    public static let python = "/usr/bin/python3"

    /// The repository root (this file is Tests/TestSupport/Reference.swift).
    public static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs Tests/reference/<script> with an empty output folder as its first argument; returns it.
    /// `interpreter` defaults to Debian's Python; scripts needing pip packages pass a venv's.
    public static func run(_ script: String, arguments: [String] = [], interpreter: String = python)
        throws -> URL {
        let out = try temporaryDirectory(prefix: "ref-\(script)")
        let scriptPath = repoRoot.appendingPathComponent("Tests/reference/\(script)").path
        let result = try runProcess(interpreter, [scriptPath, out.path] + arguments)
        guard result.status == 0 else {
            throw TorchError("reference script \(script) failed (\(result.status)): \(result.output)")
        }
        return out
    }

    public static func load(_ dir: URL, _ name: String) throws -> NPYArray {
        try NPY.read(dir.appendingPathComponent("\(name).npy").path)
    }

    public static func tensor(_ dir: URL, _ name: String) throws -> Tensor {
        try load(dir, name).tensor()
    }
}

/// max|ours - ref| / max|ref|, the parity measure every reference test uses.
public func relativeError(_ ours: [Double], _ reference: [Double]) -> Double {
    precondition(ours.count == reference.count, "element counts differ: \(ours.count) vs \(reference.count)")
    var maxDiff = 0.0
    var maxRef = 0.0
    for (a, b) in zip(ours, reference) {
        maxDiff = max(maxDiff, abs(a - b))
        maxRef = max(maxRef, abs(b))
    }
    return maxRef == 0 ? maxDiff : maxDiff / maxRef
}

public func relativeError(_ ours: Tensor, _ reference: NPYArray) throws -> Double {
    guard ours.shape == reference.shape else {
        throw TorchError("shape \(ours.shape) differs from reference \(reference.shape)")
    }
    return relativeError(try ours.doubles(), reference.doubles())
}

/// A fresh folder under the system's temporary folder. Every one is removed when the test process
/// exits, whether its test passed, failed or threw, so a run leaves nothing behind on the shared disk.
public func temporaryDirectory(prefix: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("wsol-tests-\(prefix)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    TemporaryFolders.shared.add(url)
    return url
}

/// The folders `temporaryDirectory` made, removed at exit.
final class TemporaryFolders: @unchecked Sendable {
    static let shared = TemporaryFolders()
    private let lock = NSLock()
    private var urls: [URL] = []

    private init() { atexit { TemporaryFolders.shared.removeAll() } }

    func add(_ url: URL) { lock.withLock { urls.append(url) } }

    func removeAll() {
        let all = lock.withLock { defer { urls = [] }; return urls }
        for url in all { try? FileManager.default.removeItem(at: url) }
    }
}

/// Runs a program to completion; returns its exit status and combined output.
public func runProcess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// libtorch's thread count is process-wide and Debian's default is 1: every suite calls this first.
public let configureTestRuntime: Void = {
    try? TorchRuntime.setNumThreads(2)
}()

/// The parity bound for float32 results against float64 references: 1e-5 on Debian's libtorch 1.x,
/// 1e-4 on the 2.x lane (whose CPU kernels vectorize and reorder sums differently).
public var parityTolerance: Double { TorchRuntime.libtorchVersion.hasPrefix("1.") ? 1e-5 : 1e-4 }
