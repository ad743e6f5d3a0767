// JPEG decoding straight to RGB with libjpeg(-turbo), the library OpenCV decodes JPEG with: OpenCV 4.6
// asks libjpeg for RGB and swaps every row to BGR in a scalar loop, which the loader then swaps back
// (a quarter of its time on 500x375 photographs, measured with perf).
#pragma once

#include <ATen/ATen.h>

#include <string>
#include <vector>

namespace tb {

/// The JPEG in `bytes` as uint8 RGB [H, W, 3], decoded at 1/`reduce` of its size (1, 2, 4, 8: libjpeg's
/// scaled decoding), with OpenCV's settings, so the pixels are cv::imdecode's (IMREAD_COLOR, channels
/// in RGB order). Returns an undefined tensor for what OpenCV converts itself (not a JPEG, or CMYK /
/// YCCK); throws naming `path` when libjpeg fails.
at::Tensor decodeJpegRGB(const std::vector<unsigned char>& bytes, int reduce, const std::string& path);

}  // namespace tb
