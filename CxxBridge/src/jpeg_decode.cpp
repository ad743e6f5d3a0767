// See jpeg_decode.h. libjpeg reports errors by calling error_exit, which must not return: it jumps
// back to the setjmp of the step that failed. The steps that can jump hold no C++ object with a
// destructor, so nothing is skipped.
#include "jpeg_decode.h"

#include <csetjmp>
#include <cstdio>
#include <stdexcept>

#include <jpeglib.h>

namespace tb {

namespace {

struct Failure {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void failed(j_common_ptr info) {
  Failure* failure = reinterpret_cast<Failure*>(info->err);
  (*info->err->format_message)(info, failure->message);
  std::longjmp(failure->jump, 1);
}

// Warnings (for example extraneous bytes) do not stop the decode, as in OpenCV; they are not printed.
void quiet(j_common_ptr) {}

struct Decoder {
  jpeg_decompress_struct info;
  Failure failure;
};

/// Header and output geometry; false when libjpeg failed. RGB output unless the file is CMYK/YCCK.
bool start(Decoder& d, const unsigned char* data, size_t size, int reduce, bool* fourComponents) {
  if (setjmp(d.failure.jump)) return false;
  jpeg_mem_src(&d.info, data, static_cast<unsigned long>(size));
  jpeg_read_header(&d.info, TRUE);
  *fourComponents = d.info.num_components == 4;
  if (*fourComponents) return true;
  d.info.scale_num = 1;
  d.info.scale_denom = static_cast<unsigned int>(reduce);
  d.info.out_color_space = JCS_RGB;
  jpeg_start_decompress(&d.info);
  return true;
}

/// Every scanline straight into `pixels` (rows of `stride` bytes); false when libjpeg failed.
bool read(Decoder& d, unsigned char* pixels, size_t stride) {
  if (setjmp(d.failure.jump)) return false;
  while (d.info.output_scanline < d.info.output_height) {
    JSAMPROW row = pixels + d.info.output_scanline * stride;
    jpeg_read_scanlines(&d.info, &row, 1);
  }
  jpeg_finish_decompress(&d.info);
  return true;
}

}  // namespace

at::Tensor decodeJpegRGB(const std::vector<unsigned char>& bytes, int reduce, const std::string& path) {
  if (bytes.size() < 2 || bytes[0] != 0xFF || bytes[1] != 0xD8) return at::Tensor();
  Decoder d;
  d.failure.message[0] = '\0';
  d.info.err = jpeg_std_error(&d.failure.manager);
  d.failure.manager.error_exit = failed;
  d.failure.manager.output_message = quiet;
  jpeg_create_decompress(&d.info);
  // Destroyed on every way out; libjpeg's jumps never cross this frame (they land in start or read).
  struct Destroy {
    jpeg_decompress_struct* info;
    ~Destroy() { jpeg_destroy_decompress(info); }
  } destroy{&d.info};
  bool fourComponents = false;
  at::Tensor rgb;
  bool ok = start(d, bytes.data(), bytes.size(), reduce, &fourComponents);
  if (ok && !fourComponents) {
    if (d.info.output_components != 3) {
      throw std::logic_error(path + ": libjpeg gave " + std::to_string(d.info.output_components) +
                             " channels for RGB");
    }
    rgb = at::empty({d.info.output_height, d.info.output_width, 3}, at::kByte);
    ok = read(d, rgb.data_ptr<unsigned char>(), static_cast<size_t>(d.info.output_width) * 3);
  }
  if (!ok) {
    throw std::runtime_error(path + ": cannot decode image (corrupt or unsupported format: " +
                             d.failure.message + ")");
  }
  return rgb;
}

}  // namespace tb
