{
  "targets": [
    {
      "target_name": "gph_native",
      "sources": ["native/addon.c", "native/fallocate.c", "native/unnamed-file.c", "native/json-points.cc", "native/whisper-slots.c", "native/png-encoder.c", "native/line-coverage.c", "native/name-table.c", "native/line-points.c", "native/pickle-points.c"],
      "cflags": ["-ffp-contract=off"],
      "cflags_cc": ["-std=gnu++17", "-O2"]
    }
  ]
}
