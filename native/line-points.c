/*
 * The plaintext protocol's common line, read in C: "name value timestamp\n" with a plain name
 * (metric-name.ts plainNameEnd: printable ASCII but "/" and ";", no empty component, components
 * and name within their limits), single spaces and plain decimal numbers of at most 15 digits
 * (parse-line.ts decimalAt: m / 10^k, the double Python's float() gives). Names are interned in
 * a hash table, so a point costs JavaScript no string and no Map lookup: it gets the name's id.
 * Every other line (tagged or non-ASCII names, exponents, "-1" timestamps, extra whitespace,
 * over-long lines, garbage) is handed back as a byte range for the JavaScript parser, in order.
 *
 * createNameTable() -> table (an external)
 * readLinePoints(table, bytes: Uint8Array, start, end, maxLineBytes, out: Float64Array) -> doubles written
 *   reads the lines of bytes[start, end) (end just past a "\n") into records of three doubles:
 *     [id >= 0, value, timestamp]   a point of the name with that id
 *     [NEW_NAME, from, to]          the next id (the table's count) is bytes[from, to)
 *     [SLOW_LINE, from, to]         a line (without its "\n") for the general parser
 *     [RESUME_AT, offset, 0]        out is full: call again from offset
 * clearNameTable(table)           forgets every name (ids start again from 0)
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "addon.h"

enum {
  NEW_NAME = -1,
  SLOW_LINE = -2,
  RESUME_AT = -3,
  RECORD_DOUBLES = 3,
  /* A line can take two records (a new name, then its point). */
  MAX_DOUBLES_PER_LINE = 2 * RECORD_DOUBLES,
  MAX_METRIC_NAME_BYTES = 4096,
  MAX_COMPONENT_BYTES = 251,
  MAX_DECIMAL_DIGITS = 15,
  INITIAL_SLOTS = 1024,
};

static const double POWERS_OF_TEN[MAX_DECIMAL_DIGITS + 1] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                                              1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

typedef struct {
  /* Open addressing, a power of two of slots: hash in the high 32 bits, id + 1 in the low (0: empty). */
  uint64_t *slots;
  uint32_t slotCount;
  /* Per id: where its name lies in the arena and how long it is. */
  uint32_t *nameOffsets;
  uint32_t *nameLengths;
  uint32_t count, idCapacity;
  char *arena;
  size_t arenaUsed, arenaCapacity;
} NameTable;

static uint32_t hashName(const uint8_t *name, size_t length) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ length;
  size_t i = 0;
  for (; i + 8 <= length; i += 8) {
    uint64_t word;
    memcpy(&word, name + i, 8);
    h = (h ^ word) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  uint64_t tail = 0;
  memcpy(&tail, name + i, length - i);
  h = (h ^ tail) * 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 29;
  return (uint32_t)(h >> 32);
}

static void freeTable(NameTable *table) {
  free(table->slots);
  free(table->nameOffsets);
  free(table->nameLengths);
  free(table->arena);
  memset(table, 0, sizeof *table);
}

static bool initTable(NameTable *table) {
  memset(table, 0, sizeof *table);
  table->slots = calloc(INITIAL_SLOTS, sizeof *table->slots);
  table->slotCount = INITIAL_SLOTS;
  return table->slots != NULL;
}

static bool growSlots(NameTable *table) {
  const uint32_t slotCount = table->slotCount * 2;
  uint64_t *slots = calloc(slotCount, sizeof *slots);
  if (!slots) return false;
  for (uint32_t i = 0; i < table->slotCount; i++) {
    const uint64_t slot = table->slots[i];
    if (!slot) continue;
    uint32_t at = (uint32_t)(slot >> 32) & (slotCount - 1);
    while (slots[at]) at = (at + 1) & (slotCount - 1);
    slots[at] = slot;
  }
  free(table->slots);
  table->slots = slots;
  table->slotCount = slotCount;
  return true;
}

/* The id of name, added when new (*added = true); -1 when memory ran out. */
static int64_t internName(NameTable *table, const uint8_t *name, uint32_t length, bool *added) {
  const uint32_t hash = hashName(name, length);
  const uint32_t mask = table->slotCount - 1;
  uint32_t at = hash & mask;
  for (uint64_t slot; (slot = table->slots[at]) != 0; at = (at + 1) & mask) {
    if ((uint32_t)(slot >> 32) != hash) continue;
    const uint32_t id = (uint32_t)slot - 1;
    if (table->nameLengths[id] == length && memcmp(table->arena + table->nameOffsets[id], name, length) == 0) return id;
  }
  if (table->count == table->idCapacity) {
    const uint32_t capacity = table->idCapacity ? table->idCapacity * 2 : INITIAL_SLOTS;
    uint32_t *offsets = realloc(table->nameOffsets, capacity * sizeof *offsets);
    if (!offsets) return -1;
    table->nameOffsets = offsets;
    uint32_t *lengths = realloc(table->nameLengths, capacity * sizeof *lengths);
    if (!lengths) return -1;
    table->nameLengths = lengths;
    table->idCapacity = capacity;
  }
  if (table->arenaUsed + length > table->arenaCapacity) {
    size_t capacity = table->arenaCapacity ? table->arenaCapacity * 2 : 1 << 16;
    while (capacity < table->arenaUsed + length) capacity *= 2;
    if (capacity > UINT32_MAX) return -1;
    char *arena = realloc(table->arena, capacity);
    if (!arena) return -1;
    table->arena = arena;
    table->arenaCapacity = capacity;
  }
  const uint32_t id = table->count++;
  table->nameOffsets[id] = (uint32_t)table->arenaUsed;
  table->nameLengths[id] = length;
  memcpy(table->arena + table->arenaUsed, name, length);
  table->arenaUsed += length;
  table->slots[at] = (uint64_t)hash << 32 | (id + 1);
  /* At most half the slots in use keeps probes short. */
  if (table->count * 2 > table->slotCount && !growSlots(table)) return -1;
  *added = true;
  return id;
}

/* bytes[from, to) as parse-line.ts's decimalAt reads it; false where it would not (the general parser decides). */
static bool decimalAt(const uint8_t *bytes, size_t from, size_t to, double *out) {
  size_t at = from;
  bool negative = false;
  if (at < to && (bytes[at] == '-' || bytes[at] == '+')) negative = bytes[at++] == '-';
  double mantissa = 0;
  int digits = 0, fractionDigits = -1;
  for (; at < to; at++) {
    const uint8_t c = bytes[at];
    if (c >= '0' && c <= '9') {
      if (++digits > MAX_DECIMAL_DIGITS) return false;
      mantissa = mantissa * 10 + (c - '0');
      if (fractionDigits >= 0) fractionDigits++;
    } else if (c == '.' && fractionDigits < 0) fractionDigits = 0;
    else return false;
  }
  if (digits == 0) return false;
  const double value = fractionDigits > 0 ? mantissa / POWERS_OF_TEN[fractionDigits] : mantissa;
  *out = negative ? -value : value;
  return true;
}

/* Where the plain name of line[0, length) ends (its first space), or -1 when the name is not plain. */
static int64_t plainNameEnd(const uint8_t *line, size_t length) {
  size_t componentStart = 0, i = 0;
  for (; i < length; i++) {
    const uint8_t c = line[i];
    if (c == ' ') break;
    if (c == '.') {
      if (i == componentStart) return -1;
      componentStart = i + 1;
    } else if (c < 0x20 || c >= 0x7f || c == '/' || c == ';' || i - componentStart >= MAX_COMPONENT_BYTES) return -1;
  }
  return i > 0 && i <= MAX_METRIC_NAME_BYTES && componentStart < i ? (int64_t)i : -1;
}

static void finalizeTable(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  freeTable(data);
  free(data);
}

napi_value CreateNameTable(napi_env env, napi_callback_info info) {
  (void)info;
  NameTable *table = malloc(sizeof *table);
  napi_value external;
  if (!table || !initTable(table)) {
    free(table);
    napi_throw_error(env, NULL, "createNameTable: out of memory");
    return NULL;
  }
  if (napi_create_external(env, table, finalizeTable, NULL, &external) != napi_ok) {
    finalizeTable(env, table, NULL);
    return NULL;
  }
  return external;
}

static NameTable *tableArgument(napi_env env, napi_value value) {
  napi_valuetype type;
  void *data = NULL;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external) return NULL;
  if (napi_get_value_external(env, value, &data) != napi_ok) return NULL;
  return data;
}

napi_value ClearNameTable(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  NameTable *table = NULL;
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc < 1 || !(table = tableArgument(env, args[0]))) {
    napi_throw_type_error(env, NULL, "clearNameTable(table)");
    return NULL;
  }
  freeTable(table);
  if (!initTable(table)) napi_throw_error(env, NULL, "clearNameTable: out of memory");
  return NULL;
}

static void putRecord(double *out, size_t *used, double kind, double a, double b) {
  out[*used] = kind;
  out[*used + 1] = a;
  out[*used + 2] = b;
  *used += RECORD_DOUBLES;
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
