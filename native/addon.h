/* gph's native addon: the functions each file exports, and what they share. */
#ifndef GPH_ADDON_H
#define GPH_ADDON_H
#include <stdbool.h>
#include <stddef.h>
#include <node_api.h>

#ifdef __cplusplus
extern "C" {
#endif

napi_value Fallocate(napi_env env, napi_callback_info info);
napi_value UnnamedFileFlags(napi_env env, napi_callback_info info);
napi_value LinkUnnamedFile(napi_env env, napi_callback_info info);
napi_value WriteJsonPoints(napi_env env, napi_callback_info info);
napi_value DecodeSlots(napi_env env, napi_callback_info info);
napi_value EncodePng(napi_env env, napi_callback_info info);
/* (Uses the environment's instance data for its scratch.) */
napi_value CoverSeries(napi_env env, napi_callback_info info);
napi_value CompositeCoverage(napi_env env, napi_callback_info info);
napi_value CreateNameTable(napi_env env, napi_callback_info info);
napi_value ClearNameTable(napi_env env, napi_callback_info info);
napi_value ReadLinePoints(napi_env env, napi_callback_info info);
napi_value ReadPicklePoints(napi_env env, napi_callback_info info);

/* True when `value` is a typed array of type `want`; sets its data and length (in elements). */
static inline bool typedArrayOf(napi_env env, napi_value value, napi_typedarray_type want, void **data, size_t *length) {
  bool is = false;
  napi_typedarray_type type;
  if (napi_is_typedarray(env, value, &is) != napi_ok || !is) return false;
  if (napi_get_typedarray_info(env, value, &type, length, data, NULL, NULL) != napi_ok) return false;
  return type == want;
}

#ifdef __cplusplus
}
#endif
#endif
