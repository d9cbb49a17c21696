{
  "targets": [
    {
      "target_name": "nabla_native",
      "sources": ["src/addon.cc", "src/gemm.cc", "src/conv.cc", "src/elementwise.cc", "src/optim.cc", "src/batchnorm.cc", "src/pool.cc", "src/reorder.cc", "src/avgpool.cc", "src/conv_taps.cc", "src/bf16.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-O3", "-fopenmp", "-ffp-contract=off"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++14", "-std=gnu++17"],
      "cflags!": ["-fno-exceptions"],
      "libraries": ["-ldnnl", "-fopenmp"]
    }
  ]
}
