// The avx512 build of every kernel (compiled with its own instruction-set flags, see binding.gyp).
#define LW_ISA avx512
#include "../simd/avx512.h"
#include "../generated/isa-table.h"
