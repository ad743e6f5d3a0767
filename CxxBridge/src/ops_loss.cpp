// Losses and similarities, each reduced as torch.nn.functional's defaults do (mean).
#include "bridge_private.h"

namespace tb {

TensorResult crossEntropy(const TensorHandle& logits, const TensorHandle& target) noexcept {
  return guarded<TensorResult>([&] { return at::cross_entropy_loss(unwrap(logits), unwrap(target)); });
}

TensorResult mseLoss(const TensorHandle& input, const TensorHandle& target) noexcept {
  return guarded<TensorResult>([&] { return at::mse_loss(unwrap(input), unwrap(target), at::Reduction::Mean); });
}

TensorResult cosineSimilarity(const TensorHandle& a, const TensorHandle& b, int64_t dim, double eps) noexcept {
  return guarded<TensorResult>([&] { return at::cosine_similarity(unwrap(a), unwrap(b), dim, eps); });
}

}  // namespace tb
