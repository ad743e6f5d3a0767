import Datasets
import Foundation

/// Licences and credits of the Debian packages a photo dataset is made from, copied into it. A source
/// folder `<A>/usr/share/<name>/...` (as `dpkg -x` or an installed system lays it out) belongs to the
/// packages `<A>/usr/share/doc/<name>*`; their `copyright`, upstream `changelog.gz` (where Tux Paint
/// credits each photographer), `AUTHORS*`, `ACKNOWLEDGEMENTS`, `NOTICE` and `CREDITS*` files are copied
/// to `credits/<package>/`.
enum SourceCredits {
    static let creditPrefixes = ["copyright", "changelog.gz", "AUTHORS", "ACKNOWLEDGEMENTS", "NOTICE",
                                 "CREDITS"]

    /// The package documentation folders of a source folder; an error when none has a `copyright`.
    static func packageDocs(of source: String) throws -> [String] {
        let parts = URL(fileURLWithPath: source).standardizedFileURL.pathComponents
        let usrShare = parts.indices.dropLast(2).last { parts[$0] == "usr" && parts[$0 + 1] == "share" }
        guard let share = usrShare else {
            throw DatasetError("\(source): not inside a usr/share tree, so its licence cannot be found "
                               + "(use `make photo-sources`)")
        }
        let docs = NSString.path(withComponents: Array(parts[..<share]) + ["usr", "share", "doc"])
        let name = parts[share + 2]
        let packages = ((try? FileManager.default.contentsOfDirectory(atPath: docs)) ?? [])
            .filter { $0.hasPrefix(name) }.sorted()
            .map { (docs as NSString).appendingPathComponent($0) }
            .filter { doc in
                FileManager.default.fileExists(atPath: (doc as NSString).appendingPathComponent("copyright"))
            }
        guard !packages.isEmpty else {
            throw DatasetError("\(source): no licence found (expected \(docs)/\(name)*/copyright, "
                               + "as `make photo-sources` extracts)")
        }
        return packages
    }

    /// Copies the credit files of every package behind `sources` to `<out>/credits/<package>/`;
    /// returns the package names.
    @discardableResult
    static func copy(sources: [String], to out: String) throws -> [String] {
        var seen: [String] = []
        for docs in try sources.flatMap(packageDocs) where !seen.contains(docs) {
            seen.append(docs)
            let package = (docs as NSString).lastPathComponent
            let files = try FileManager.default.contentsOfDirectory(atPath: docs).sorted()
                .filter { file in creditPrefixes.contains { file.hasPrefix($0) } }
            let target = (out as NSString).appendingPathComponent("credits/\(package)")
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            for file in files {
                let from = (docs as NSString).appendingPathComponent(file)
                guard let data = FileManager.default.contents(atPath: from) else {
                    throw DatasetError("\(from): cannot read")
                }
                let to = URL(fileURLWithPath: (target as NSString).appendingPathComponent(file))
                try data.write(to: to, options: .atomic)
            }
        }
        return seen.map { ($0 as NSString).lastPathComponent }
    }
}
