/*
 * The coverage of a chart series' stroke: src/lib/render/chart/line-rasterizer.ts in C, operation
 * for operation in the same order on the same doubles and floats (built without contracting
 * multiply-adds), so it gives exactly what the TypeScript gives (a property test holds them to
 * that); the TypeScript stays the reference and the fallback, and its comments explain the
 * geometry. The series comes packed as stroke-jobs.ts packs a chart's series.
 *
 * coverSeries(packed: Float64Array, index, width, height): { pixels: Int32Array, cover: Float32Array }
 * Each thread (its own Node environment) has its own scratch, kept between charts of one size.
 * compositeCoverage (below) blends a coverage onto the picture.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "addon.h"

#define MITER_LIMIT 10.0
#define CHUNK_SEGMENTS 8
#define SHARP_TURN_COSINE (-0.95)
#define MIN_COVER (1.0 / 512)
#define MAX_KEPT_SCRATCH_PIXELS 4000000.0
/* Numbers per series in the packed array before its lines: width, the clip's four edges, the line count. */
#define SERIES_HEADER 6

typedef struct {
  int width, height;
  double *area;
  int top, bottom;
  int32_t *rowLeft, *rowRight;
  float *drawn;
  int32_t *touched;
  size_t touchedCount, touchedCapacity;
  int failed; /* no memory for the touched list */
} Accumulator;

typedef struct {
  double x0, y0, x1, y1;
} Clip;

static void freeAccumulator(Accumulator *acc) {
  if (!acc) return;
  free(acc->area);
  free(acc->rowLeft);
  free(acc->rowRight);
  free(acc->drawn);
  free(acc->touched);
  free(acc);
}

static void finalizeScratch(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  freeAccumulator(*(Accumulator **)data);
  free(data);
}

/* This environment's scratch holder (napi instance data: one per thread). */
static Accumulator **scratchHolder(napi_env env) {
  void *data = NULL;
  if (napi_get_instance_data(env, &data) == napi_ok && data) return data;
  Accumulator **holder = calloc(1, sizeof *holder);
  if (!holder || napi_set_instance_data(env, holder, finalizeScratch, NULL) != napi_ok) {
    free(holder);
    return NULL;
  }
  return holder;
}

static Accumulator *accumulatorFor(Accumulator **holder, int width, int height) {
  Accumulator *acc = *holder;
  if (acc && acc->width == width && acc->height == height) return acc;
  freeAccumulator(acc);
  *holder = NULL;
  acc = calloc(1, sizeof *acc);
  if (!acc) return NULL;
  size_t pixels = (size_t)width * (size_t)height;
  acc->width = width;
  acc->height = height;
  acc->area = calloc((size_t)(width + 2) * (size_t)height, sizeof *acc->area);
  acc->rowLeft = malloc((size_t)height * sizeof *acc->rowLeft);
  acc->rowRight = malloc((size_t)height * sizeof *acc->rowRight);
  acc->drawn = calloc(pixels, sizeof *acc->drawn);
  acc->touchedCapacity = 1024;
  acc->touched = malloc(acc->touchedCapacity * sizeof *acc->touched);
  if (!acc->area || !acc->rowLeft || !acc->rowRight || !acc->drawn || !acc->touched) {
    freeAccumulator(acc);
    return NULL;
  }
  for (int row = 0; row < height; row++) {
    acc->rowLeft[row] = width + 2;
    acc->rowRight[row] = -1;
  }
  acc->top = height;
  acc->bottom = -1;
  *holder = acc;
  return acc;
}

/* `v | 0` of a number in 0 ..= width, as JavaScript has it (NaN is 0). */
static inline int wholePart(double v) {
  return v == v ? (int)v : 0;
}

static void addEdge(Accumulator *acc, double x0, double y0, double x1, double y1) {
  if (!(y0 < y1 || y0 > y1) || !isfinite(x0) || !isfinite(x1)) return;
  double direction = 1;
  if (y0 > y1) {
    direction = -1;
    double x = x0, y = y0;
    x0 = x1;
    y0 = y1;
    x1 = x;
    y1 = y;
  }
  const int width = acc->width;
  double *area = acc->area;
  double slope = (x1 - x0) / (y1 - y0);
  double top = y0 > 0 ? y0 : 0;
  double bottom = y1 < acc->height ? y1 : acc->height;
  if (top >= bottom) return;
  const size_t stride = (size_t)width + 2;
  double x = slope == 0 ? x0 : x0 + (top - y0) * slope;
  int32_t *rowLeft = acc->rowLeft, *rowRight = acc->rowRight;
  const int firstRow = (int)top;
  int row = firstRow;
  for (double rowTop = top; rowTop < bottom; row++) {
    double rowBottom = row + 1 < bottom ? row + 1 : bottom;
    double dy = rowBottom - rowTop;
    rowTop = rowBottom;
    double xNext = x + slope * dy;
    double d = dy * direction;
    double left = x < xNext ? x : xNext;
    double right = x < xNext ? xNext : x;
    x = xNext;
    left = left < 0 ? 0 : left > width ? width : left;
    right = right < 0 ? 0 : right > width ? width : right;
    int first = wholePart(left);
    int rightFloor = wholePart(right);
    int lastEdge = rightFloor < right ? rightFloor + 1 : rightFloor;
    size_t base = (size_t)row * stride + (size_t)first;
    if (first < rowLeft[row]) rowLeft[row] = first;
    if (lastEdge + 1 > rowRight[row]) rowRight[row] = lastEdge + 1;
    if (lastEdge <= first + 1) {
      double inside = (left + right) / 2 - first;
      area[base] += d * (1 - inside);
      area[base + 1] += d * inside;
      continue;
    }
    double perColumn = 1 / (right - left);
    double leftPart = left - first;
    double headArea = 0.5 * perColumn * (1 - leftPart) * (1 - leftPart);
    double rightPart = right - lastEdge + 1;
    double tailArea = 0.5 * perColumn * rightPart * rightPart;
    int span = lastEdge - first;
    area[base] += d * headArea;
    if (span == 2) {
      area[base + 1] += d * (1 - headArea - tailArea);
    } else {
      double second = perColumn * (1.5 - leftPart);
      area[base + 1] += d * (second - headArea);
      for (int column = 2; column < span - 1; column++) area[base + (size_t)column] += d * perColumn;
      area[base + (size_t)span - 1] += d * (1 - second - (span - 3) * perColumn - tailArea);
    }
    area[base + (size_t)span] += d * tailArea;
  }
  if (firstRow < acc->top) acc->top = firstRow;
  if (row - 1 > acc->bottom) acc->bottom = row - 1;
}

static void addPolygon(Accumulator *acc, double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy) {
  double twiceArea = (cx - ax) * (dy - by) - (dx - bx) * (cy - ay);
  if (twiceArea > 0) {
    addEdge(acc, ax, ay, bx, by);
    addEdge(acc, bx, by, cx, cy);
    addEdge(acc, cx, cy, dx, dy);
    addEdge(acc, dx, dy, ax, ay);
  } else if (twiceArea < 0) {
    addEdge(acc, bx, by, ax, ay);
    addEdge(acc, cx, cy, bx, by);
    addEdge(acc, dx, dy, cx, cy);
    addEdge(acc, ax, ay, dx, dy);
  }
}

static int isMitered(double adx, double ady, double dx, double dy) {
  return 2 <= MITER_LIMIT * MITER_LIMIT * (1 + adx * dx + ady * dy);
}

static void addCorner(Accumulator *acc, double x, double y, double adx, double ady, double dx, double dy, double halfWidth, int whole) {
  double turn = adx * dy - ady * dx;
  if (turn == 0) return;
  double side = turn > 0 ? -halfWidth : halfWidth;
  double ax = -ady * side, ay = adx * side;
  double bx = -dy * side, by = dx * side;
  int miter = isMitered(adx, ady, dx, dy);
  double tip = miter ? (2 * halfWidth * halfWidth) / ((ax + bx) * (ax + bx) + (ay + by) * (ay + by)) : 0;
  double tipX = x + (ax + bx) * tip;
  double tipY = y + (ay + by) * tip;
  if (whole) {
    if (miter) addPolygon(acc, x, y, x + ax, y + ay, tipX, tipY, x + bx, y + by);
    else addPolygon(acc, x, y, x + ax, y + ay, x + bx, y + by, x + bx, y + by);
    return;
  }
  if (side > 0) {
    addEdge(acc, x - ax, y - ay, x, y);
    addEdge(acc, x, y, x - bx, y - by);
  } else {
    addEdge(acc, x, y, x - ax, y - ay);
    addEdge(acc, x - bx, y - by, x, y);
  }
  double lastX = miter ? tipX : x + bx;
  double lastY = miter ? tipY : y + by;
  if ((lastX - x) * (by - ay) - (bx - ax) * (lastY - y) > 0) {
    if (miter) {
      addEdge(acc, x + ax, y + ay, tipX, tipY);
      addEdge(acc, tipX, tipY, x + bx, y + by);
    } else {
      addEdge(acc, x + ax, y + ay, x + bx, y + by);
    }
  } else if (miter) {
    addEdge(acc, x + bx, y + by, tipX, tipY);
    addEdge(acc, tipX, tipY, x + ax, y + ay);
  } else {
    addEdge(acc, x + bx, y + by, x + ax, y + ay);
  }
}

/* Math.min / Math.max for the numbers they meet here (no NaN). */
static inline double minimum(double a, double b) {
  return a < b ? a : b;
}
static inline double maximum(double a, double b) {
  return a > b ? a : b;
}

static double overlap(double index, double low, double high) {
  return maximum(0, minimum(index + 1, high) - maximum(index, low));
}

static void touch(Accumulator *acc, int32_t pixel) {
  if (acc->touchedCount == acc->touchedCapacity) {
    int32_t *grown = realloc(acc->touched, acc->touchedCapacity * 2 * sizeof *grown);
    if (!grown) {
      acc->failed = 1;
      return;
    }
    acc->touched = grown;
    acc->touchedCapacity *= 2;
  }
  acc->touched[acc->touchedCount++] = pixel;
}

static void sweep(Accumulator *acc, const Clip *clip, int overlapping) {
  const int width = acc->width;
  double *area = acc->area;
  float *drawn = acc->drawn;
  const size_t stride = (size_t)width + 2;
  const int clipLeft = (int)minimum(width, maximum(0, floor(clip->x0)));
  const int clipRight = (int)maximum(0, minimum(width, ceil(clip->x1)));
  for (int row = acc->top; row <= acc->bottom; row++) {
    size_t base = (size_t)row * stride;
    double rowCover = overlap(row, clip->y0, clip->y1);
    int left = acc->rowLeft[row];
    int right = acc->rowRight[row] < width + 1 ? acc->rowRight[row] : width + 1;
    acc->rowLeft[row] = width + 2;
    acc->rowRight[row] = -1;
    double sum = 0;
    for (int column = left; column <= right; column++) {
      double cell = area[base + (size_t)column];
      if (cell == 0 && sum < MIN_COVER && sum > -MIN_COVER) continue;
      sum += cell;
      area[base + (size_t)column] = 0;
      double cover = sum < 0 ? -sum : sum;
      if (cover < MIN_COVER || column < clipLeft || column >= clipRight || rowCover == 0) continue;
      if (cover > 1) cover = 1;
      cover *= rowCover;
      if (column == clipLeft || column == clipRight - 1) cover *= overlap(column, clip->x0, clip->x1);
      int32_t pixel = row * width + column;
      double before = drawn[pixel];
      if (before == 0) {
        drawn[pixel] = (float)cover;
        if (drawn[pixel] != 0) touch(acc, pixel);
        continue;
      }
      double total = overlapping ? cover : before + cover;
      if (total > before) drawn[pixel] = (float)(total < 1 ? total : 1);
    }
  }
  acc->top = acc->height;
  acc->bottom = -1;
}

static void closeRun(Accumulator *acc, const Clip *clip, int overlapping, int open, double endX, double endY, double endNx, double endNy) {
  if (open) addEdge(acc, endX - endNx, endY - endNy, endX + endNx, endY + endNy);
  sweep(acc, clip, overlapping);
}

/* One line: `count` points at x, y, x, y, ... */
static void addStroke(Accumulator *acc, const double *line, size_t count, double lineWidth, const Clip *clip) {
  double halfWidth = lineWidth / 2;
  double previousDx = 0, previousDy = 0;
  int pending = 0, overlapping = 0, open = 0;
  double endX = 0, endY = 0, endNx = 0, endNy = 0;
  for (size_t i = 0; i + 3 < 2 * count; i += 2) {
    double ax = line[i], ay = line[i + 1], bx = line[i + 2], by = line[i + 3];
    double length = sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
    if (length == 0) continue;
    double dx = (bx - ax) / length, dy = (by - ay) / length;
    double nx = -dy * halfWidth, ny = dx * halfWidth;
    int corner = previousDx != 0 || previousDy != 0;
    if (pending > 0 && previousDx * dx + previousDy * dy < SHARP_TURN_COSINE) {
      closeRun(acc, clip, overlapping, open, endX, endY, endNx, endNy);
      open = 0;
      pending = 0;
      overlapping = 1;
    }
    if (corner) addCorner(acc, ax, ay, previousDx, previousDy, dx, dy, halfWidth, !open);
    if (!open) addEdge(acc, ax + nx, ay + ny, ax - nx, ay - ny);
    addEdge(acc, bx + nx, by + ny, ax + nx, ay + ny);
    addEdge(acc, ax - nx, ay - ny, bx - nx, by - ny);
    open = 1;
    endX = bx;
    endY = by;
    endNx = nx;
    endNy = ny;
    previousDx = dx;
    previousDy = dy;
    if (++pending == CHUNK_SEGMENTS) {
      closeRun(acc, clip, overlapping, open, endX, endY, endNx, endNy);
      open = 0;
      pending = 0;
      overlapping = 0;
    }
  }
  closeRun(acc, clip, overlapping, open, endX, endY, endNx, endNy);
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

napi_value CoverSeries(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  double *packed = NULL;
  size_t length = 0;
  uint32_t index = 0, width = 0, height = 0;
  if (argc < 4 || !typedArrayOf(env, argv[0], napi_float64_array, (void **)&packed, &length) || napi_get_value_uint32(env, argv[1], &index) != napi_ok ||
      napi_get_value_uint32(env, argv[2], &width) != napi_ok || napi_get_value_uint32(env, argv[3], &height) != napi_ok || width == 0 || height == 0 ||
      (uint64_t)width * height > INT32_MAX) {
    napi_throw_type_error(env, NULL, "coverSeries(packed, index, width, height): a Float64Array of packed series and whole numbers");
    return NULL;
  }
  /* Finds the series and checks its lines' counts against the array. */
  size_t at = 1;
  if (length < 1 || !(packed[0] > index)) return fail(env, "coverSeries: no such series in the packed array");
  for (uint32_t s = 0;; s++) {
    if (at + SERIES_HEADER > length) return fail(env, "coverSeries: the packed series are cut short");
    size_t end = at + SERIES_HEADER;
    for (double l = 0; l < packed[at + 5]; l++) {
      if (end >= length || !(packed[end] >= 0) || packed[end] != floor(packed[end]) || packed[end] * 2 > (double)(length - end - 1)) {
        return fail(env, "coverSeries: the packed series are cut short or malformed");
      }
      end += 1 + (size_t)packed[end] * 2;
    }
    if (s == index) break;
    at = end;
  }
  Accumulator **holder = scratchHolder(env);
  Accumulator *acc = holder ? accumulatorFor(holder, (int)width, (int)height) : NULL;
  if (!acc) return fail(env, "coverSeries: out of memory");
  double lineWidth = packed[at];
  Clip clip = {packed[at + 1], packed[at + 2], packed[at + 3], packed[at + 4]};
  double lines = packed[at + 5];
  at += SERIES_HEADER;
  acc->touchedCount = 0;
  acc->failed = 0;
  /* (A clip that is not finite draws nothing, as in line-rasterizer.ts.) */
  int draws = lineWidth > 0 && isfinite(clip.x0) && isfinite(clip.y0) && isfinite(clip.x1) && isfinite(clip.y1);
  for (double l = 0; l < lines; l++) {
    size_t points = (size_t)packed[at];
    if (draws) addStroke(acc, packed + at + 1, points, lineWidth, &clip);
    at += 1 + points * 2;
  }
  size_t count = acc->touchedCount;
  void *pixelData, *coverData;
  napi_value pixelBuffer, coverBuffer, pixels, cover, result;
  if (acc->failed || napi_create_arraybuffer(env, count * 4, &pixelData, &pixelBuffer) != napi_ok ||
      napi_create_arraybuffer(env, count * 4, &coverData, &coverBuffer) != napi_ok) {
    freeAccumulator(acc); /* (its coverage is not all in the touched list: made again next time) */
    *holder = NULL;
    return fail(env, "coverSeries: out of memory");
  }
  int32_t *pixelOut = pixelData;
  float *coverOut = coverData;
  for (size_t i = 0; i < count; i++) {
    int32_t pixel = acc->touched[i];
    pixelOut[i] = pixel;
    coverOut[i] = acc->drawn[pixel];
    acc->drawn[pixel] = 0;
  }
  if ((double)width * height > MAX_KEPT_SCRATCH_PIXELS) {
    freeAccumulator(*holder);
    *holder = NULL;
  }
  napi_create_typedarray(env, napi_int32_array, count, pixelBuffer, 0, &pixels);
  napi_create_typedarray(env, napi_float32_array, count, coverBuffer, 0, &cover);
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "pixels", pixels);
  napi_set_named_property(env, result, "cover", cover);
  return result;
}

/*
 * compositeCoverage(pixels: Uint8Array, indexes: Int32Array, cover: Float32Array, r, g, b, a):
 * line-rasterizer.ts's compositeCoverage (its reference and fallback), same arithmetic.
 */
/* A number stored into a Uint8Array: truncated, modulo 256, NaN and infinities as 0 (what it meets here is 0 ..= 255.5, unless a colour is out of range). */
static inline uint8_t uint8Of(double v) {
  if (v >= 0 && v < 256) return (uint8_t)v;
  if (!isfinite(v)) return 0;
  double wrapped = fmod(trunc(v), 256);
  return (uint8_t)(wrapped < 0 ? wrapped + 256 : wrapped);
}

napi_value CompositeCoverage(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint8_t *pixels = NULL;
  int32_t *indexes = NULL;
  float *cover = NULL;
  size_t pixelBytes = 0, count = 0, coverCount = 0;
  double color[4];
  int ok = argc == 7 && (typedArrayOf(env, argv[0], napi_uint8_array, (void **)&pixels, &pixelBytes) || typedArrayOf(env, argv[0], napi_uint8_clamped_array, (void **)&pixels, &pixelBytes)) &&
           pixelBytes % 4 == 0 && typedArrayOf(env, argv[1], napi_int32_array, (void **)&indexes, &count) &&
           typedArrayOf(env, argv[2], napi_float32_array, (void **)&cover, &coverCount) && coverCount == count;
  for (int i = 0; ok && i < 4; i++) ok = napi_get_value_double(env, argv[3 + i], &color[i]) == napi_ok;
  if (!ok) {
    napi_throw_type_error(env, NULL, "compositeCoverage(pixels, indexes, cover, r, g, b, a): RGBA bytes, an Int32Array and a Float32Array of one length, four numbers");
    return NULL;
  }
  const double r = color[0], g = color[1], b = color[2], alpha = color[3];
  if (!(alpha > 0)) return NULL;
  for (size_t i = 0; i < count; i++) {
    if (indexes[i] < 0 || (size_t)indexes[i] * 4 + 3 >= pixelBytes) continue; /* (never, from coverSeries) */
    double add = alpha * cover[i];
    uint8_t *pixel = pixels + (size_t)indexes[i] * 4;
    if (pixel[3] == 255) {
      /* (x += e on a Uint8Array stores x + e) */
      pixel[0] = uint8Of(pixel[0] + ((r - pixel[0]) * add + 0.5));
      pixel[1] = uint8Of(pixel[1] + ((g - pixel[1]) * add + 0.5));
      pixel[2] = uint8Of(pixel[2] + ((b - pixel[2]) * add + 0.5));
      continue;
    }
    double keep = (pixel[3] / 255.0) * (1 - add);
    double outAlpha = add + keep;
    if (outAlpha == 0) continue;
    pixel[0] = uint8Of((r * add + pixel[0] * keep) / outAlpha + 0.5);
    pixel[1] = uint8Of((g * add + pixel[1] * keep) / outAlpha + 0.5);
    pixel[2] = uint8Of((b * add + pixel[2] * keep) / outAlpha + 0.5);
    pixel[3] = uint8Of(outAlpha * 255 + 0.5);
  }
  return NULL;
}
