#include "dispatch.h"

#include <cstdlib>

namespace lw {
namespace {

struct Isa {
  const char* id;
  const KernelTable& (*table)();
  bool (*supported)();
};

#if defined(__x86_64__) || defined(_M_X64)
bool has_avx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
bool has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif
bool always() { return true; }

const Isa kIsas[] = {
#if defined(__x86_64__) || defined(_M_X64)
    {"avx512", &avx512_kernels, &has_avx512},
    {"avx2", &avx2_kernels, &has_avx2},
#endif
    {"portable", &portable_kernels, &always},
};

}  // namespace

std::vector<std::string> supported_isas() {
  std::vector<std::string> ids;
  for (const Isa& isa : kIsas) {
    if (isa.supported()) ids.emplace_back(isa.id);
  }
  return ids;
}

const KernelTable* kernels_for(const std::string& id) {
  for (const Isa& isa : kIsas) {
    if (id == isa.id && isa.supported()) return &isa.table();
  }
  return nullptr;
}

std::string initial_isa() {
  const std::vector<std::string> ids = supported_isas();
  if (const char* requested = std::getenv("LAYERWISE_SIMD")) {
    for (const std::string& id : ids) {
      if (id == requested) return id;
    }
  }
  return ids.front();
}

}  // namespace lw
