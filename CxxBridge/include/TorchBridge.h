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
using DoubleVector = std::vector<double>;

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

/// Lists of tensors (cat, stack, optimizer parameters and state); empty handles stand for "none".
using TensorVector = std::vector<TensorHandle>;

/// Ops with two results (max/min over a dim, topk): values and indices.
struct TensorPairResult {
  TensorHandle first;
  TensorHandle second;
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

// ---- creation (ops_create.cpp); random ones draw from the generator manualSeed seeds -------------
TensorResult zeros(const std::vector<int64_t>& shape, DType dtype) noexcept;
TensorResult ones(const std::vector<int64_t>& shape, DType dtype) noexcept;
TensorResult full(const std::vector<int64_t>& shape, double value, DType dtype) noexcept;
/// float32, uniform on [0, 1).
TensorResult rand(const std::vector<int64_t>& shape) noexcept;
/// float32, standard normal.
TensorResult randn(const std::vector<int64_t>& shape) noexcept;
TensorResult arange(double start, double end, double step, DType dtype) noexcept;
TensorResult clone(const TensorHandle& t) noexcept;

// ---- shapes, views, indexing (ops_shape.cpp) ------------------------------------------------------
TensorResult reshape(const TensorHandle& t, const std::vector<int64_t>& shape) noexcept;
TensorResult view(const TensorHandle& t, const std::vector<int64_t>& shape) noexcept;
TensorResult permute(const TensorHandle& t, const std::vector<int64_t>& dims) noexcept;
TensorResult transpose(const TensorHandle& t, int64_t a, int64_t b) noexcept;
TensorResult contiguous(const TensorHandle& t) noexcept;
/// The same values laid out channels-last (NHWC in memory, NCHW logically); 4-D tensors only.
TensorResult contiguousChannelsLast(const TensorHandle& t) noexcept;
TensorResult flatten(const TensorHandle& t, int64_t startDim, int64_t endDim) noexcept;
TensorResult unsqueeze(const TensorHandle& t, int64_t dim) noexcept;
TensorResult squeeze(const TensorHandle& t, int64_t dim) noexcept;
TensorResult expand(const TensorHandle& t, const std::vector<int64_t>& shape) noexcept;
/// Python's t[start:end:step] along dim (negative start/end count from the end; clamped).
TensorResult slice(const TensorHandle& t, int64_t dim, int64_t start, int64_t end, int64_t step) noexcept;
TensorResult indexSelect(const TensorHandle& t, int64_t dim, const TensorHandle& index) noexcept;
TensorResult gather(const TensorHandle& t, int64_t dim, const TensorHandle& index) noexcept;
TensorResult cat(const TensorVector& tensors, int64_t dim) noexcept;
TensorResult stack(const TensorVector& tensors, int64_t dim) noexcept;

// ---- elementwise math and comparisons (ops_math.cpp) ----------------------------------------------
enum class UnaryOp : int32_t { exp = 0, log = 1, sqrt = 2, abs = 3, relu = 4, sigmoid = 5 };
TensorResult unary(UnaryOp op, const TensorHandle& t) noexcept;
TensorResult pow(const TensorHandle& t, double exponent) noexcept;
enum class CompareOp : int32_t { eq = 0, ne = 1, gt = 2, ge = 3, lt = 4, le = 5 };
/// Broadcasting comparison; a bool tensor.
TensorResult compare(CompareOp op, const TensorHandle& a, const TensorHandle& b) noexcept;
TensorResult compareScalar(CompareOp op, const TensorHandle& a, double s) noexcept;
TensorResult whereCondition(const TensorHandle& condition, const TensorHandle& a, const TensorHandle& b) noexcept;
/// A bound applies only when its has* flag is set.
TensorResult clamp(const TensorHandle& t, bool hasMin, double min, bool hasMax, double max) noexcept;
TensorResult softmax(const TensorHandle& t, int64_t dim) noexcept;
TensorResult logSoftmax(const TensorHandle& t, int64_t dim) noexcept;
TensorResult dropout(const TensorHandle& t, double p, bool training) noexcept;
/// bias may be the empty handle.
TensorResult linear(const TensorHandle& input, const TensorHandle& weight, const TensorHandle& bias) noexcept;

// ---- reductions (ops_reduce.cpp) ------------------------------------------------------------------
TensorResult maxAll(const TensorHandle& t) noexcept;
TensorResult minAll(const TensorHandle& t) noexcept;
/// first: values, second: int64 indices.
TensorPairResult maxDim(const TensorHandle& t, int64_t dim, bool keepDim) noexcept;
TensorPairResult minDim(const TensorHandle& t, int64_t dim, bool keepDim) noexcept;
TensorResult argmax(const TensorHandle& t, int64_t dim, bool keepDim) noexcept;
TensorPairResult topk(const TensorHandle& t, int64_t k, int64_t dim, bool largest, bool sorted) noexcept;

// ---- pooling, normalization, resampling (ops_nn.cpp) ----------------------------------------------
/// As torch.nn.functional.batch_norm; in training, updates the running statistics in place. Every
/// argument but input may be the empty handle.
TensorResult batchNorm(const TensorHandle& input, const TensorHandle& runningMean, const TensorHandle& runningVar,
                       const TensorHandle& weight, const TensorHandle& bias, bool training, double momentum,
                       double eps) noexcept;
/// An empty stride means stride = kernel size.
TensorResult maxPool2d(const TensorHandle& input, const std::vector<int64_t>& kernel,
                       const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
                       const std::vector<int64_t>& dilation, bool ceilMode) noexcept;
TensorResult avgPool2d(const TensorHandle& input, const std::vector<int64_t>& kernel,
                       const std::vector<int64_t>& stride, const std::vector<int64_t>& padding, bool ceilMode,
                       bool countIncludePad) noexcept;
TensorResult adaptiveAvgPool2d(const TensorHandle& input, const std::vector<int64_t>& outputSize) noexcept;
enum class InterpolationMode : int32_t { nearest = 0, bilinear = 1, bicubic = 2 };
/// As torch.nn.functional.interpolate(size=...). alignCorners: -1 unset (PyTorch's None), 0 false, 1 true.
TensorResult interpolate(const TensorHandle& input, const std::vector<int64_t>& size, InterpolationMode mode,
                         int32_t alignCorners) noexcept;

// ---- losses (ops_loss.cpp), each the mean over the batch ------------------------------------------
/// logits [N, C], target int64 [N].
TensorResult crossEntropy(const TensorHandle& logits, const TensorHandle& target) noexcept;
TensorResult mseLoss(const TensorHandle& input, const TensorHandle& target) noexcept;
TensorResult cosineSimilarity(const TensorHandle& a, const TensorHandle& b, int64_t dim, double eps) noexcept;

// ---- in place, never recorded by autograd (ops_inplace.cpp) ---------------------------------------
enum class InPlaceOp : int32_t { fill = 0, add = 1, mul = 2, normal = 3, uniform = 4 };
/// fill: a; add: +a; mul: *a; normal: mean a, std b; uniform: [a, b).
Status applyInPlace(InPlaceOp op, const TensorHandle& t, double a, double b) noexcept;
/// Copies source (broadcast, converted) into destination.
Status copyInto(const TensorHandle& destination, const TensorHandle& source) noexcept;

// ---- SGD (optimizer.cpp) --------------------------------------------------------------------------
/// One torch.optim.SGD step over all parameters (those without a gradient are skipped). lr and
/// weightDecay hold one value per parameter; momentumBuffers one handle per parameter, the empty
/// handle before the parameter's first step (then it is set to a copy of the step's gradient).
Status sgdStep(const TensorVector& params, TensorVector& momentumBuffers, const DoubleVector& lr,
               const DoubleVector& weightDecay, double momentum, double dampening, bool nesterov) noexcept;

// ---- autograd (autograd.cpp) ----------------------------------------------------------------------
/// gradient may be the empty handle for a scalar tensor.
Status backward(const TensorHandle& t, const TensorHandle& gradient, bool retainGraph) noexcept;
/// The accumulated gradient; the empty handle when there is none.
TensorHandle gradOf(const TensorHandle& t) noexcept;
TensorHandle detach(const TensorHandle& t) noexcept;
Status setRequiresGrad(const TensorHandle& t, bool requiresGrad) noexcept;
bool requiresGrad(const TensorHandle& t) noexcept;
/// Turns gradient recording off on this thread (libtorch's grad mode is thread-local) for its lifetime
/// and restores the previous mode when destroyed. Move-only: Swift imports it as ~Copyable.
class NoGradScope {
 public:
  NoGradScope() noexcept;
  NoGradScope(NoGradScope&& other) noexcept;
  NoGradScope(const NoGradScope&) = delete;
  NoGradScope& operator=(const NoGradScope&) = delete;
  NoGradScope& operator=(NoGradScope&&) = delete;
  ~NoGradScope() noexcept;

 private:
  bool previous_;
  bool active_;  // false once moved from
};
bool isGradEnabled() noexcept;
/// Drops (setToNone) or zeroes the gradient of each tensor.
Status zeroGrads(const TensorVector& tensors, bool setToNone) noexcept;

// ---- runtime (runtime.cpp) ------------------------------------------------------------------------
/// Process-wide. Not thread-safe with respect to running ops.
Status setNumThreads(int32_t threads) noexcept;
int32_t numThreads() noexcept;
/// glibc only (elsewhere a no-op returning false): keeps freed memory in the process instead of
/// handing it back to the kernel after every large tensor, so the next tensor of that size does not
/// fault its pages in again. Returns whether the settings took.
bool retainFreedMemory() noexcept;
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
/// uint8 tensor of shape [H, W, 3], or with `grayscale` [H, W] as cv::imread(IMREAD_GRAYSCALE) reads
/// it (masks). `reduce` in {1, 2, 4, 8} decodes a JPEG at 1/reduce resolution; other formats decode
/// at full size whatever `reduce` says.
TensorResult decodeImage(const std::string& path, int32_t reduce, bool grayscale) noexcept;
enum class ResizeMode : int32_t { automatic = 0, area = 1, bilinear = 2, bicubic = 3, nearest = 4 };
/// Resizes a uint8 or float32 [H, W, C] (or [H, W]) image. automatic: area along a side that shrinks,
/// bilinear along one that grows (each side in its own pass when they differ).
TensorResult resizeImage(const TensorHandle& image, int64_t height, int64_t width, ResizeMode mode) noexcept;
/// Writes a uint8 [H, W, 3] RGB or [H, W] gray image; format from the extension (.png, .jpg, .jpeg).
Status writeImage(const TensorHandle& image, const std::string& path, int32_t jpegQuality) noexcept;
/// The same image encoded in memory (`extension` ".png" or ".jpg"): the file's bytes as a uint8 [N].
TensorResult encodeImage(const TensorHandle& image, const std::string& extension, int32_t jpegQuality) noexcept;

}  // namespace tb
