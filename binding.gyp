{
  "variables": {
    "lw_cflags": ["-std=c++17", "-O3", "-fno-math-errno", "-fno-trapping-math", "-fPIC", "-Wall", "-Wextra", "-Wno-unused-parameter"]
  },
  "target_defaults": {
    "cflags_cc": ["<@(lw_cflags)"],
    "xcode_settings": {
      "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
      "GCC_OPTIMIZATION_LEVEL": "3",
      "OTHER_CPLUSPLUSFLAGS": ["-fno-math-errno", "-fno-trapping-math"]
    }
  },
  "targets": [
    {
      "target_name": "layerwise",
      "sources": [
        "native/addon.cc",
        "native/common/buffer-cache.cc",
        "native/common/dispatch.cc",
        "native/common/parallel.cc",
        "native/isa/portable.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "conditions": [
        ["target_arch=='x64'", {"dependencies": ["layerwise_avx2", "layerwise_avx512"]}]
      ]
    }
  ],
  "conditions": [
    ["target_arch=='x64'", {
      "targets": [
        {
          "target_name": "layerwise_avx2",
          "type": "static_library",
          "sources": ["native/isa/avx2.cc"],
          "cflags_cc": ["-mavx2", "-mfma"],
          "xcode_settings": {"OTHER_CPLUSPLUSFLAGS": ["-mavx2", "-mfma"]}
        },
        {
          "target_name": "layerwise_avx512",
          "type": "static_library",
          "sources": ["native/isa/avx512.cc"],
          "cflags_cc": ["-mavx512f", "-mavx2", "-mfma", "-Wno-uninitialized", "-Wno-maybe-uninitialized"],
          "xcode_settings": {"OTHER_CPLUSPLUSFLAGS": ["-mavx512f", "-mavx2", "-mfma"]}
        }
      ]
    }]
  ]
}
