/*
 * The plaintext protocol's common line, read in C: "name value timestamp\n" with a plain name
 * (metric-name.ts plainNameEnd: printable ASCII but "/" and ";", no empty component, components
 * and name within their limits), single spaces and plain decimal numbers of at most 15 digits
 * (parse-line.ts decimalAt: m / 10^k, the double Python's float() gives). Names are interned in
 * a hash table, so a point costs JavaScript no string and no Map lookup: it gets the name's id.
 * Every other line (tagged or non-ASCII names, exponents, "-1" timestamps, extra whitespace,
 * over-long lines, garbage) is handed back as a byte range for the JavaScript parser, in order.
 *
 * readLinePoints(table, bytes: Uint8Array, start, end, maxLineBytes, out: Float64Array) -> doubles written
 *   reads the lines of bytes[start, end) (end just past a "\n") into records of three doubles:
 *     [id >= 0, value, timestamp]   a point of the name with that id
 *     [NEW_NAME, from, to]          the next id (the table's count) is bytes[from, to)
 *     [SLOW_LINE, from, to]         a line (without its "\n") for the general parser
 *     [RESUME_AT, offset, 0]        out is full: call again from offset
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "name-table.h"

enum {
  /* A line can take two records (a new name, then its point). */
  MAX_DOUBLES_PER_LINE = 2 * RECORD_DOUBLES,
  MAX_DECIMAL_DIGITS = 15,
};

static const double POWERS_OF_TEN[MAX_DECIMAL_DIGITS + 1] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                                              1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/* bytes[from, to) as parse-line.ts's decimalAt reads it; false where it would not (the general parser decides). */
static bool decimalAt(const uint8_t *bytes, size_t from, size_t to, double *out) {
  size_t at = from;
  bool negative = false;
  if (at < to && (bytes[at] == '-' || bytes[at] == '+')) negative = bytes[at++] == '-';
  /* Exact in integers (15 digits are below 2^53), so the same double as summing in doubles, sooner. */
  uint64_t mantissa = 0;
  int digits = 0, fractionDigits = -1;
  for (; at < to; at++) {
    const uint8_t c = bytes[at];
    if (c >= '0' && c <= '9') {
      if (++digits > MAX_DECIMAL_DIGITS) return false;
      mantissa = mantissa * 10 + (uint64_t)(c - '0');
      if (fractionDigits >= 0) fractionDigits++;
    } else if (c == '.' && fractionDigits < 0) fractionDigits = 0;
    else return false;
  }
  if (digits == 0) return false;
  const double value = fractionDigits > 0 ? (double)mantissa / POWERS_OF_TEN[fractionDigits] : (double)mantissa;
  *out = negative ? -value : value;
  return true;
}

/* One line, bytes[from, to) without its "\n": a point's records, or false for the general parser. */
static bool readPoint(NameTable *table, const uint8_t *bytes, size_t from, size_t to, double *out, size_t *used, bool *failed) {
  const uint8_t *line = bytes + from;
  const size_t length = to - from;
  const int64_t first = plainNameEnd(line, length);
  if (first < 0 || (size_t)first >= length) return false;
  const uint8_t *space = memchr(line + first + 1, ' ', length - first - 1);
  if (!space || space == line + first + 1) return false;
  const size_t second = (size_t)(space - line);
  size_t stop = length;
  if (line[stop - 1] == '\r') stop--;
  double value, timestamp;
  if (!decimalAt(line, first + 1, second, &value) || !decimalAt(line, second + 1, stop, &timestamp)) return false;
  if (trunc(timestamp) == -1) return false; /* "now": the parser asks the clock */
  bool added = false;
  const int64_t id = internName(table, line, (uint32_t)first, &added);
  if (id < 0) {
    *failed = true;
    return false;
  }
  if (added) putRecord(out, used, NEW_NAME, (double)from, (double)(from + first));
  putRecord(out, used, (double)id, value, timestamp);
  return true;
}

napi_value ReadLinePoints(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value args[6];
  NameTable *table = NULL;
  void *data, *outData;
  size_t byteLength, outLength;
  int64_t start, end, maxLineBytes;
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc < 6 || !(table = tableArgument(env, args[0])) ||
      !typedArrayOf(env, args[1], napi_uint8_array, &data, &byteLength) || napi_get_value_int64(env, args[2], &start) != napi_ok ||
      napi_get_value_int64(env, args[3], &end) != napi_ok || napi_get_value_int64(env, args[4], &maxLineBytes) != napi_ok ||
      !typedArrayOf(env, args[5], napi_float64_array, &outData, &outLength) || start < 0 || end < start ||
      (size_t)end > byteLength || outLength < MAX_DOUBLES_PER_LINE + RECORD_DOUBLES) {
    napi_throw_type_error(env, NULL, "readLinePoints(table, bytes, start, end, maxLineBytes, out): a range within bytes and room for records");
    return NULL;
  }
  const uint8_t *bytes = data;
  double *out = outData;
  size_t used = 0;
  bool failed = false;
  for (size_t from = (size_t)start; from < (size_t)end;) {
    if (used + MAX_DOUBLES_PER_LINE + RECORD_DOUBLES > outLength) {
      putRecord(out, &used, RESUME_AT, (double)from, 0);
      break;
    }
    const uint8_t *newline = memchr(bytes + from, '\n', (size_t)end - from);
    const size_t to = newline ? (size_t)(newline - bytes) : (size_t)end;
    if ((int64_t)(to - from) > maxLineBytes || !readPoint(table, bytes, from, to, out, &used, &failed)) {
      if (failed) {
        napi_throw_error(env, NULL, "readLinePoints: out of memory for metric names");
        return NULL;
      }
      putRecord(out, &used, SLOW_LINE, (double)from, (double)to);
    }
    from = to + 1;
  }
  napi_value result;
  napi_create_double(env, (double)used, &result);
  return result;
}
