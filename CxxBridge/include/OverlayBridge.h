// Drawing for inspection (exports, TensorBoard images): JET heat maps blended on images, boxes, labels,
// caption bands and panel rows, through OpenCV. Images are RGB uint8 [H, W, 3] tensors; every entry
// point returns a new image, names no OpenCV type, is noexcept and thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "TorchBridge.h"

namespace tb {

/// `map` ([h, w], any size and float dtype; NaN read as 0, values clamped to [0, 1]) resized bilinearly
/// to the image, quantized as uint8(round(v * 255)), coloured with OpenCV's COLORMAP_JET (turned from
/// BGR to RGB) and blended: (1 - alpha) * image + alpha * heat. alpha in [0, 1].
TensorResult heatmapOverlay(const TensorHandle& image, const TensorHandle& map, double alpha) noexcept;

/// Rectangle outlines, 8 values per box: x0, y0, x1, y1 (inclusive pixel corners), r, g, b (0-255),
/// thickness (1-64; OpenCV's: 1 is one pixel, 2 covers one pixel either side of the edge, 3 two).
/// Drawn without anti-aliasing, so outline pixels have exactly the box colour.
TensorResult drawBoxes(const TensorHandle& image, const std::vector<int64_t>& boxes) noexcept;

/// A short label in the top-left corner, white on a dark box (names the tiles of a panel).
TensorResult drawLabel(const TensorHandle& image, const std::string& text) noexcept;

/// The image with a white band below holding `text` (lines separated by '\n', at most 16), dark,
/// FONT_HERSHEY_SIMPLEX at `fontScale` (0.2-4), shrunk to fit the width down to 0.3 and then cut with
/// "..." at the end. Non-ASCII bytes print as '?'.
TensorResult captionBand(const TensorHandle& image, const std::string& text, double fontScale) noexcept;

/// The images side by side, top-aligned, `gap` (0-256) columns of gray level `background` between them
/// and below the shorter ones.
TensorResult hconcatImages(const TensorVector& images, int64_t gap, int64_t background) noexcept;

}  // namespace tb
