import Foundation
import WSOL

/// Image ids as wsolevaluation and `wsol score-maps` name maps: each image's path relative to the
/// images root ('/' separated, extension kept), e.g. "001.Black_footed_Albatross/Black_..._0046_18.jpg".
public enum ImageIDs {
    /// The ids of `paths` under `root`. An image outside the root (a metadata line with "../") would name
    /// a file outside the export folder, and two equal ids would overwrite each other: both are refused
    /// in one line naming the image.
    public static func relative(_ paths: [String], root: String) throws -> [String] {
        let base = URL(fileURLWithPath: root).standardizedFileURL.pathComponents
        var seen = Set<String>()
        return try paths.map { path in
            let parts = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
            guard parts.count > base.count, Array(parts.prefix(base.count)) == base else {
                throw WSOLError("\(path): the image is not under the images folder \(root); "
                    + "its map would have no id (move it under the folder or fix the metadata)")
            }
            let id = parts.dropFirst(base.count).joined(separator: "/")
            guard seen.insert(id).inserted else {
                throw WSOLError("\(path): a second image with the id \(id); ids must be unique")
            }
            return id
        }
    }

    /// The longest file name most file systems take (NAME_MAX), in bytes.
    public static let fileNameLimit = 255

    /// The ids whose file name would pass `fileNameLimit` once export-maps adds ".npy" or ".png"
    /// (wsolevaluation names a map by its id plus ".npy", so the name cannot be shortened).
    public static func tooLongForFiles(_ ids: [String]) -> [String] {
        ids.filter { id in (id.split(separator: "/").last.map { $0.utf8.count } ?? 0) + 4 > fileNameLimit }
    }
}
