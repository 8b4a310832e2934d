/* The metric-name table that the native readers (line-points.c, pickle-points.c) intern names in. */
#ifndef GPH_NAME_TABLE_H
#define GPH_NAME_TABLE_H
#include <stdint.h>
#include "addon.h"

typedef struct NameTable NameTable;

/* The id of name[0, length), added when new (*added = true); -1 when memory ran out. */
int64_t internName(NameTable *table, const uint8_t *name, uint32_t length, bool *added);
/* Where the plain name at the start of line[0, length) ends (its first space), or -1 when it is not plain. */
int64_t plainNameEnd(const uint8_t *line, size_t length);
/* The table a JavaScript value holds (an external from createNameTable), or NULL. */
NameTable *tableArgument(napi_env env, napi_value value);

/* Readers' records: three doubles each; a kind >= 0 is a point of the name with that id. */
enum { NEW_NAME = -1, SLOW_LINE = -2, RESUME_AT = -3, RECORD_DOUBLES = 3 };

static inline void putRecord(double *out, size_t *used, double kind, double a, double b) {
  out[*used] = kind;
  out[*used + 1] = a;
  out[*used + 2] = b;
  *used += RECORD_DOUBLES;
}

#endif
