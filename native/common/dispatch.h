// Which instruction set runs the kernels: the best the CPU supports, or a lower one that
// LAYERWISE_SIMD (avx512 | avx2 | portable) or a test asks for.
#pragma once
#include <string>
#include <vector>

#include "../generated/kernels.h"

namespace lw {

// Each instruction set's table (native/isa/*.cc).
const KernelTable& portable_kernels();
#if defined(__x86_64__) || defined(_M_X64)
const KernelTable& avx2_kernels();
const KernelTable& avx512_kernels();
#endif

// Identifiers of the instruction sets this CPU can run, best first ("portable" always last).
std::vector<std::string> supported_isas();
// The table for a supported identifier, or null.
const KernelTable* kernels_for(const std::string& id);
// The identifier chosen at load: the best supported, lowered by LAYERWISE_SIMD when that names a
// supported level.
std::string initial_isa();

}  // namespace lw
