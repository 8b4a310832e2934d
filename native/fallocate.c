/*
 * posix_fallocate(3) for Node: allocates a file's blocks without writing them, as whisper.py's
 * fallocate create does (carbon's WHISPER_FALLOCATE_CREATE). Node has no binding for it.
 * fallocate(fd, offset, length) returns 0, or the errno the call failed with.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include "addon.h"

napi_value Fallocate(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value args[3];
  int32_t fd;
  int64_t offset;
  int64_t length;
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc < 3 ||
      napi_get_value_int32(env, args[0], &fd) != napi_ok ||
      napi_get_value_int64(env, args[1], &offset) != napi_ok ||
      napi_get_value_int64(env, args[2], &length) != napi_ok || fd < 0 || offset < 0 || length <= 0) {
    napi_throw_type_error(env, NULL, "fallocate(fd, offset, length) takes a descriptor, an offset >= 0 and a length > 0");
    return NULL;
  }
  napi_value result;
  napi_create_int32(env, posix_fallocate(fd, (off_t)offset, (off_t)length), &result);
  return result;
}
