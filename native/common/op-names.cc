#include "kernel-table.h"

namespace lw {

// The names the TypeScript kernel contract uses, indexed by the enums in kernel-table.h.
const char* const kUnaryOpNames[kUnaryOpCount] = {
    "neg",  "abs",       "sign", "sqrt", "rsqrt", "square",  "exp",  "log",      "log1p", "reciprocal", "relu",
    "leakyRelu", "elu", "selu", "gelu", "sigmoid", "tanh", "softplus", "floor", "ceil",  "round",
};
const char* const kBinaryOpNames[kBinaryOpCount] = {"add", "sub", "mul", "div", "pow", "maximum", "minimum"};
const char* const kReduceOpNames[kReduceOpCount] = {"sum", "max", "min", "prod"};
const char* const kActivationNames[kActivationCount] = {"linear", "relu", "leakyRelu", "elu",
                                                        "selu",   "sigmoid", "tanh", "softplus"};

}  // namespace lw
