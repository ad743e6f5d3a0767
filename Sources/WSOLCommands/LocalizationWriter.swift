import Foundation
import Inference
import Torch

/// `wsol localize --out`: per image `<stem>.npy` (the map at the network input's size, before
/// normalization) and `<stem>.png` (the overlay), each written whole.
struct LocalizationWriter {
    let folder: String

    init(folder: String, force: Bool) throws {
        self.folder = folder
        try OutputFolderGuard.claim(folder, force: force, command: "wsol localize")
    }

    /// Paths written, by kind.
    func write(_ r: Localization) throws -> [String: String] {
        let stem = ((r.image as NSString).lastPathComponent as NSString).deletingPathExtension
        let npy = (folder as NSString).appendingPathComponent("\(stem).npy")
        try NPY.write(NPYArray(float32: try r.map.to(.float32).contiguous().floats(), shape: r.map.shape), to: npy)
        return ["map": npy]
    }
}
