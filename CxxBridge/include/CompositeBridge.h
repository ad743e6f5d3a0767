// Photo composites for `wsol make-dataset`: cut-outs (images with alpha) decoded, measured and pasted
// on background photos by OpenCV. Names no OpenCV or libtorch type; every entry point is noexcept,
// thread-safe, and returns errors as values.
#pragma once

#include <cstdint>
#include <string>

#include "TorchBridge.h"

namespace tb {

/// Decodes an image file keeping its alpha channel: uint8 [H, W, 4] RGBA (16-bit files scaled to 8
/// bits). A file without an alpha channel is an error naming it.
TensorResult decodeRGBA(const std::string& path) noexcept;

/// What the photo filter measures on a cut-out (uint8 [H, W, 4] RGBA). "Visible" means alpha >= 128.
struct CutoutStats {
  double visibleArea = 0;  ///< pixels with alpha >= 128
  double solidArea = 0;    ///< pixels with alpha == 255
  /// Bounds of the visible pixels, [x0, x1) x [y0, y1); all 0 when nothing is visible.
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  /// Of the solid pixels whose 3x3 neighbourhood is solid, the fraction where the 4-neighbour
  /// Laplacian of the gray image is at least 8 in magnitude: photos have grain, flat fills have none.
  double texture = 0;
  bool failed = false;
  std::string error;
};
CutoutStats measureCutout(const TensorHandle& rgba) noexcept;

/// Where and how one cut-out is pasted. Plain fields so Swift can fill them one by one.
struct CompositeParams {
  /// The window of the background photo (its pixels) resized to the canvas, then mirrored if set.
  int64_t backgroundX, backgroundY, backgroundWidth, backgroundHeight;
  bool backgroundFlip;
  /// The cut-out resized to stampWidth x stampHeight, mirrored if set, its top-left corner at
  /// (stampX, stampY) on the canvas (it may overhang the canvas edges).
  int64_t stampX, stampY, stampWidth, stampHeight;
  bool stampFlip;
  /// Feathered edge: alpha becomes min(alpha, Gaussian(alpha, sigma)) after resizing (0: none).
  double featherSigma;
  /// Colour jitter of the cut-out, 1 = unchanged: brightness scales colours, contrast scales their
  /// distance to the cut-out's mean gray, saturation their distance to each pixel's gray.
  double brightness, contrast, saturation;
};

/// Pastes `stamp` (uint8 [h, w, 4] RGBA, straight alpha) on a window of `background` (uint8
/// [H', W', 3] RGB) resized to canvasHeight x canvasWidth. Colours are resized premultiplied (no dark
/// fringe), blended as colour * alpha + background * (1 - alpha). Returns uint8 [canvasHeight,
/// canvasWidth, 4]: the RGB composite and, as channel 3, the mask (255 where the placed alpha > 0.5).
TensorResult compositeCutout(const TensorHandle& background, const TensorHandle& stamp, int64_t canvasWidth,
                             int64_t canvasHeight, const CompositeParams& params) noexcept;

}  // namespace tb
