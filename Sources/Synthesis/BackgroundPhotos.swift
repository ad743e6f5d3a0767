import Datasets
import Foundation
import Torch

/// Background photos: every `.jpg`/`.jpeg` file under the given folders (Scratch's Media/Backgrounds,
/// Tux Paint's templates), in path order, except the drawn ones of `KnownDrawings.backgrounds`. JPEG
/// only: those packages' GIF and PNG backgrounds are drawings (and OpenCV 4.6 cannot read GIF).
public struct BackgroundPhotos {
    /// The smallest usable side: windows are cut from a photo and resized to the canvas.
    public static let minSide = 64
    /// At most this many photos are decoded and kept in memory.
    public static let maxCount = 2000
    /// Photos larger than this (in their header) are refused before decoding.
    public static let maxPixels = 40_000_000

    /// Paths as found (folder joined with the relative path) and the decoded RGB pixels.
    public let paths: [String]
    public let images: [Tensor]

    public static func load(folders: [String]) throws -> BackgroundPhotos {
        var paths: [String] = []
        for folder in folders {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue,
                  let walker = FileManager.default.enumerator(atPath: folder) else {
                throw DatasetError("\(folder): no such background folder (run `make photo-sources`)")
            }
            var found: [String] = []
            while let path = walker.nextObject() as? String {
                let photo = ["jpg", "jpeg"].contains((path as NSString).pathExtension.lowercased())
                if photo && !KnownDrawings.backgrounds.contains(path) { found.append(path) }
            }
            paths += found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                .map { (folder as NSString).appendingPathComponent($0) }
        }
        guard !paths.isEmpty else {
            throw DatasetError("no .jpg background photos under \(folders.joined(separator: ", "))")
        }
        guard paths.count <= maxCount else {
            throw DatasetError("\(paths.count) background photos found; at most \(maxCount) are supported")
        }
        var images: [Tensor] = []
        for path in paths {
            let image: Tensor
            if let size = ImageHeader.size(path), size.width * size.height > maxPixels {
                throw DatasetError("\(path): background is \(size.width)x\(size.height), "
                                   + "more than \(maxPixels) pixels")
            }
            do { image = try ImageIO.decode(path) } catch let error as TorchError {
                throw DatasetError(error.message)
            }
            let shape = image.shape
            guard shape[0] >= minSide, shape[1] >= minSide else {
                throw DatasetError("\(path): background is \(shape[1])x\(shape[0]); "
                                   + "at least \(minSide)x\(minSide) is needed")
            }
            images.append(image)
        }
        return BackgroundPhotos(paths: paths, images: images)
    }
}
