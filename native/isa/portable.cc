// The portable build of every kernel (compiled with its own instruction-set flags, see binding.gyp).
#define LW_ISA portable
#include "../simd/portable.h"
#include "../generated/isa-table.h"
