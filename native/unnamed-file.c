/*
 * Files made without a name and named once complete (Linux's O_TMPFILE, then linkat(2)): a new
 * whisper file is published whole without a temporary name, so creating it changes its directory
 * once (the link) instead of three times (temp file, link, unlink), and two writer threads can
 * create files in one directory side by side.
 *
 * unnamedFileFlags() -> open(2)'s flags for an unnamed read-write file in a directory (opened by
 *   Node's fs, which tracks a worker thread's descriptors), or 0 where there is no O_TMPFILE
 * linkUnnamedFile(fd, path[, viaProc]) -> 0, or the errno (EEXIST: path exists, and is left as
 *   it was). The link is made from the descriptor itself (AT_EMPTY_PATH: recent kernels allow
 *   it for a file the caller opened, as this VM's 6.18 does even for an unprivileged user, older
 *   ones only with CAP_DAC_READ_SEARCH), else through /proc/self/fd/N, which costs the kernel a
 *   walk through /proc; once the first way has been refused and the second worked, the process
 *   uses the second only. `viaProc` asks for the second way (tests).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>
#include "addon.h"

/* A string argument into `out` (false when it is not a string or does not fit). */
static bool pathArgument(napi_env env, napi_value value, char *out, size_t size) {
  size_t length = 0;
  return napi_get_value_string_utf8(env, value, out, size, &length) == napi_ok && length > 0 && length < size - 1;
}

static napi_value int32Result(napi_env env, int32_t value) {
  napi_value result;
  napi_create_int32(env, value, &result);
  return result;
}

napi_value UnnamedFileFlags(napi_env env, napi_callback_info info) {
  (void)info;
#ifdef O_TMPFILE
  return int32Result(env, O_TMPFILE | O_RDWR);
#else
  return int32Result(env, 0);
#endif
}

/* Whether linkat(AT_EMPTY_PATH) may work in this process (cleared once it was refused and /proc worked). */
static int emptyPathLinks = 1;

napi_value LinkUnnamedFile(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value args[3];
  int32_t fd;
  bool viaProc = false;
  char target[PATH_MAX], source[64];
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc < 2 || napi_get_value_int32(env, args[0], &fd) != napi_ok || fd < 0 ||
      !pathArgument(env, args[1], target, sizeof target) || (argc > 2 && napi_get_value_bool(env, args[2], &viaProc) != napi_ok)) {
    napi_throw_type_error(env, NULL, "linkUnnamedFile(fd, path[, viaProc]) takes a descriptor, a path and a boolean");
    return NULL;
  }
  bool triedEmptyPath = !viaProc && __atomic_load_n(&emptyPathLinks, __ATOMIC_RELAXED);
  if (triedEmptyPath) {
    if (linkat(fd, "", AT_FDCWD, target, AT_EMPTY_PATH) == 0) return int32Result(env, 0);
    /* Refused (ENOENT or EPERM without the privilege, EINVAL without AT_EMPTY_PATH): try /proc. */
    if (errno != ENOENT && errno != EPERM && errno != EINVAL) return int32Result(env, errno);
  }
  snprintf(source, sizeof source, "/proc/self/fd/%d", fd);
  if (linkat(AT_FDCWD, source, AT_FDCWD, target, AT_SYMLINK_FOLLOW) != 0) return int32Result(env, errno);
  if (triedEmptyPath) __atomic_store_n(&emptyPathLinks, 0, __ATOMIC_RELAXED);
  return int32Result(env, 0);
}
