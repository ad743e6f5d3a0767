// The only header Swift imports. It names no libtorch or OpenCV type: tensors cross as TensorHandle
// (an owning, copyable handle: copying shares the tensor, like at::Tensor), shapes as
// std::vector<int64_t>, text as std::string.
//
// Rules every entry point follows:
// - noexcept: no C++ exception ever reaches Swift; failures come back as values
//   (`failed` + `error`, libtorch's message without its backtrace).
// - Thread-safe unless its comment says otherwise (libtorch ops are; do not mutate one tensor from two
//   threads at once).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tb {

/// Shapes, dims, strides cross as this vector (Swift builds it from an array).
using Int64Vector = std::vector<int64_t>;

enum class DType : int32_t { float32 = 0, float64 = 1, int64 = 2, int32 = 3, uint8 = 4, boolean = 5 };

class TensorHandle {
 public:
  TensorHandle() noexcept;
  TensorHandle(const TensorHandle& other) noexcept;
  TensorHandle(TensorHandle&& other) noexcept;
  TensorHandle& operator=(const TensorHandle& other) noexcept;
  TensorHandle& operator=(TensorHandle&& other) noexcept;
  ~TensorHandle() noexcept;
  /// False for the empty handle (e.g. the gradient of a tensor that has none).
  bool defined() const noexcept;

 private:
  void* impl_;  // owned at::Tensor*, or null
  friend struct HandleAccess;
};

struct TensorResult {
  TensorHandle value;
  bool failed = false;
  std::string error;
};

struct Status {
  bool failed = false;
  std::string error;
};

struct DoubleResult {
  double value = 0;
  bool failed = false;
  std::string error;
};

// ---- bookkeeping ----------------------------------------------------------------------------------
/// Number of live TensorHandles holding a tensor; loops that do not leak leave it unchanged.
int64_t liveTensorCount() noexcept;

// ---- creation and copying out (tensor_data.cpp) ---------------------------------------------------
TensorResult fromFloat32(const float* data, int64_t count, const std::vector<int64_t>& shape) noexcept;
TensorResult fromFloat64(const double* data, int64_t count, const std::vector<int64_t>& shape) noexcept;
TensorResult fromInt64(const int64_t* data, int64_t count, const std::vector<int64_t>& shape) noexcept;
TensorResult fromUInt8(const uint8_t* data, int64_t count, const std::vector<int64_t>& shape) noexcept;
/// Copy all elements (converted to the destination type, row-major) into `out` of `count` elements.
Status copyToFloat32(const TensorHandle& t, float* out, int64_t count) noexcept;
Status copyToFloat64(const TensorHandle& t, double* out, int64_t count) noexcept;
Status copyToInt64(const TensorHandle& t, int64_t* out, int64_t count) noexcept;
Status copyToUInt8(const TensorHandle& t, uint8_t* out, int64_t count) noexcept;
std::vector<int64_t> shapeOf(const TensorHandle& t) noexcept;
DType dtypeOf(const TensorHandle& t) noexcept;
int64_t numelOf(const TensorHandle& t) noexcept;
/// "cpu" or "cuda:N"; "undefined" for the empty handle.
std::string deviceOf(const TensorHandle& t) noexcept;
TensorResult toDType(const TensorHandle& t, DType dtype) noexcept;
/// device: "cpu", "cuda", "cuda:N".
TensorResult toDevice(const TensorHandle& t, const std::string& device) noexcept;
DoubleResult item(const TensorHandle& t) noexcept;

// ---- arithmetic (ops_arith.cpp) -------------------------------------------------------------------
enum class BinaryOp : int32_t { add = 0, sub = 1, mul = 2, div = 3 };
/// Broadcasting a (op) b.
TensorResult binary(BinaryOp op, const TensorHandle& a, const TensorHandle& b) noexcept;
/// t (op) s, or s (op) t when scalarOnLeft.
TensorResult binaryScalar(BinaryOp op, const TensorHandle& t, double s, bool scalarOnLeft) noexcept;
TensorResult neg(const TensorHandle& t) noexcept;
TensorResult matmul(const TensorHandle& a, const TensorHandle& b) noexcept;
TensorResult sumAll(const TensorHandle& t) noexcept;
TensorResult meanAll(const TensorHandle& t) noexcept;
TensorResult sumDims(const TensorHandle& t, const std::vector<int64_t>& dims, bool keepDim) noexcept;
TensorResult meanDims(const TensorHandle& t, const std::vector<int64_t>& dims, bool keepDim) noexcept;

// ---- neural-network functions (ops_nn.cpp) --------------------------------------------------------
/// bias may be the empty handle.
TensorResult conv2d(const TensorHandle& input, const TensorHandle& weight, const TensorHandle& bias,
                    const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
                    const std::vector<int64_t>& dilation, int64_t groups) noexcept;

// ---- autograd (autograd.cpp) ----------------------------------------------------------------------
/// gradient may be the empty handle for a scalar tensor.
Status backward(const TensorHandle& t, const TensorHandle& gradient, bool retainGraph) noexcept;
/// The accumulated gradient; the empty handle when there is none.
TensorHandle gradOf(const TensorHandle& t) noexcept;
TensorHandle detach(const TensorHandle& t) noexcept;
Status setRequiresGrad(const TensorHandle& t, bool requiresGrad) noexcept;
bool requiresGrad(const TensorHandle& t) noexcept;

// ---- runtime (runtime.cpp) ------------------------------------------------------------------------
/// Process-wide. Not thread-safe with respect to running ops.
Status setNumThreads(int32_t threads) noexcept;
int32_t numThreads() noexcept;
/// Seeds CPU and (when present) CUDA generators. Process-wide.
void manualSeed(uint64_t seed) noexcept;
bool cudaAvailable() noexcept;
int64_t cudaDeviceCount() noexcept;
std::string libtorchVersion() noexcept;
std::string opencvVersion() noexcept;
/// The shared library that provides `sgemm_` in this process, resolved to its real path, plus
/// OpenBLAS's own config string when that library is OpenBLAS.
std::string blasLibrary() noexcept;

// ---- images through OpenCV (image_io.cpp) ---------------------------------------------------------
/// Decodes JPEG/PNG (grayscale, CMYK and alpha become RGB; EXIF orientation ignored, as PIL does) to a
/// uint8 tensor of shape [H, W, 3]. `reduce` in {1, 2, 4, 8} decodes at 1/reduce resolution.
TensorResult decodeImage(const std::string& path, int32_t reduce) noexcept;
enum class ResizeMode : int32_t { automatic = 0, area = 1, bilinear = 2, bicubic = 3, nearest = 4 };
/// Resizes a uint8 or float32 [H, W, C] (or [H, W]) image. automatic: area when no side grows,
/// bilinear otherwise.
TensorResult resizeImage(const TensorHandle& image, int64_t height, int64_t width, ResizeMode mode) noexcept;
/// Writes a uint8 [H, W, 3] RGB or [H, W] gray image; format from the extension (.png, .jpg, .jpeg).
Status writeImage(const TensorHandle& image, const std::string& path, int32_t jpegQuality) noexcept;

}  // namespace tb
