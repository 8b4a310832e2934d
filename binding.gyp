{
  "targets": [
    {
      "target_name": "gph_native",
      "sources": ["native/fallocate.c"]
    }
  ]
}
