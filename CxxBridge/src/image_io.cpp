// Image decoding, resizing and writing through OpenCV, the library the field's evaluators use.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "cv_guard.h"
#include "image_file_check.h"
#include "jpeg_decode.h"

namespace tb {

namespace {

void checkReduce(int reduce) {
  if (reduce != 1 && reduce != 2 && reduce != 4 && reduce != 8) {
    throw std::invalid_argument("reduce must be 1, 2, 4 or 8");
  }
}

/// decodeMat of the file's bytes, already read and checked.
cv::Mat decodeBytes(std::vector<unsigned char>& bytes, const std::string& path, bool grayscale, int reduce) {
  bool jpeg = bytes.size() >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8;
  int flags = grayscale ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR;
  if (reduce > 1 && jpeg) {
    static const int color[] = {0, 0, cv::IMREAD_REDUCED_COLOR_2, 0, cv::IMREAD_REDUCED_COLOR_4, 0, 0, 0,
                                cv::IMREAD_REDUCED_COLOR_8};
    static const int gray[] = {0, 0, cv::IMREAD_REDUCED_GRAYSCALE_2, 0, cv::IMREAD_REDUCED_GRAYSCALE_4, 0, 0, 0,
                               cv::IMREAD_REDUCED_GRAYSCALE_8};
    flags = grayscale ? gray[reduce] : color[reduce];
  }
  cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1, bytes.data());
  cv::Mat image = bytes.empty() ? cv::Mat() : cv::imdecode(buffer, flags | cv::IMREAD_IGNORE_ORIENTATION);
  if (image.empty()) throw std::runtime_error(path + ": cannot decode image (corrupt or unsupported format)");
  return image;
}

std::vector<unsigned char> readCheckedImage(const std::string& path) {
  std::vector<unsigned char> bytes = readImageFile(path);
  checkImageStructure(bytes, path);
  return bytes;
}

}  // namespace

cv::Mat decodeMat(const std::string& path, bool grayscale, int reduce) {
  checkReduce(reduce);
  std::vector<unsigned char> bytes = readCheckedImage(path);
  return decodeBytes(bytes, path, grayscale, reduce);
}

TensorResult decodeImage(const std::string& path, int32_t reduce, bool grayscale) noexcept {
  return cvGuarded<TensorResult>([&] {
    checkReduce(reduce);
    std::vector<unsigned char> bytes = readCheckedImage(path);
    if (grayscale) return tensorFromMat(decodeBytes(bytes, path, true, reduce), false);
    // JPEG: libjpeg writes RGB rows straight into the tensor (jpeg_decode.h).
    at::Tensor rgb = decodeJpegRGB(bytes, reduce, path);
    if (rgb.defined()) return rgb;
    cv::Mat image = decodeBytes(bytes, path, false, reduce);
    // OpenCV converts straight into the tensor's memory: no libtorch copy, whose OpenMP team, started
    // from each loader thread, would spin against the others (tensorFromMat in cv_guard.h).
    rgb = at::empty({image.rows, image.cols, 3}, at::kByte);
    cv::Mat view(image.rows, image.cols, CV_8UC3, rgb.data_ptr());
    cv::cvtColor(image, view, cv::COLOR_BGR2RGB);
    if (view.data != rgb.data_ptr()) throw std::logic_error("cvtColor reallocated its output");
    return rgb;
  });
}

TensorResult resizeImage(const TensorHandle& image, int64_t height, int64_t width, ResizeMode mode) noexcept {
  return cvGuarded<TensorResult>([&] {
    at::Tensor src = unwrap(image).to(at::kCPU).contiguous();
    return tensorFromMat(resizeMat(matView(src), height, width, mode), src.dim() == 3);
  });
}

namespace {
// A uint8 [H, W, 3] RGB or [H, W] gray tensor as the BGR (or gray) Mat OpenCV's encoders take.
cv::Mat bgrForWriting(const at::Tensor& src) {
  if (src.scalar_type() != at::kByte) throw std::invalid_argument("image to write must be uint8");
  if (src.dim() == 3 && src.size(2) != 3 && src.size(2) != 1) {
    throw std::invalid_argument("image to write must be [H, W, 3] RGB or [H, W] gray");
  }
  cv::Mat view = matView(src);
  if (view.channels() != 3) return view;
  cv::Mat bgr;
  cv::cvtColor(view, bgr, cv::COLOR_RGB2BGR);
  return bgr;
}
}  // namespace

Status writeImage(const TensorHandle& image, const std::string& path, int32_t jpegQuality) noexcept {
  return cvGuarded<Status>([&] {
    at::Tensor src = unwrap(image).to(at::kCPU).contiguous();
    std::vector<int> params = {cv::IMWRITE_JPEG_QUALITY, jpegQuality};
    if (!cv::imwrite(path, bgrForWriting(src), params)) throw std::runtime_error(path + ": cannot write image");
  });
}

TensorResult encodeImage(const TensorHandle& image, const std::string& extension, int32_t jpegQuality) noexcept {
  return cvGuarded<TensorResult>([&] {
    at::Tensor src = unwrap(image).to(at::kCPU).contiguous();
    std::vector<uchar> bytes;
    std::vector<int> params = {cv::IMWRITE_JPEG_QUALITY, jpegQuality};
    if (!cv::imencode(extension, bgrForWriting(src), bytes, params)) {
      throw std::runtime_error("cannot encode the image as " + extension);
    }
    return at::from_blob(bytes.data(), {static_cast<int64_t>(bytes.size())}, at::kByte).clone();
  });
}

}  // namespace tb
