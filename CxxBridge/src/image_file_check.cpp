// Structural checks of JPEG and PNG files (see image_file_check.h): marker and chunk walks, no decode.
#include "image_file_check.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace tb {

namespace {

size_t be16(const unsigned char* p) { return size_t(p[0]) << 8 | p[1]; }
size_t be32(const unsigned char* p) { return be16(p) << 16 | be16(p + 2); }

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::runtime_error(path + ": " + what);
}

void checkPixels(int64_t width, int64_t height, const std::string& path) {
  if (width * height > kMaxImagePixels) {
    fail(path, "image of " + std::to_string(width) + "x" + std::to_string(height) +
                   " pixels is larger than the " + std::to_string(kMaxImagePixels) +
                   " pixels wsol decodes (corrupt header, or resize it)");
  }
}

[[noreturn]] void truncatedJPEG(const std::string& path) {
  fail(path, "truncated JPEG: the file ends before its end-of-image marker (copy or download it again)");
}

/// The end of the entropy-coded data that starts at `i`: the position of the next marker's 0xFF.
size_t skipEntropyData(const std::vector<unsigned char>& b, size_t i, const std::string& path) {
  const size_t n = b.size();
  while (true) {
    const void* hit = i < n ? std::memchr(b.data() + i, 0xFF, n - i) : nullptr;
    if (hit == nullptr) truncatedJPEG(path);
    i = static_cast<const unsigned char*>(hit) - b.data();
    if (i + 1 >= n) truncatedJPEG(path);
    unsigned char next = b[i + 1];
    // 0xFF00 is a stuffed data byte, 0xFFD0-0xFFD7 a restart marker inside the scan.
    if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
      i += 2;
      continue;
    }
    return i;
  }
}

void checkJPEG(const std::vector<unsigned char>& b, const std::string& path) {
  const size_t n = b.size();
  size_t i = 2;
  while (true) {
    if (i >= n) truncatedJPEG(path);
    if (b[i] != 0xFF) fail(path, "corrupt JPEG: no marker at byte " + std::to_string(i));
    while (i < n && b[i] == 0xFF) ++i;  // fill bytes
    if (i >= n) truncatedJPEG(path);
    unsigned char marker = b[i++];
    if (marker == 0xD9) return;  // end of image
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (i + 2 > n) truncatedJPEG(path);
    size_t length = be16(&b[i]);
    if (length < 2) {
      fail(path, "corrupt JPEG: segment length " + std::to_string(length) + " at byte " + std::to_string(i));
    }
    if (i + length > n) truncatedJPEG(path);
    bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame && length >= 7) checkPixels(int64_t(be16(&b[i + 5])), int64_t(be16(&b[i + 3])), path);
    i += length;
    if (marker == 0xDA) i = skipEntropyData(b, i, path);
  }
}

void checkPNG(const std::vector<unsigned char>& b, const std::string& path) {
  const size_t n = b.size();
  size_t i = 8;
  while (true) {
    if (i + 8 > n) fail(path, "truncated PNG: the file ends before its IEND chunk (copy it again)");
    size_t length = be32(&b[i]);
    if (length > 0x7FFFFFFF) fail(path, "corrupt PNG: chunk length " + std::to_string(length));
    if (length + 12 > n - i) fail(path, "truncated PNG: the file ends inside a chunk (copy it again)");
    const unsigned char* type = &b[i + 4];
    if (std::memcmp(type, "IHDR", 4) == 0 && length >= 8) {
      checkPixels(int64_t(be32(&b[i + 8])), int64_t(be32(&b[i + 12])), path);
    }
    if (std::memcmp(type, "IEND", 4) == 0) return;
    i += length + 12;
  }
}

}  // namespace

std::vector<unsigned char> readImageFile(const std::string& path) {
  struct stat st;
  // Say what the path is instead, as RegularFile.problem does on the Swift side.
  if (stat(path.c_str(), &st) != 0) {
    fail(path, errno == ENOENT || errno == ENOTDIR ? std::string("no such image file")
                                                   : std::string("cannot read image file: ") + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) fail(path, "is a folder, not an image file");
  if (!S_ISREG(st.st_mode)) fail(path, "is not a regular file (a pipe, socket or device); give an image file");
  if (st.st_size > kMaxImageFileBytes) {
    fail(path, "image file of " + std::to_string(st.st_size) + " bytes is larger than the " +
                   std::to_string(kMaxImageFileBytes) + " bytes wsol reads");
  }
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) fail(path, std::string("cannot open image file: ") + std::strerror(errno));
  std::vector<unsigned char> bytes(static_cast<size_t>(st.st_size));
  size_t got = bytes.empty() ? 0 : std::fread(bytes.data(), 1, bytes.size(), file);
  std::fclose(file);
  if (got != bytes.size()) fail(path, "cannot read the whole image file");
  return bytes;
}

namespace {

size_t le16(const unsigned char* p) { return size_t(p[1]) << 8 | p[0]; }
size_t le32(const unsigned char* p) { return le16(p + 2) << 16 | le16(p); }

/// BMP: the width and height of its info header (16-bit in the old 12-byte core header).
void checkBMP(const std::vector<unsigned char>& b, const std::string& path) {
  if (b.size() < 26) return;
  if (le32(&b[14]) == 12) return checkPixels(int64_t(le16(&b[18])), int64_t(le16(&b[20])), path);
  int64_t height = int32_t(uint32_t(le32(&b[22])));  // negative: rows stored top-down
  checkPixels(int64_t(int32_t(uint32_t(le32(&b[18])))), height < 0 ? -height : height, path);
}

/// WebP: the size in the first chunk, lossy (VP8), lossless (VP8L) or extended (VP8X).
void checkWebP(const std::vector<unsigned char>& b, const std::string& path) {
  if (b.size() < 30) return;
  if (std::memcmp(&b[12], "VP8 ", 4) == 0) {
    checkPixels(int64_t(le16(&b[26]) & 0x3FFF), int64_t(le16(&b[28]) & 0x3FFF), path);
  } else if (std::memcmp(&b[12], "VP8L", 4) == 0) {
    size_t bits = le32(&b[21]);
    checkPixels(int64_t(bits & 0x3FFF) + 1, int64_t((bits >> 14) & 0x3FFF) + 1, path);
  } else if (std::memcmp(&b[12], "VP8X", 4) == 0) {
    checkPixels(int64_t(le32(&b[24]) & 0xFFFFFF) + 1, int64_t(le32(&b[27]) & 0xFFFFFF) + 1, path);
  }
}

/// TIFF: ImageWidth (tag 256) and ImageLength (257) of the first image directory.
void checkTIFF(const std::vector<unsigned char>& b, const std::string& path) {
  const bool little = b[0] == 'I';
  auto u16 = [&](size_t i) { return little ? le16(&b[i]) : be16(&b[i]); };
  auto u32 = [&](size_t i) { return little ? le32(&b[i]) : be32(&b[i]); };
  if (b.size() < 8) return;
  size_t ifd = u32(4);
  if (ifd + 2 > b.size()) return;
  size_t entries = u16(ifd);
  int64_t width = 0, height = 0;
  for (size_t e = 0; e < entries && ifd + 2 + 12 * (e + 1) <= b.size(); ++e) {
    size_t at = ifd + 2 + 12 * e, tag = u16(at), type = u16(at + 2);
    int64_t value = type == 3 ? int64_t(u16(at + 8)) : type == 4 ? int64_t(u32(at + 8)) : 0;
    if (tag == 256) width = value;
    if (tag == 257) height = value;
  }
  checkPixels(width, height, path);
}

}  // namespace

void checkImageStructure(const std::vector<unsigned char>& bytes, const std::string& path) {
  static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  const size_t n = bytes.size();
  if (n >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
    checkJPEG(bytes, path);
  } else if (n >= 8 && std::memcmp(bytes.data(), png, 8) == 0) {
    checkPNG(bytes, path);
  } else if (n >= 2 && bytes[0] == 'B' && bytes[1] == 'M') {
    checkBMP(bytes, path);
  } else if (n >= 12 && std::memcmp(bytes.data(), "RIFF", 4) == 0 && std::memcmp(&bytes[8], "WEBP", 4) == 0) {
    checkWebP(bytes, path);
  } else if (n >= 4 && (std::memcmp(bytes.data(), "II*\0", 4) == 0 || std::memcmp(bytes.data(), "MM\0*", 4) == 0)) {
    checkTIFF(bytes, path);
  }
}

}  // namespace tb
