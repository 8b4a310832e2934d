/*
 * Decodes whisper slots (big-endian uint32 timestamp + float64 value, 12 bytes each) into typed
 * arrays: a slot whose timestamp is the expected one (start, start + step, ...) gives its value
 * and known = 1, any other is stale and left as it is (0). The JavaScript decoder in
 * whisper-file.ts is the reference and the fallback; this one is the byte swap a render over
 * hundreds of files spends its time in.
 *
 * decodeSlots(bytes: Uint8Array, expected, step, values: Float64Array, known: Uint8Array, at)
 *   decodes floor(bytes.length / 12) slots into values/known from index `at`.
 */
#include <stdint.h>
#include <string.h>
#include "addon.h"

enum { POINT_SIZE = 12, POINT_VALUE_OFFSET = 4 };

napi_value DecodeSlots(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value args[6];
  void *bytes, *values, *known;
  size_t byteLength, valuesLength, knownLength;
  int64_t expected, step, at;
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc < 6 ||
      !typedArrayOf(env, args[0], napi_uint8_array, &bytes, &byteLength) ||
      napi_get_value_int64(env, args[1], &expected) != napi_ok || napi_get_value_int64(env, args[2], &step) != napi_ok ||
      !typedArrayOf(env, args[3], napi_float64_array, &values, &valuesLength) ||
      !typedArrayOf(env, args[4], napi_uint8_array, &known, &knownLength) ||
      napi_get_value_int64(env, args[5], &at) != napi_ok || at < 0 ||
      (size_t)at + byteLength / POINT_SIZE > valuesLength || (size_t)at + byteLength / POINT_SIZE > knownLength) {
    napi_throw_type_error(env, NULL, "decodeSlots(bytes, expected, step, values, known, at): the arrays need room for every slot from at");
    return NULL;
  }
  const uint8_t *slot = bytes;
  double *v = (double *)values + at;
  uint8_t *k = (uint8_t *)known + at;
  const size_t count = byteLength / POINT_SIZE;
  for (size_t i = 0; i < count; i++, slot += POINT_SIZE, expected += step) {
    const uint32_t timestamp = (uint32_t)slot[0] << 24 | (uint32_t)slot[1] << 16 | (uint32_t)slot[2] << 8 | slot[3];
    if ((int64_t)timestamp != expected) continue;
    uint64_t raw;
    memcpy(&raw, slot + POINT_VALUE_OFFSET, sizeof raw);
    raw = __builtin_bswap64(raw);
    memcpy(&v[i], &raw, sizeof raw);
    k[i] = 1;
  }
  return NULL;
}
