// Process-wide runtime settings and facts for `wsol doctor`.
#include <dlfcn.h>
#include <torch/cuda.h>
#include <torch/utils.h>
#include <torch/version.h>

#include <climits>
#include <cstdlib>
#include <opencv2/core/version.hpp>

#include "bridge_private.h"

namespace tb {

Status setNumThreads(int32_t threads) noexcept {
  return guarded<Status>([&] {
    if (threads < 1) throw std::invalid_argument("thread count must be at least 1");
    at::set_num_threads(threads);
  });
}

int32_t numThreads() noexcept {
  try {
    return static_cast<int32_t>(at::get_num_threads());
  } catch (...) {
    return 0;
  }
}

void manualSeed(uint64_t seed) noexcept {
  try {
    torch::manual_seed(seed);
  } catch (...) {
  }
}

bool cudaAvailable() noexcept {
  try {
    return torch::cuda::is_available();
  } catch (...) {
    return false;
  }
}

int64_t cudaDeviceCount() noexcept {
  try {
    return static_cast<int64_t>(torch::cuda::device_count());
  } catch (...) {
    return 0;
  }
}

std::string libtorchVersion() noexcept { return TORCH_VERSION; }

std::string opencvVersion() noexcept { return CV_VERSION; }

std::string blasLibrary() noexcept {
  // libtorch's own config string says "generic" even when OpenBLAS serves it: ask the dynamic linker
  // which loaded library actually provides the symbol.
  void* symbol = dlsym(RTLD_DEFAULT, "sgemm_");
  if (symbol == nullptr) return "none (no library provides sgemm_)";
  Dl_info info;
  if (dladdr(symbol, &info) == 0 || info.dli_fname == nullptr) return "unknown";
  std::string path = info.dli_fname;
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) != nullptr) path = resolved;
  using ConfigFn = char* (*)();
  if (auto config = reinterpret_cast<ConfigFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"))) {
    return path + " (OpenBLAS: " + config() + ")";
  }
  return path;
}

}  // namespace tb
