import Foundation

/// Debian's headless Chromium (`make setup` installs it), run on a page from disk (the gallery and
/// export-maps tests).
public enum Chromium {
    public static let path = "/usr/bin/chromium"

    /// The DOM after the page's scripts ran (`--dump-dom`); `fragment` is the address's #part.
    public static func dumpDOM(_ page: URL, fragment: String = "") throws -> String {
        try run(["--dump-dom", page.absoluteString + (fragment.isEmpty ? "" : "#" + fragment)])
    }

    /// A PNG of the top of the page at `width` x `height`, after its lazy images had time to load.
    public static func screenshot(_ page: URL, fragment: String = "", to png: URL, width: Int, height: Int) throws {
        _ = try run([
            "--screenshot=\(png.path)", "--window-size=\(width),\(height)", "--hide-scrollbars",
            "--virtual-time-budget=5000", page.absoluteString + (fragment.isEmpty ? "" : "#" + fragment),
        ])
    }

    /// Runs Chromium with a throwaway profile; returns standard output (its log goes to standard error).
    private static func run(_ arguments: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestFailure("\(path) is missing: run `make setup` (installs Debian's chromium)")
        }
        let profile = try temporaryDirectory(prefix: "chromium-profile")
        defer { try? FileManager.default.removeItem(at: profile) }
        var flags = ["--headless", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path)"]
        if getuid() == 0 { flags.append("--no-sandbox") }  // Chromium refuses to run as root otherwise
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = flags + arguments
        let out = Pipe()
        let log = profile.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let errors = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw TestFailure("chromium exited \(process.terminationStatus): \(errors.suffix(2000))")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What a dumped DOM says: the gallery rows in order, and every file an attribute names.
public struct DumpedGallery {
    public var rows: [(id: String, iou: Double)] = []
    public var files: [String] = []
    /// The markup without scripts.
    public var markup = ""

    public init(_ dumped: String) {
        // The page's own script text holds attribute templates; only the markup counts.
        let dom = dumped.replacing(#/<script[^>]*>[\s\S]*?<\/script>/#, with: "")
        markup = dom
        for m in dom.matches(of: #/<tr data-id="([^"]*)" data-iou="([^"]*)"/#) {
            rows.append((DumpedGallery.unescape(String(m.1)), Double(String(m.2)) ?? .nan))
        }
        for m in dom.matches(of: #/\s(?:src|href)="([^"]*)"/#) {
            let value = DumpedGallery.unescape(String(m.1))
            files.append(value.removingPercentEncoding ?? value)
        }
    }

    public static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&nbsp;", with: "\u{a0}").replacingOccurrences(of: "&amp;", with: "&")
    }
}
