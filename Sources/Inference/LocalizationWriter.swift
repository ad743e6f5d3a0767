import Foundation
import Evaluation
import OutputFiles
import Torch
import Visualization

/// `wsol localize --out`: per image `<stem>.npy` (the map at the network input's size, before
/// normalization) and `<stem>.png` (the overlay), each written whole. Names never collide within a
/// run (`a/x.jpg` and `b/x.png` give `x` and `x-2`) and stay within a file system's 255 bytes.
public final class LocalizationWriter {
    public let folder: String
    /// Stems given out in this run.
    private var used = Set<String>()
    /// Bytes kept of an image's stem: room for "-<n>" and ".npy" in 255.
    static let stemBytes = 200

    public init(folder: String, force: Bool) throws {
        self.folder = folder
        try OutputFolder.claim(folder, force: force, owner: "wsol localize")
        try OutputFolder.mark(folder, owner: "wsol localize")
    }

    /// Paths written, by kind.
    public func write(_ r: Localization) throws -> [String: String] {
        let stem = uniqueStem(for: r.image)
        let npy = (folder as NSString).appendingPathComponent("\(stem).npy")
        try NPY.write(NPYArray(float32: try r.map.to(.float32).contiguous().floats(), shape: r.map.shape),
                      to: npy)
        let png = (folder as NSString).appendingPathComponent("\(stem).png")
        try ImageFiles.write(try overlay(r), to: png)
        return ["map": npy, "overlay": png]
    }

    /// The image's file name without extension, cut to `stemBytes` at a character boundary, with
    /// "-2", "-3", ... when an earlier image of this run had the same one.
    func uniqueStem(for image: String) -> String {
        var stem = ""
        for character in ((image as NSString).lastPathComponent as NSString).deletingPathExtension {
            guard stem.utf8.count + String(character).utf8.count <= Self.stemBytes else { break }
            stem.append(character)
        }
        if stem.isEmpty { stem = "image" }
        var candidate = stem, n = 1
        while !used.insert(candidate).inserted {
            n += 1
            candidate = "\(stem)-\(n)"
        }
        return candidate
    }

    /// The normalized map as a JET heat map on what the network saw (the whole image for `full`, the
    /// centre crop for `crop`), every box red, the largest thicker.
    func overlay(_ r: Localization) throws -> Tensor {
        let image = try ImageIO.decode(r.image)
        let map = try Overlay.minMaxNormalized(r.map)
        let v = r.view
        let whole = v.crop.x == 0 && v.crop.y == 0 && v.crop.width == v.resize.width
            && v.crop.height == v.resize.height
        let base = whole ? image : try ImageIO.resize(image, height: v.resize.height, width: v.resize.width)
            .slice(dim: 0, start: v.crop.y, end: v.crop.y + v.crop.height)
            .slice(dim: 1, start: v.crop.x, end: v.crop.x + v.crop.width).contiguous()
        let scaleX = Double(base.shape[1]) / Double(v.crop.width),
            scaleY = Double(base.shape[0]) / Double(v.crop.height)
        let drawn = r.inputBoxes.enumerated().map { index, b in
            DrawnBox(PixelBox(Int(Double(b.x0) * scaleX), Int(Double(b.y0) * scaleY),
                              max(Int(Double(b.x1) * scaleX) - 1, 0), max(Int(Double(b.y1) * scaleY) - 1, 0)),
                     color: .predicted, thickness: index == 0 ? 3 : 1)
        }
        return try Overlay.draw(drawn.reversed(), on: Overlay.heatmap(map.to(.float32), on: base))
    }
}
