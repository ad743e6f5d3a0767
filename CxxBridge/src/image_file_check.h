// Whole-file checks before OpenCV decodes an image: OpenCV accepts a truncated JPEG (libjpeg only
// prints "Premature end of JPEG file", naming no file) and would allocate whatever a header declares.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tb {

/// Largest image decoded: 8192 x 8192 pixels (a decode holds about 3 bytes per pixel, three times).
constexpr int64_t kMaxImagePixels = int64_t(1) << 26;
/// Largest image file read.
constexpr int64_t kMaxImageFileBytes = int64_t(512) << 20;

/// The bytes of a regular file of at most kMaxImageFileBytes; throws a message naming `path`.
std::vector<unsigned char> readImageFile(const std::string& path);

/// For a JPEG: every segment complete, the entropy-coded data followed by an end-of-image marker;
/// for a PNG: every chunk complete up to IEND. Either way the declared size within kMaxImagePixels.
/// For BMP, WebP and TIFF: the header's declared size within kMaxImagePixels (OpenCV's own limit,
/// 2^30 pixels, reads its setting before main, too late to lower). Other formats pass unchanged.
/// Throws a message naming `path`.
void checkImageStructure(const std::vector<unsigned char>& bytes, const std::string& path);

}  // namespace tb
