/* gph's native addon: the few things Node has no fast binding for (see each file). */
#include <node_api.h>

napi_value RegisterFallocate(napi_env env, napi_value exports);
napi_value RegisterJsonPoints(napi_env env, napi_value exports);
napi_value RegisterWhisperSlots(napi_env env, napi_value exports);

NAPI_MODULE_INIT() {
  RegisterFallocate(env, exports);
  RegisterWhisperSlots(env, exports);
  return RegisterJsonPoints(env, exports);
}
