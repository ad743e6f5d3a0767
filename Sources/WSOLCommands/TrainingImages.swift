import Torch
import Visualization

/// TensorBoard's validation images: the map as a JET heat map on the image at the network's input
/// size, encoded as PNG by the one overlay writer.
enum TrainingImages {
    static func render(_ imagePath: String, _ map: Tensor) throws -> (png: [UInt8], height: Int, width: Int) {
        let size = map.shape[0]
        let image = try ImageIO.resize(ImageIO.decode(imagePath), height: size, width: size)
        let overlay = try Overlay.heatmap(Overlay.minMaxNormalized(map).to(.float32), on: image)
        return (try ImageIO.encode(overlay, as: ".png"), size, size)
    }
}
