/*
 * Interned metric names for the native readers: a hash table from a name's bytes to a small id
 * (0, 1, 2, ... in the order names are first seen), so JavaScript makes a name's string once and
 * finds its cached points by id. Names are plain ones only (see plainNameEnd), so their bytes are
 * their text.
 *
 * createNameTable() -> table (an external)
 * clearNameTable(table)   forgets every name (ids start again from 0)
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "name-table.h"

enum { MAX_METRIC_NAME_BYTES = 4096, MAX_COMPONENT_BYTES = 251, INITIAL_SLOTS = 1024 };

typedef struct {
  uint32_t offset, length;
} NameEntry;

struct NameTable {
  /* The hash's secret seed, new for every table: names cannot be chosen to collide (as V8's Map and Python's dict seed theirs). */
  uint64_t seed;
  /* Open addressing, a power of two of slots: hash in the high 32 bits, id + 1 in the low (0: empty). */
  uint64_t *slots;
  uint32_t slotCount;
  /* Per id: where its name lies in the arena and how long it is (side by side: one cache line to reach). */
  NameEntry *names;
  uint32_t count, idCapacity;
  char *arena;
  size_t arenaUsed, arenaCapacity;
};

static uint32_t hashName(uint64_t seed, const uint8_t *name, size_t length) {
  uint64_t h = seed ^ (0x9e3779b97f4a7c15ULL * (length + 1));
  size_t i = 0;
  for (; i + 8 <= length; i += 8) {
    uint64_t word;
    memcpy(&word, name + i, 8);
    h = (h ^ word) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
    h = (h ^ seed) * 0x9e3779b97f4a7c15ULL;
  }
  /* The last 0-7 bytes, little-endian (a loop: memcpy of a variable length is a library call). */
  uint64_t tail = 0;
  for (size_t shift = 0; i < length; i++, shift += 8) tail |= (uint64_t)name[i] << shift;
  h = (h ^ tail) * 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 29;
  return (uint32_t)(h >> 32);
}

static void freeTable(NameTable *table) {
  free(table->slots);
  free(table->names);
  free(table->arena);
  memset(table, 0, sizeof *table);
}

static bool initTable(NameTable *table) {
  memset(table, 0, sizeof *table);
  if (getrandom(&table->seed, sizeof table->seed, GRND_NONBLOCK) != sizeof table->seed) table->seed = (uint64_t)(uintptr_t)table * 0x9e3779b97f4a7c15ULL;
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

int64_t internName(NameTable *table, const uint8_t *name, uint32_t length, bool *added) {
  const uint32_t hash = hashName(table->seed, name, length);
  const uint32_t mask = table->slotCount - 1;
  uint32_t at = hash & mask;
  for (uint64_t slot; (slot = table->slots[at]) != 0; at = (at + 1) & mask) {
    if ((uint32_t)(slot >> 32) != hash) continue;
    const uint32_t id = (uint32_t)slot - 1;
    if (table->names[id].length == length && memcmp(table->arena + table->names[id].offset, name, length) == 0) return id;
  }
  if (table->count == table->idCapacity) {
    const uint32_t capacity = table->idCapacity ? table->idCapacity * 2 : INITIAL_SLOTS;
    NameEntry *names = realloc(table->names, capacity * sizeof *names);
    if (!names) return -1;
    table->names = names;
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
  table->names[id] = (NameEntry){(uint32_t)table->arenaUsed, length};
  memcpy(table->arena + table->arenaUsed, name, length);
  table->arenaUsed += length;
  table->slots[at] = (uint64_t)hash << 32 | (id + 1);
  /* At most half the slots in use keeps probes short. */
  if (table->count * 2 > table->slotCount && !growSlots(table)) return -1;
  *added = true;
  return id;
}

/* What each byte is in a plain name (see plainNameEnd): printable ASCII but "/" and ";", "." between components, " " after. */
enum { NAME_BYTE = 0, NAME_DOT, NAME_END, NAME_REFUSED };
static const uint8_t nameByteKinds[256] = {
    [0 ... 0x1f] = NAME_REFUSED, [0x7f ... 0xff] = NAME_REFUSED, ['/'] = NAME_REFUSED, [';'] = NAME_REFUSED, ['.'] = NAME_DOT, [' '] = NAME_END,
};

int64_t plainNameEnd(const uint8_t *line, size_t length) {
  size_t componentStart = 0, i = 0;
  for (; i < length; i++) {
    const uint8_t kind = nameByteKinds[line[i]];
    if (kind == NAME_BYTE) continue;
    if (kind != NAME_DOT) {
      if (kind == NAME_END) break;
      return -1;
    }
    if (i == componentStart || i - componentStart > MAX_COMPONENT_BYTES) return -1;
    componentStart = i + 1;
  }
  return i > 0 && i <= MAX_METRIC_NAME_BYTES && componentStart < i && i - componentStart <= MAX_COMPONENT_BYTES ? (int64_t)i : -1;
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

NameTable *tableArgument(napi_env env, napi_value value) {
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

