/*
 * The pickle receiver's common frame, read in C: pickle-datapoints.ts's readDatapointPickle (a
 * list of (name, (timestamp, value)) tuples, as carbon's senders pickle them) with every name
 * plain, every timestamp finite and not "now" (-1), and no value NaN. Names are interned in the
 * line reader's table (name-table.c), so JavaScript gets (id, value, timestamp) records. Any
 * other frame is left whole to the JavaScript readers (nothing interned, no record written).
 *
 * readPicklePoints(table, frame: Uint8Array, out: Float64Array) -> doubles written, or -1
 *   records as readLinePoints's: [NEW_NAME, from, to] (a name's bytes in the frame), then
 *   [id, value, timestamp]; -1 when the frame is not such a frame or out has no room for it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "name-table.h"

enum {
  /* readDatapointPickle's limits: points per frame, memo puts per frame. */
  MAX_POINTS = 100000,
  MAX_MEMO_PUTS = 4 * MAX_POINTS,
  MAX_PROTOCOL = 5,
  /* A point can take two records (a new name, then the point). */
  MAX_DOUBLES_PER_POINT = 2 * RECORD_DOUBLES,
};

enum {
  OP_PROTO = 0x80,
  OP_FRAME = 0x95,
  OP_BINPUT = 0x71,
  OP_LONG_BINPUT = 0x72,
  OP_MEMOIZE = 0x94,
  OP_EMPTY_LIST = 0x5d,
  OP_MARK = 0x28,
  OP_BINUNICODE = 0x58,
  OP_SHORT_BINUNICODE = 0x8c,
  OP_BININT = 0x4a,
  OP_BININT1 = 0x4b,
  OP_BININT2 = 0x4d,
  OP_BINFLOAT = 0x47,
  OP_TUPLE2 = 0x86,
  OP_APPEND = 0x61,
  OP_APPENDS = 0x65,
  OP_STOP = 0x2e,
};

typedef struct {
  uint32_t nameFrom, nameLength;
  double numbers[2]; /* timestamp, value */
} Item;

static uint32_t readUint32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A point the line reader's rules take (else the JavaScript readers decide). */
static bool plainPoint(const uint8_t *frame, const Item *item) {
  const double timestamp = item->numbers[0];
  return plainNameEnd(frame + item->nameFrom, item->nameLength) == (int64_t)item->nameLength && isfinite(timestamp) &&
         trunc(timestamp) != -1 && !isnan(item->numbers[1]);
}

/* The frame's items (count in *count), or NULL when it is not the plain shape. Free the result. */
static Item *readItems(const uint8_t *bytes, size_t length, size_t *count) {
  Item *items = NULL;
  size_t itemCount = 0, itemCapacity = 0;
  size_t pos = 0;
  int depth = 0, shape = 0, waiting = 0, puts = 0;
  bool seenList = false, markOnTop = false;
  Item current = {0};
  for (;;) {
    if (pos >= length) goto refuse;
    const uint8_t op = bytes[pos++];
    switch (op) {
      case OP_PROTO:
        if (pos >= length || bytes[pos++] > MAX_PROTOCOL) goto refuse;
        continue;
      case OP_FRAME: {
        if (pos + 8 > length) goto refuse;
        uint64_t frameLength = readUint32(bytes + pos) | (uint64_t)readUint32(bytes + pos + 4) << 32;
        if (frameLength > length) goto refuse;
        pos += 8;
        continue;
      }
      case OP_BINPUT:
      case OP_LONG_BINPUT:
      case OP_MEMOIZE: {
        const size_t size = op == OP_BINPUT ? 1 : op == OP_LONG_BINPUT ? 4 : 0;
        if (pos + size > length || depth == 0 || markOnTop || ++puts > MAX_MEMO_PUTS) goto refuse;
        pos += size;
        continue;
      }
      case OP_EMPTY_LIST:
        if (seenList) goto refuse;
        seenList = true;
        depth = 1;
        continue;
      case OP_MARK:
        if (depth != 1 || shape != 0 || waiting != 0) goto refuse;
        depth = 2;
        markOnTop = true;
        continue;
      case OP_BINUNICODE:
      case OP_SHORT_BINUNICODE: {
        if (depth == 0 || shape != 0) goto refuse;
        size_t size;
        if (op == OP_BINUNICODE) {
          if (pos + 4 > length) goto refuse;
          size = readUint32(bytes + pos);
          pos += 4;
        } else {
          if (pos + 1 > length) goto refuse;
          size = bytes[pos++];
        }
        if (size > length - pos) goto refuse;
        for (size_t i = pos; i < pos + size; i++)
          if (bytes[i] >= 0x80) goto refuse;
        current.nameFrom = (uint32_t)pos;
        current.nameLength = (uint32_t)size;
        pos += size;
        shape = 1;
        markOnTop = false;
        continue;
      }
      case OP_BININT:
      case OP_BININT1:
      case OP_BININT2:
      case OP_BINFLOAT: {
        if (shape != 1 && shape != 2) goto refuse;
        const size_t size = op == OP_BININT ? 4 : op == OP_BININT1 ? 1 : op == OP_BININT2 ? 2 : 8;
        if (pos + size > length) goto refuse;
        double number;
        if (op == OP_BININT) number = (int32_t)readUint32(bytes + pos);
        else if (op == OP_BININT1) number = bytes[pos];
        else if (op == OP_BININT2) number = (uint16_t)(bytes[pos] | bytes[pos + 1] << 8);
        else {
          uint64_t raw = (uint64_t)readUint32(bytes + pos) | (uint64_t)readUint32(bytes + pos + 4) << 32;
          raw = __builtin_bswap64(raw); /* big-endian */
          memcpy(&number, &raw, sizeof number);
        }
        current.numbers[shape - 1] = number;
        pos += size;
        shape++;
        markOnTop = false;
        continue;
      }
      case OP_TUPLE2:
        if (shape == 3) shape = 4;
        else if (shape == 4) {
          shape = 0;
          waiting++;
          if (itemCount == MAX_POINTS) goto refuse;
          if (itemCount == itemCapacity) {
            itemCapacity = itemCapacity ? itemCapacity * 2 : 512;
            Item *grown = realloc(items, itemCapacity * sizeof *items);
            if (!grown) goto refuse;
            items = grown;
          }
          items[itemCount++] = current;
        } else goto refuse;
        continue;
      case OP_APPEND:
        if (depth != 1 || shape != 0 || waiting != 1) goto refuse;
        waiting = 0;
        continue;
      case OP_APPENDS:
        if (depth != 2 || shape != 0) goto refuse;
        depth = 1;
        waiting = 0;
        markOnTop = false;
        continue;
      case OP_STOP:
        if (depth != 1 || shape != 0 || waiting != 0 || pos != length) goto refuse;
        *count = itemCount;
        /* An empty list is a frame too: a non-NULL result for it. */
        return items ? items : malloc(sizeof *items);
      default:
        goto refuse;
    }
  }
refuse:
  free(items);
  return NULL;
}

napi_value ReadPicklePoints(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value args[3];
  NameTable *table = NULL;
  void *data, *outData;
  size_t length, outLength;
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc < 3 || !(table = tableArgument(env, args[0])) ||
      !typedArrayOf(env, args[1], napi_uint8_array, &data, &length) || !typedArrayOf(env, args[2], napi_float64_array, &outData, &outLength)) {
    napi_throw_type_error(env, NULL, "readPicklePoints(table, frame, out)");
    return NULL;
  }
  const uint8_t *frame = data;
  double *out = outData;
  size_t count = 0, used = 0;
  Item *items = readItems(frame, length, &count);
  bool plain = items != NULL && count * MAX_DOUBLES_PER_POINT <= outLength;
  for (size_t i = 0; plain && i < count; i++) plain = plainPoint(frame, &items[i]);
  for (size_t i = 0; plain && i < count; i++) {
    bool added = false;
    const int64_t id = internName(table, frame + items[i].nameFrom, items[i].nameLength, &added);
    if (id < 0) {
      free(items);
      napi_throw_error(env, NULL, "readPicklePoints: out of memory for metric names");
      return NULL;
    }
    if (added) putRecord(out, &used, NEW_NAME, items[i].nameFrom, items[i].nameFrom + items[i].nameLength);
    putRecord(out, &used, (double)id, items[i].numbers[1], items[i].numbers[0]);
  }
  free(items);
  napi_value result;
  napi_create_double(env, plain ? (double)used : -1, &result);
  return result;
}
