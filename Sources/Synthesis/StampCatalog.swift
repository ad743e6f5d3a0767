import Datasets
import Foundation
import Torch

/// The photographed cut-outs of a Tux Paint stamp tree (Debian's `tuxpaint-stamps-default`: category
/// folders such as `animals/birds`, each stamp a PNG with alpha beside optional `.txt`/`.dat` files).
/// Each accepted stamp is one class. Rules, in the order they are applied (the first that fails is the
/// reason reported; docs/PHOTO-DATA.md):
/// 1. a `.png` file (`.svg` stamps are vector drawings; other files are not stamps);
/// 2. no folder of its path is named `cartoon` (Tux Paint's drawn stamps);
/// 3. not `<name>_mirror.png` beside `<name>.png` (a hand-mirrored copy; flips are drawn at random);
/// 4. its `.dat` does not say `colorable` or `tintable` (templates the user colours);
/// 5. not in `KnownDrawings.paths` (drawings and renders of Debian's package, found by eye);
/// 6. at most `maxPixels` in its header, and it decodes with an alpha channel;
/// 7. at least `minVisibleArea` visible pixels (alpha >= 0.5) and `minVisibleSide` on the longer side;
/// 8. at least `minSolidShare` of the visible pixels fully opaque (not glass, smoke, fire);
/// 9. texture (Cutout.Measure) at least `minTexture` (flat colour fills are drawings);
/// 10. not byte-identical to a stamp accepted before it (path order).
public struct StampCatalog {
    public struct Stamp {
        /// Path relative to the stamp root, e.g. `animals/birds/owl.png`.
        public let relativePath: String
        /// The class name: the file name without `.png`, characters other than letters, digits, `-`
        /// and `_` replaced by `_`; stems that collide get their folder path prefixed (`a-b-stem`).
        public let className: String
        /// The RGBA pixels cropped to the visible bounds.
        public let pixels: Tensor
        /// False when the stamp's `.dat` says `nomirror` (e.g. it shows writing): never flipped.
        public let mirrorable: Bool
        public var category: String { (relativePath as NSString).deletingLastPathComponent }
    }

    public static let minVisibleArea = 600
    public static let minVisibleSide = 40
    public static let minSolidShare = 0.4
    public static let minTexture = 0.04
    /// Stamps are small; a larger header is refused before decoding.
    public static let maxPixels = 40_000_000

    public let root: String
    /// Accepted stamps in path order; the index is the class label.
    public let stamps: [Stamp]
    /// Every stamp file of the selected categories that was left out, with the rule it failed.
    public let rejected: [(relativePath: String, reason: String)]

    /// Scans the `categories` (folders relative to `root`, each with its subfolders, or single stamp
    /// files; `all` = everything) minus the `excluded` folders and files.
    public static func scan(root: String, categories: [String],
                            excluded: [String] = []) throws -> StampCatalog {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            throw DatasetError("\(root): no such stamp folder (run `make photo-sources`)")
        }
        let selected = try categories.map { try normalizedEntry($0, root: root, mustExist: true) }
        let skipped = try excluded.map { try normalizedEntry($0, root: root, mustExist: false) }
        let files = try stampFiles(root).filter { path in
            selected.contains { within(path, $0) } && !skipped.contains { within(path, $0) }
        }
        var kept: [(path: String, pixels: Tensor, bytes: Data, mirrorable: Bool)] = []
        var rejected: [(String, String)] = []
        for path in files {
            switch try examine(path, root: root, accepted: kept.map { ($0.path, $0.bytes) }) {
            case .accepted(let pixels, let bytes, let mirrorable):
                kept.append((path, pixels, bytes, mirrorable))
            case .rejected(let reason): rejected.append((path, reason))
            }
        }
        let names = classNames(kept.map(\.path))
        let stamps = zip(kept, names).map {
            Stamp(relativePath: $0.path, className: $1, pixels: $0.pixels, mirrorable: $0.mirrorable)
        }
        return StampCatalog(root: root, stamps: stamps, rejected: rejected)
    }

    /// A category folder or stamp relative to the root, without surrounding slashes; "" for `all`.
    static func normalizedEntry(_ entry: String, root: String, mustExist: Bool) throws -> String {
        let trimmed = entry.trimmingCharacters(in: CharacterSet(charactersIn: "/ "))
        if trimmed == "all" { return "" }
        guard !trimmed.isEmpty, !trimmed.split(separator: "/").contains("..") else {
            throw DatasetError("category '\(entry)' must be a folder or stamp under \(root) "
                               + "(e.g. animals/birds) or all")
        }
        let full = (root as NSString).appendingPathComponent(trimmed)
        if mustExist, !FileManager.default.fileExists(atPath: full) {
            throw DatasetError("category '\(entry)': no folder or stamp \(full) (list them with --list)")
        }
        return trimmed
    }

    static func within(_ path: String, _ entry: String) -> Bool {
        entry.isEmpty || path == entry || path.hasPrefix(entry + "/")
    }

    /// Every `.png` and `.svg` file under `root`, relative, in byte order of their paths.
    static func stampFiles(_ root: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw DatasetError("\(root): cannot list the stamp folder")
        }
        var files: [String] = []
        while let path = walker.nextObject() as? String {
            let ext = (path as NSString).pathExtension.lowercased()
            if ext == "png" || ext == "svg" { files.append(path) }
        }
        return files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    enum Verdict { case accepted(Tensor, Data, mirrorable: Bool), rejected(String) }

    /// Rules 1-5: what the package says about a stamp, before any pixel is decoded.
    static func declaredReason(_ path: String, root: String, datWords: [Substring]) -> String? {
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let folder = (path as NSString).deletingLastPathComponent
        if (path as NSString).pathExtension.lowercased() != "png" { return "vector drawing (SVG)" }
        if path.split(separator: "/").dropLast().contains("cartoon") { return "cartoon folder (drawn)" }
        if stem.hasSuffix("_mirror") {
            let original = (folder as NSString).appendingPathComponent(String(stem.dropLast(7)) + ".png")
            if FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent(original)) {
                return "mirrored copy of \(original)"
            }
        }
        if let word = datWords.first(where: { $0 == "colorable" || $0 == "tintable" }) {
            return "\(word) template"
        }
        if let listed = KnownDrawings.match(path) { return "drawing or render (KnownDrawings: \(listed))" }
        return nil
    }

    /// Every rule for one stamp; `accepted` are the stamps kept so far (for rule 10).
    static func examine(_ path: String, root: String,
                        accepted: [(path: String, bytes: Data)]) throws -> Verdict {
        let full = (root as NSString).appendingPathComponent(path)
        let dat = (full as NSString).deletingPathExtension + ".dat"
        let text = (try? String(contentsOfFile: dat, encoding: .utf8)) ?? ""
        let words = text.split(whereSeparator: \.isWhitespace)
        if let reason = declaredReason(path, root: root, datWords: words) { return .rejected(reason) }
        if let size = ImageHeader.size(full), size.width * size.height > maxPixels {
            return .rejected("too large (\(size.width)x\(size.height))")
        }
        let pixels: Tensor
        do { pixels = try Cutout.decode(full) } catch let error as TorchError {
            return .rejected(error.message.replacingOccurrences(of: full + ": ", with: ""))
        }
        let m = try Cutout.measure(pixels)
        guard let b = m.bounds, m.visibleArea >= minVisibleArea,
              max(b.width, b.height) >= Double(minVisibleSide) else {
            return .rejected("too small (\(m.visibleArea) visible pixels)")
        }
        let solidShare = Double(m.solidArea) / Double(m.visibleArea)
        if solidShare < minSolidShare {
            return .rejected(String(format: "mostly translucent (%.2f opaque)", solidShare))
        }
        if m.texture < minTexture {
            return .rejected(String(format: "flat colours (texture %.3f)", m.texture))
        }
        guard let bytes = FileManager.default.contents(atPath: full) else {
            return .rejected("cannot read the file")
        }
        if let twin = accepted.first(where: { $0.bytes == bytes }) {
            return .rejected("duplicate of \(twin.path)")
        }
        let cropped = try pixels.slice(dim: 0, start: Int(b.y0), end: Int(b.y1))
            .slice(dim: 1, start: Int(b.x0), end: Int(b.x1))
        return .accepted(try cropped.contiguous(), bytes, mirrorable: !words.contains("nomirror"))
    }

    /// One class name per path (see `Stamp.className`).
    static func classNames(_ paths: [String]) -> [String] {
        func clean(_ s: String) -> String {
            String(s.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
        }
        let stems = paths.map { path in
            clean(((path as NSString).lastPathComponent as NSString).deletingPathExtension)
        }
        var counts: [String: Int] = [:]
        for s in stems { counts[s, default: 0] += 1 }
        return zip(paths, stems).map { path, stem in
            guard counts[stem]! > 1 else { return stem }
            let folder = (path as NSString).deletingLastPathComponent
            return clean(folder.replacingOccurrences(of: "/", with: "-")) + "-" + stem
        }
    }
}
