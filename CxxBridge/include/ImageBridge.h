// The image pipeline's bridge: geometry (resize, crop, flip) and normalization applied by OpenCV to a
// decoded image, written straight into a caller-owned buffer (one slot of a batch). Names no OpenCV
// or libtorch type; every entry point is noexcept and thread-safe (distinct output slots).
#pragma once

#include <cstdint>
#include <vector>

#include "TorchBridge.h"

namespace tb {

/// Resizes a uint8 [H, W, 3] RGB image to resizeHeight x resizeWidth (ResizeMode::automatic: area
/// along a shrinking side, bilinear along a growing one), then for each crop (x, y, width, height,
/// flip: 5 values per crop in `crops`) writes (pixel / 255 - mean[c]) / std[c] as float CHW into `out`,
/// crop after crop. Where both sides shrink, only the crops' window of the resize is computed, with
/// OpenCV's pixels (area_window.h). Every crop must have the same size and lie inside the resized
/// image; `outCount` must be crops * 3 * height * width.
Status normalizedCrops(const TensorHandle& image, int64_t resizeHeight, int64_t resizeWidth,
                       const std::vector<int64_t>& crops, const float* mean, const float* stddev, float* out,
                       int64_t outCount) noexcept;

/// The same geometry for a mask: the first channel of a uint8 [H, W] or [H, W, C] image, resized with
/// nearest neighbour (mask values are labels, not intensities), written as uint8 HW per crop.
Status maskCrops(const TensorHandle& mask, int64_t resizeHeight, int64_t resizeWidth,
                 const std::vector<int64_t>& crops, uint8_t* out, int64_t outCount) noexcept;

}  // namespace tb
