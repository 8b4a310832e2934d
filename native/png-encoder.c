/*
 * PNG encoding of a chart's RGBA pixels, on two threads: the image is cut into bands of rows, each
 * band is filtered (Paeth, every row) and compressed on its own thread into deflate blocks of its
 * own, and the bands' blocks are joined into the one zlib stream a PNG holds (a band that is not
 * the last ends with an empty stored block, so the next starts on a byte; the streams' Adler-32
 * sums are combined). The compressor is made for filtered chart pixels, where most bytes are
 * zero: runs of a repeated byte become matches at distance 1 and everything else is a literal,
 * with a dynamic Huffman code per block of rows, as zlib's Z_RLE strategy does (an 800x600 chart:
 * ~0.8 ms and 220 kB, where Z_RLE takes 3.5 ms on one thread and fdeflate 2.3 ms and 260 kB).
 * Checksums come from the zlib Node is built with (its symbols are exported to addons).
 *
 * encodePng(pixels: Uint8Array | Uint8ClampedArray, width, height): Promise<Buffer>, the encoding
 * done off the JavaScript thread (the pixels must not change, nor their buffer be transferred,
 * until it settles: the array is kept alive, its memory is read in place).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
/* The Paeth filter has an AVX2 version, used when the processor has it. */
#define HAVE_AVX2_PAETH 1
static int hasAvx2;
#endif
#include "addon.h"

/* Bands: images smaller than this many bytes of pixels are encoded in one. */
#define MIN_PARALLEL_PIXEL_BYTES (256 * 1024)
#define MAX_BANDS 2
/* Filtered bytes compressed with one Huffman code (a block). */
#define BLOCK_INPUT_BYTES (512 * 1024)

#define PNG_SIGNATURE_BYTES 8
#define CHUNK_OVERHEAD_BYTES 12 /* length, type, CRC */
#define IHDR_DATA_BYTES 13
#define ZLIB_HEADER_BYTES 2
#define ADLER_BYTES 4
#define FILTER_PAETH 4
#define BYTES_PER_PIXEL 4

/* Deflate's literal/length alphabet (286 used codes), end of block, and match lengths. */
#define LITLEN_CODES 286
#define END_OF_BLOCK 256
#define MIN_MATCH 3
#define MAX_MATCH 258
#define MAX_CODE_BITS 15
/* A token: a literal byte (< 256), or MATCH_TOKEN + length - 3 for a match at distance 1 (< 512). */
#define MATCH_TOKEN 256
#define TOKEN_KINDS 512
/* The bits written for a token are at most 24, and their count is stored above them. */
#define TOKEN_BITS 24
#define TOKEN_BITS_MASK ((1u << TOKEN_BITS) - 1)
/* A repeated byte becomes a literal and a match when the run is at least this long. */
#define MIN_RUN 4

static const uint8_t CODE_LENGTH_ORDER[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

/* Per match length 3..258: its length code's offset from 257, and the table of base lengths / extra bits per code. */
static uint8_t lengthCodeOf[MAX_MATCH + 1];
static const uint16_t LENGTH_BASE[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t LENGTH_EXTRA_BITS[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static pthread_once_t tablesOnce = PTHREAD_ONCE_INIT;

static void buildTables(void) {
#ifdef HAVE_AVX2_PAETH
  hasAvx2 = __builtin_cpu_supports("avx2");
#endif
  for (int code = 0; code < 29; code++) {
    int end = code == 28 ? MAX_MATCH : LENGTH_BASE[code] + (1 << LENGTH_EXTRA_BITS[code]) - 1;
    for (int length = LENGTH_BASE[code]; length <= end && length <= MAX_MATCH; length++) lengthCodeOf[length] = (uint8_t)code;
  }
}

/* ---- Bits, written least significant first as deflate wants. ---- */

typedef struct {
  uint8_t *out;
  size_t at;
  uint64_t bits;
  int count;
} BitWriter;

/* Adds up to 56 bits (fewer than 8 stay pending): stores a whole word every time, so there is no branch (the buffer needs 8 bytes to spare). */
static inline void putBits(BitWriter *w, uint64_t value, int count) {
  w->bits |= value << w->count;
  w->count += count;
  memcpy(w->out + w->at, &w->bits, 8); /* (little-endian) */
  w->at += (size_t)(w->count >> 3);
  w->bits >>= w->count & ~7;
  w->count &= 7;
}

/* Writes out the pending bits, padding the byte with zeros. */
static void alignToByte(BitWriter *w) {
  if (w->count > 0) w->out[w->at++] = (uint8_t)w->bits;
  w->bits = 0;
  w->count = 0;
}

static uint32_t reverseBits(uint32_t code, int length) {
  uint32_t reversed = 0;
  for (int i = 0; i < length; i++, code >>= 1) reversed = (reversed << 1) | (code & 1);
  return reversed;
}

/* ---- Huffman code lengths limited to 15 bits. ---- */

typedef struct {
  uint32_t weight;
  int16_t parent;
} Node;

/* Sorts keys in place (Shell's sort with Ciura's gaps: a few hundred keys, no callback per comparison). */
static void sortKeys(uint64_t *keys, int count) {
  static const int GAPS[] = {132, 57, 23, 10, 4, 1};
  for (size_t g = 0; g < sizeof GAPS / sizeof GAPS[0]; g++) {
    int gap = GAPS[g];
    for (int i = gap; i < count; i++) {
      uint64_t key = keys[i];
      int j = i;
      for (; j >= gap && keys[j - gap] > key; j -= gap) keys[j] = keys[j - gap];
      keys[j] = key;
    }
  }
}

/*
 * Code lengths for `count` symbols of the given frequencies (unused symbols get 0). Built as a
 * Huffman tree; when a code would be longer than 15 bits the frequencies are flattened (halved,
 * keeping every used symbol at least 1) and the tree is built again. At least two symbols are
 * given a code, so the code is always complete, as inflaters require.
 */
static void codeLengths(const uint32_t *frequencies, int count, uint8_t *lengths) {
  uint32_t weights[LITLEN_CODES];
  /* Used symbols by weight (then symbol): weight << 16 | symbol. */
  uint64_t sorted[LITLEN_CODES];
  Node nodes[2 * LITLEN_CODES];
  int used = 0;
  for (int s = 0; s < count; s++) weights[s] = frequencies[s];
  for (int s = 0; s < count && used < 2; s++) used += weights[s] > 0;
  for (int s = 0; s < count && used < 2; s++) {
    if (weights[s] == 0) {
      weights[s] = 1;
      used++;
    }
  }
  for (;;) {
    int leaves = 0;
    for (int s = 0; s < count; s++) {
      lengths[s] = 0;
      if (weights[s] == 0) continue;
      sorted[leaves++] = (uint64_t)weights[s] << 16 | (uint64_t)s;
    }
    if (leaves < 2) return; /* (cannot happen: two symbols are always used) */
    sortKeys(sorted, leaves);
    for (int i = 0; i < leaves; i++) nodes[i] = (Node){(uint32_t)(sorted[i] >> 16), -1};
    /* Two queues: leaves in weight order, and inner nodes, which are made in weight order. */
    int nextLeaf = 0, nextInner = leaves, made = leaves;
    while (made < 2 * leaves - 1) {
      int pick[2];
      for (int k = 0; k < 2; k++) {
        if (nextLeaf < leaves && (nextInner >= made || nodes[nextLeaf].weight <= nodes[nextInner].weight)) pick[k] = nextLeaf++;
        else pick[k] = nextInner++;
      }
      nodes[made] = (Node){nodes[pick[0]].weight + nodes[pick[1]].weight, -1};
      nodes[pick[0]].parent = (int16_t)made;
      nodes[pick[1]].parent = (int16_t)made;
      made++;
    }
    /* Depths, from the root (the last node made) down: a parent is always made after its children. */
    uint8_t depth[2 * LITLEN_CODES];
    depth[made - 1] = 0;
    int longest = 0;
    for (int i = made - 2; i >= 0; i--) {
      depth[i] = (uint8_t)(depth[nodes[i].parent] + 1);
      if (i < leaves && depth[i] > longest) longest = depth[i];
    }
    if (longest <= MAX_CODE_BITS) {
      for (int i = 0; i < leaves; i++) lengths[sorted[i] & 0xffff] = depth[i];
      return;
    }
    for (int s = 0; s < count; s++) {
      if (weights[s] > 0) weights[s] = (weights[s] >> 1) | 1;
    }
  }
}

/* Canonical codes for the given lengths, bit-reversed for writing. */
static void canonicalCodes(const uint8_t *lengths, int count, uint32_t *codes) {
  uint32_t lengthCount[MAX_CODE_BITS + 1] = {0};
  uint32_t next[MAX_CODE_BITS + 2] = {0};
  for (int s = 0; s < count; s++) lengthCount[lengths[s]]++;
  lengthCount[0] = 0;
  for (int bits = 1; bits <= MAX_CODE_BITS; bits++) next[bits + 1] = (next[bits] + lengthCount[bits]) << 1;
  for (int s = 0; s < count; s++) {
    if (lengths[s] > 0) codes[s] = reverseBits(next[lengths[s]]++, lengths[s]);
  }
}

/* ---- One band of rows. ---- */

typedef struct {
  const uint8_t *pixels;
  uint32_t width, firstRow, endRow;
  int first, last;
  /* Results: the deflate bytes (after the zlib header when first), their length, the Adler-32 of the filtered rows. */
  uint8_t *out;
  size_t outBytes, outCapacity;
  uLong adler;
  int failed;
} Band;

/* PNG's Paeth predictor of a byte from the one to its left (a), above (b) and above left (c). */
static inline int paeth(int a, int b, int c) {
  int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

#ifdef __SSE2__
/* 16 bytes at a time, as 16-bit lanes: the same choices as paeth() (its differences, absolute values, ties to a, then b). */
static size_t paethSse2(const uint8_t *row, const uint8_t *above, size_t rowBytes, uint8_t *out, size_t x) {
  const __m128i zero = _mm_setzero_si128();
  for (; x + 16 <= rowBytes; x += 16) {
    __m128i left = _mm_loadu_si128((const void *)(row + x - BYTES_PER_PIXEL));
    __m128i up = _mm_loadu_si128((const void *)(above + x));
    __m128i upLeft = _mm_loadu_si128((const void *)(above + x - BYTES_PER_PIXEL));
    __m128i predicted[2];
    for (int half = 0; half < 2; half++) {
      __m128i a = half ? _mm_unpackhi_epi8(left, zero) : _mm_unpacklo_epi8(left, zero);
      __m128i b = half ? _mm_unpackhi_epi8(up, zero) : _mm_unpacklo_epi8(up, zero);
      __m128i c = half ? _mm_unpackhi_epi8(upLeft, zero) : _mm_unpacklo_epi8(upLeft, zero);
      __m128i da = _mm_sub_epi16(a, c), db = _mm_sub_epi16(b, c), dc = _mm_add_epi16(da, db);
      __m128i pa = _mm_max_epi16(db, _mm_sub_epi16(zero, db));
      __m128i pb = _mm_max_epi16(da, _mm_sub_epi16(zero, da));
      __m128i pc = _mm_max_epi16(dc, _mm_sub_epi16(zero, dc));
      __m128i notA = _mm_or_si128(_mm_cmpgt_epi16(pa, pb), _mm_cmpgt_epi16(pa, pc));
      __m128i notB = _mm_cmpgt_epi16(pb, pc);
      __m128i bOrC = _mm_or_si128(_mm_andnot_si128(notB, b), _mm_and_si128(notB, c));
      predicted[half] = _mm_or_si128(_mm_andnot_si128(notA, a), _mm_and_si128(notA, bOrC));
    }
    __m128i bytes = _mm_loadu_si128((const void *)(row + x));
    _mm_storeu_si128((void *)(out + x), _mm_sub_epi8(bytes, _mm_packus_epi16(predicted[0], predicted[1])));
  }
  return x;
}
#endif

#ifdef HAVE_AVX2_PAETH
/* paethSse2 with 32 bytes at a time, for processors that have AVX2 (unpacking and packing both work within 128-bit halves, so bytes stay in order). */
__attribute__((target("avx2"))) static size_t paethAvx2(const uint8_t *row, const uint8_t *above, size_t rowBytes, uint8_t *out, size_t x) {
  const __m256i zero = _mm256_setzero_si256();
  for (; x + 32 <= rowBytes; x += 32) {
    __m256i left = _mm256_loadu_si256((const void *)(row + x - BYTES_PER_PIXEL));
    __m256i up = _mm256_loadu_si256((const void *)(above + x));
    __m256i upLeft = _mm256_loadu_si256((const void *)(above + x - BYTES_PER_PIXEL));
    __m256i predicted[2];
    for (int half = 0; half < 2; half++) {
      __m256i a = half ? _mm256_unpackhi_epi8(left, zero) : _mm256_unpacklo_epi8(left, zero);
      __m256i b = half ? _mm256_unpackhi_epi8(up, zero) : _mm256_unpacklo_epi8(up, zero);
      __m256i c = half ? _mm256_unpackhi_epi8(upLeft, zero) : _mm256_unpacklo_epi8(upLeft, zero);
      __m256i da = _mm256_sub_epi16(a, c), db = _mm256_sub_epi16(b, c), dc = _mm256_add_epi16(da, db);
      __m256i pa = _mm256_abs_epi16(db), pb = _mm256_abs_epi16(da), pc = _mm256_abs_epi16(dc);
      __m256i notA = _mm256_or_si256(_mm256_cmpgt_epi16(pa, pb), _mm256_cmpgt_epi16(pa, pc));
      __m256i notB = _mm256_cmpgt_epi16(pb, pc);
      __m256i bOrC = _mm256_blendv_epi8(b, c, notB);
      predicted[half] = _mm256_blendv_epi8(a, bOrC, notA);
    }
    __m256i bytes = _mm256_loadu_si256((const void *)(row + x));
    _mm256_storeu_si256((void *)(out + x), _mm256_sub_epi8(bytes, _mm256_packus_epi16(predicted[0], predicted[1])));
  }
  return x;
}
#endif

/* The Paeth filter of one row (`above` is the row before, zeros for the first): filter byte, then bytes. */
static void paethRow(const uint8_t *row, const uint8_t *above, size_t rowBytes, uint8_t *filtered) {
  filtered[0] = FILTER_PAETH;
  uint8_t *out = filtered + 1;
  for (size_t x = 0; x < BYTES_PER_PIXEL; x++) out[x] = (uint8_t)(row[x] - above[x]);
  size_t x = BYTES_PER_PIXEL;
#ifdef HAVE_AVX2_PAETH
  if (hasAvx2) x = paethAvx2(row, above, rowBytes, out, x);
#endif
#ifdef __SSE2__
  x = paethSse2(row, above, rowBytes, out, x);
#endif
  for (; x < rowBytes; x++) out[x] = (uint8_t)(row[x] - paeth(row[x - BYTES_PER_PIXEL], above[x], above[x - BYTES_PER_PIXEL]));
}

/* How many bytes from `at` (at most `left`) equal `value`. */
static inline size_t runLength(const uint8_t *at, size_t left, uint8_t value) {
  uint64_t pattern = 0x0101010101010101ull * value;
  size_t run = 0;
  while (run + 8 <= left) {
    uint64_t word;
    memcpy(&word, at + run, 8);
    uint64_t differs = word ^ pattern;
    if (differs) return run + ((size_t)__builtin_ctzll(differs) >> 3); /* (little-endian) */
    run += 8;
  }
  while (run < left && at[run] == value) run++;
  return run;
}

/* Tokens for a filtered row. Returns the new token count (`tokens` needs 16 to spare). */
static size_t tokenize(const uint8_t *bytes, size_t length, uint16_t *tokens, size_t count) {
  size_t i = 0;
  while (i < length) {
#ifdef __SSE2__
    if (i + 17 <= length) {
      /* 16 bytes at a time: where the first run of MIN_RUN equal bytes starts among the first 13; the bytes before it are literals (all 16 are stored, the count moves on by those). */
      const __m128i zero = _mm_setzero_si128();
      __m128i here = _mm_loadu_si128((const void *)(bytes + i));
      uint32_t equal = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(here, _mm_loadu_si128((const void *)(bytes + i + 1)))); /* bit k: bytes k and k + 1 are equal */
      uint32_t runStarts = equal & (equal >> 1) & (equal >> 2) & 0x1fff;
      int literals = runStarts ? __builtin_ctz(runStarts) : 13;
      _mm_storeu_si128((void *)(tokens + count), _mm_unpacklo_epi8(here, zero));
      _mm_storeu_si128((void *)(tokens + count + 8), _mm_unpackhi_epi8(here, zero));
      count += (size_t)literals;
      i += (size_t)literals;
      if (!runStarts) continue;
    }
#endif
    uint8_t value = bytes[i];
    size_t run = i + 1 < length && bytes[i + 1] == value ? runLength(bytes + i, length - i, value) : 1;
    i += run;
    if (run >= MIN_RUN) {
      tokens[count++] = value;
      for (run--; run >= MIN_MATCH;) {
        size_t length = run > MAX_MATCH ? MAX_MATCH : run;
        tokens[count++] = (uint16_t)(MATCH_TOKEN + length - MIN_MATCH);
        run -= length;
      }
    }
    while (run-- > 0) tokens[count++] = value;
  }
  return count;
}

/* How many tokens of each kind (four tables in turn: an increment does not wait for the one before). */
static void countKinds(const uint16_t *tokens, size_t count, uint32_t *kinds) {
  uint32_t tables[4][TOKEN_KINDS] = {{0}};
  size_t t = 0;
  for (; t + 4 <= count; t += 4) {
    tables[0][tokens[t]]++;
    tables[1][tokens[t + 1]]++;
    tables[2][tokens[t + 2]]++;
    tables[3][tokens[t + 3]]++;
  }
  for (; t < count; t++) tables[0][tokens[t]]++;
  for (int kind = 0; kind < TOKEN_KINDS; kind++) kinds[kind] = tables[0][kind] + tables[1][kind] + tables[2][kind] + tables[3][kind];
}

/* Makes room for `bytes` more output; false when there is no memory. */
static int reserve(Band *band, BitWriter *w, size_t bytes) {
  bytes += 8; /* (putBits stores whole words) */
  if (w->at + bytes <= band->outCapacity) return 1;
  size_t capacity = (w->at + bytes) * 2;
  uint8_t *grown = realloc(w->out, capacity);
  if (!grown) return 0;
  w->out = grown;
  band->outCapacity = capacity;
  return 1;
}

/* One dynamic Huffman block of `count` tokens. */
static void writeBlock(BitWriter *w, const uint16_t *tokens, size_t count, int final) {
  uint32_t kinds[TOKEN_KINDS];
  countKinds(tokens, count, kinds);
  uint32_t frequencies[LITLEN_CODES] = {0};
  for (int token = 0; token < MATCH_TOKEN; token++) frequencies[token] = kinds[token];
  for (int length = MIN_MATCH; length <= MAX_MATCH; length++) frequencies[257 + lengthCodeOf[length]] += kinds[MATCH_TOKEN + length - MIN_MATCH];
  frequencies[END_OF_BLOCK] = 1;
  uint8_t lengths[LITLEN_CODES];
  uint32_t codes[LITLEN_CODES] = {0}; /* (unused symbols keep 0) */
  codeLengths(frequencies, LITLEN_CODES, lengths);
  canonicalCodes(lengths, LITLEN_CODES, codes);
  /* Each kind of token as the bits written for it (a literal's code, or a length's code, extra bits and distance code 0, one 0 bit: at most 21), and their count above TOKEN_BITS. */
  uint32_t tokenBits[TOKEN_KINDS];
  for (int token = 0; token < MATCH_TOKEN; token++) tokenBits[token] = codes[token] | (uint32_t)lengths[token] << TOKEN_BITS;
  for (int length = MIN_MATCH; length <= MAX_MATCH; length++) {
    int code = lengthCodeOf[length], symbol = 257 + code;
    uint32_t bits = codes[symbol] | (uint32_t)(length - LENGTH_BASE[code]) << lengths[symbol];
    tokenBits[MATCH_TOKEN + length - MIN_MATCH] = bits | (uint32_t)(lengths[symbol] + LENGTH_EXTRA_BITS[code] + 1) << TOKEN_BITS;
  }
  putBits(w, final ? 1 : 0, 1);      /* BFINAL */
  putBits(w, 2, 2);                  /* dynamic Huffman codes */
  putBits(w, LITLEN_CODES - 257, 5); /* HLIT */
  putBits(w, 0, 5);                  /* HDIST: one distance code */
  putBits(w, 19 - 4, 4);             /* HCLEN: all 19 code length codes */
  /* The code length code: 0–15 at 4 bits each (16–18 unused), so each length is written as itself, bit-reversed. */
  for (int i = 0; i < 19; i++) putBits(w, CODE_LENGTH_ORDER[i] >= 16 ? 0 : 4, 3);
  for (int s = 0; s < LITLEN_CODES; s++) putBits(w, reverseBits(lengths[s], 4), 4);
  putBits(w, reverseBits(1, 4), 4); /* distance code 0 (distance 1): one bit, code 0 */
  /* (The writer's state in locals: stores through its byte pointer could otherwise change it, as far as the compiler knows.) */
  uint8_t *out = w->out;
  size_t at = w->at;
  uint64_t bits = w->bits;
  int pending = w->count;
  for (size_t t = 0; t < count; t += 2) {
    /* Two tokens (at most 42 bits, with at most 7 pending) before the bits are stored; an odd last token is followed by no bits. */
    uint32_t first = tokenBits[tokens[t]], second = t + 1 < count ? tokenBits[tokens[t + 1]] : 0;
    bits |= (uint64_t)(first & TOKEN_BITS_MASK) << pending;
    pending += (int)(first >> TOKEN_BITS);
    bits |= (uint64_t)(second & TOKEN_BITS_MASK) << pending;
    pending += (int)(second >> TOKEN_BITS);
    memcpy(out + at, &bits, 8);
    at += (size_t)(pending >> 3);
    bits >>= pending & ~7;
    pending &= 7;
  }
  w->at = at;
  w->bits = bits;
  w->count = pending;
  putBits(w, codes[END_OF_BLOCK], lengths[END_OF_BLOCK]);
}

/*
 * Filters and compresses a band's rows, a block every BLOCK_INPUT_BYTES or so of filtered bytes
 * (each block gets its own code, and the tokens waiting for it stay few).
 */
static void encodeBand(Band *band) {
  const size_t rowBytes = (size_t)band->width * BYTES_PER_PIXEL;
  const size_t blockRows = BLOCK_INPUT_BYTES / (rowBytes + 1) + 1;
  uint8_t *filtered = malloc(rowBytes + 1);
  uint8_t *zeros = band->firstRow == 0 ? calloc(1, rowBytes) : NULL;
  uint16_t *tokens = malloc((blockRows * (rowBytes + 1) + 16) * sizeof *tokens);
  BitWriter w = {NULL, 0, 0, 0};
  band->outCapacity = 0;
  if (!filtered || !tokens || (band->firstRow == 0 && !zeros) || !reserve(band, &w, ZLIB_HEADER_BYTES)) goto fail;
  if (band->first) {
    w.out[w.at++] = 0x78; /* deflate, 32 KiB window */
    w.out[w.at++] = 0x01; /* no dictionary, fastest; (0x7801 % 31 == 0) */
  }
  band->adler = adler32(0L, Z_NULL, 0);
  for (size_t y = band->firstRow; y < band->endRow;) {
    size_t end = y + blockRows < band->endRow ? y + blockRows : band->endRow;
    size_t count = 0;
    for (; y < end; y++) {
      const uint8_t *row = band->pixels + y * rowBytes;
      paethRow(row, y == 0 ? zeros : row - rowBytes, rowBytes, filtered);
      band->adler = adler32(band->adler, filtered, (uInt)(rowBytes + 1));
      count = tokenize(filtered, rowBytes + 1, tokens, count);
    }
    /* At most 15 + 5 + 1 bits a token, the block's header, the stored block that may follow, whole words. */
    if (!reserve(band, &w, count * 3 + 1024)) goto fail;
    writeBlock(&w, tokens, count, band->last && y == band->endRow);
  }
  if (!band->last) {
    putBits(&w, 0, 3); /* an empty stored block: the next band starts on a byte */
    alignToByte(&w);
    w.out[w.at++] = 0x00;
    w.out[w.at++] = 0x00;
    w.out[w.at++] = 0xff;
    w.out[w.at++] = 0xff;
  } else {
    alignToByte(&w);
  }
  band->out = w.out;
  band->outBytes = w.at;
  free(filtered);
  free(zeros);
  free(tokens);
  return;
fail:
  band->failed = 1;
  free(w.out);
  free(filtered);
  free(zeros);
  free(tokens);
}

/* ---- The whole file. ---- */

static uint8_t *putUint32(uint8_t *at, uint32_t value) {
  at[0] = (uint8_t)(value >> 24);
  at[1] = (uint8_t)(value >> 16);
  at[2] = (uint8_t)(value >> 8);
  at[3] = (uint8_t)value;
  return at + 4;
}

/* Writes a chunk of `type` whose data is already at at + 8 (length `dataBytes`); returns the end. */
static uint8_t *closeChunk(uint8_t *at, const char *type, size_t dataBytes) {
  putUint32(at, (uint32_t)dataBytes);
  memcpy(at + 4, type, 4);
  uLong crc = crc32(crc32(0L, Z_NULL, 0), at + 4, (uInt)(dataBytes + 4));
  return putUint32(at + 8 + dataBytes, (uint32_t)crc);
}

/* One encoding: its bands are separate pieces of work on libuv's thread pool; the last to finish writes the file. */
typedef struct {
  napi_deferred deferred;
  napi_ref pixelsRef;
  uint32_t width, height;
  int bands;
  Band band[MAX_BANDS];
  napi_async_work work[MAX_BANDS];
  /* Bands still being encoded (pool threads), and pieces of work not yet completed (JavaScript thread). */
  atomic_int unfinished;
  int uncompleted;
  /* Some piece of work did not run (cancelled: not expected). */
  int cancelled;
  uint8_t *png;
  size_t pngBytes;
} EncodeJob;

typedef struct {
  EncodeJob *job;
  int index;
} BandWork;

/* Joins the bands into the PNG file (signature, header, one data chunk, end); leaves png NULL on failure. */
static void assemble(EncodeJob *job) {
  size_t idatBytes = ADLER_BYTES;
  uLong adler = job->band[0].adler;
  for (int i = 0; i < job->bands; i++) {
    Band *band = &job->band[i];
    if (band->failed) return;
    idatBytes += band->outBytes;
    if (i > 0) adler = adler32_combine(adler, band->adler, (z_off_t)((band->endRow - band->firstRow) * ((size_t)job->width * BYTES_PER_PIXEL + 1)));
  }
  uint8_t *png = malloc(PNG_SIGNATURE_BYTES + 3 * CHUNK_OVERHEAD_BYTES + IHDR_DATA_BYTES + idatBytes);
  if (!png) return;
  static const uint8_t signature[PNG_SIGNATURE_BYTES] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
  uint8_t *at = png;
  memcpy(at, signature, PNG_SIGNATURE_BYTES);
  at += PNG_SIGNATURE_BYTES;
  uint8_t *data = at + 8;
  data = putUint32(data, job->width);
  data = putUint32(data, job->height);
  *data++ = 8; /* bits per sample */
  *data++ = 6; /* RGBA */
  *data++ = 0; /* deflate */
  *data++ = 0; /* adaptive filtering */
  *data = 0;   /* not interlaced */
  at = closeChunk(at, "IHDR", IHDR_DATA_BYTES);
  data = at + 8;
  for (int i = 0; i < job->bands; i++) {
    memcpy(data, job->band[i].out, job->band[i].outBytes);
    data += job->band[i].outBytes;
  }
  putUint32(data, (uint32_t)adler);
  at = closeChunk(at, "IDAT", idatBytes);
  at = closeChunk(at, "IEND", 0);
  job->pngBytes = (size_t)(at - png);
  job->png = png;
}

static void executeBand(napi_env env, void *data) {
  (void)env;
  BandWork *work = data;
  EncodeJob *job = work->job;
  encodeBand(&job->band[work->index]);
  if (atomic_fetch_sub_explicit(&job->unfinished, 1, memory_order_acq_rel) == 1) assemble(job);
}

static void freePng(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static void settle(napi_env env, EncodeJob *job) {
  napi_value result = NULL;
  if (job->png && !job->cancelled) {
    if (napi_create_external_buffer(env, job->pngBytes, job->png, freePng, NULL, &result) == napi_ok) {
      job->png = NULL; /* (now the buffer's) */
    } else {
      void *copy;
      if (napi_create_buffer_copy(env, job->pngBytes, job->png, &copy, &result) != napi_ok) result = NULL;
    }
  }
  if (result) {
    napi_resolve_deferred(env, job->deferred, result);
  } else {
    napi_value message, error;
    napi_create_string_utf8(env, "PNG encoding failed (out of memory)", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, job->deferred, error);
  }
  free(job->png);
  for (int i = 0; i < job->bands; i++) free(job->band[i].out);
  napi_delete_reference(env, job->pixelsRef);
  free(job);
}

static void completeBand(napi_env env, napi_status status, void *data) {
  BandWork *work = data;
  EncodeJob *job = work->job;
  napi_delete_async_work(env, job->work[work->index]);
  free(work);
  if (status != napi_ok) job->cancelled = 1;
  if (--job->uncompleted == 0) settle(env, job);
}

napi_value EncodePng(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  void *pixels = NULL;
  size_t length = 0;
  uint32_t width = 0, height = 0;
  int isBytes = argc == 3 && (typedArrayOf(env, argv[0], napi_uint8_array, &pixels, &length) || typedArrayOf(env, argv[0], napi_uint8_clamped_array, &pixels, &length));
  if (!isBytes || napi_get_value_uint32(env, argv[1], &width) != napi_ok || napi_get_value_uint32(env, argv[2], &height) != napi_ok || width == 0 || height == 0 ||
      (uint64_t)width * height * BYTES_PER_PIXEL != length || (uint64_t)width * BYTES_PER_PIXEL + 1 > UINT32_MAX / 2) {
    napi_throw_type_error(env, NULL, "encodePng(pixels, width, height): pixels must be width x height x 4 bytes");
    return NULL;
  }
  pthread_once(&tablesOnce, buildTables);
  EncodeJob *job = calloc(1, sizeof *job);
  BandWork *works[MAX_BANDS] = {NULL};
  int bands = length >= MIN_PARALLEL_PIXEL_BYTES && height >= MAX_BANDS ? MAX_BANDS : 1;
  int allocated = job != NULL;
  for (int i = 0; i < bands; i++) allocated &= (works[i] = malloc(sizeof *works[i])) != NULL;
  if (!allocated) {
    free(job);
    for (int i = 0; i < bands; i++) free(works[i]);
    napi_throw_error(env, NULL, "PNG encoding failed (out of memory)");
    return NULL;
  }
  job->width = width;
  job->height = height;
  job->bands = bands;
  job->uncompleted = bands;
  atomic_init(&job->unfinished, bands);
  napi_value promise, name;
  int made = 0;
  if (napi_create_promise(env, &job->deferred, &promise) == napi_ok && napi_create_reference(env, argv[0], 1, &job->pixelsRef) == napi_ok &&
      napi_create_string_utf8(env, "gph:encodePng", NAPI_AUTO_LENGTH, &name) == napi_ok) {
    for (; made < bands; made++) {
      int i = made;
      job->band[i] = (Band){pixels, width, (uint32_t)((uint64_t)height * i / bands), (uint32_t)((uint64_t)height * (i + 1) / bands), i == 0, i == bands - 1, NULL, 0, 0, 0, 0};
      *works[i] = (BandWork){job, i};
      if (napi_create_async_work(env, NULL, name, executeBand, completeBand, works[i], &job->work[i]) != napi_ok) break;
    }
  }
  if (made < bands) {
    /* (Nothing was queued: the promise, if made, is dropped unsettled with the exception.) */
    for (int i = 0; i < made; i++) napi_delete_async_work(env, job->work[i]);
    if (job->pixelsRef) napi_delete_reference(env, job->pixelsRef);
    for (int i = 0; i < bands; i++) free(works[i]);
    free(job);
    napi_throw_error(env, NULL, "PNG encoding could not be started");
    return NULL;
  }
  for (int i = 0; i < bands; i++) napi_queue_async_work(env, job->work[i]);
  return promise;
}
