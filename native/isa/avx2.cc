// The avx2 build of every kernel (compiled with its own instruction-set flags, see binding.gyp).
#define LW_ISA avx2
#include "../simd/avx2.h"
#include "../generated/isa-table.h"
