import Torch

/// n(x): a map [B, 1, h, w] resized bilinearly (align_corners false) to `size`, then min-max
/// normalized per image, (x - min) / (max - min + 1e-5). The mask seed's target and the fused test
/// map's parts are compared on this one scale.
func normalizedMap(_ map: Tensor, size: [Int]) throws -> Tensor {
    let resized = Array(map.shape.suffix(2)) == size ? map
        : try map.interpolate(size: size, mode: .bilinear, alignCorners: false)
    let flat = try resized.flatten(startDim: 1)
    let low = try flat.min(dim: 1, keepDim: true).values.view([-1, 1, 1, 1])
    let high = try flat.max(dim: 1, keepDim: true).values.view([-1, 1, 1, 1])
    return try (resized - low) / (high - low + 1e-5)
}
