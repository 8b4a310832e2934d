/* gph's native addon: the few things Node has no fast binding for (see each file). */
#include "addon.h"

static void exportFunction(napi_env env, napi_value exports, const char *name, napi_callback callback) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, callback, NULL, &fn);
  napi_set_named_property(env, exports, name, fn);
}

NAPI_MODULE_INIT() {
  exportFunction(env, exports, "fallocate", Fallocate);
  exportFunction(env, exports, "unnamedFileFlags", UnnamedFileFlags);
  exportFunction(env, exports, "linkUnnamedFile", LinkUnnamedFile);
  exportFunction(env, exports, "writeJsonPoints", WriteJsonPoints);
  exportFunction(env, exports, "decodeSlots", DecodeSlots);
  exportFunction(env, exports, "encodePng", EncodePng);
  exportFunction(env, exports, "coverSeries", CoverSeries);
  exportFunction(env, exports, "compositeCoverage", CompositeCoverage);
  exportFunction(env, exports, "createNameTable", CreateNameTable);
  exportFunction(env, exports, "clearNameTable", ClearNameTable);
  exportFunction(env, exports, "readLinePoints", ReadLinePoints);
  exportFunction(env, exports, "readPicklePoints", ReadPicklePoints);
  return exports;
}
