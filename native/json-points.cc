/*
 * The "[v, t], [v, t]" text of a series' datapoints in graphite-web's JSON (json.dumps of
 * [value, timestamp] pairs), written straight into a byte buffer. Numbers get their shortest
 * round-trip digits from the C++ standard library (std::to_chars), laid out with Python's repr
 * rules where graphite-web writes floats and JavaScript's String() where gph writes integers; the
 * JavaScript writer in render-output.ts is the reference (a property test compares the two).
 * Formatting doubles is most of the cost of a JSON render: V8's number-to-string takes 130-150 ns
 * per value where to_chars takes a fraction of that.
 *
 * writeJsonPoints(values: Float64Array, known: Uint8Array | null, count, start, step, flags,
 *                 out: Uint8Array, offset) -> the offset after the last byte written.
 * flags: 1 = integers (integral values are written without ".0"), 2 = noNullPoints.
 * `out` must have POINT_BYTES_MAX bytes per point from `offset`.
 */
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include "addon.h"

/* Shortest round-trip std::to_chars for doubles came with GCC 11 (libstdc++) and LLVM 14 (libc++). */
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L

namespace {

constexpr int32_t FLAG_INTEGERS = 1;
constexpr int32_t FLAG_NO_NULL_POINTS = 2;
/* ", [" + "-1.2345678901234567e-308" + ", " + a 20-digit time + "]", rounded up. */
constexpr size_t POINT_BYTES_MAX = 56;

struct Decimal {
  char digits[24];
  int length;
  int exponent; /* value = d.ddd x 10^exponent */
};

/* The shortest round-trip digits of finite, non-zero |value|. */
Decimal shortestDigits(double magnitude) {
  char text[40];
  auto result = std::to_chars(text, text + sizeof text, magnitude, std::chars_format::scientific);
  Decimal decimal{};
  const char *p = text;
  while (p < result.ptr && *p != 'e') {
    if (*p != '.') decimal.digits[decimal.length++] = *p;
    p++;
  }
  int exponent = 0;
  bool negative = false;
  for (p++; p < result.ptr; p++) {
    if (*p == '-') negative = true;
    else if (*p >= '0' && *p <= '9') exponent = exponent * 10 + (*p - '0');
  }
  decimal.exponent = negative ? -exponent : exponent;
  return decimal;
}

/* "00" to "99": two digits per division. */
constexpr char DIGIT_PAIRS[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

char *writeUnsigned(char *out, uint64_t value) {
  char reversed[20];
  int n = 0;
  while (value >= 100) {
    const uint64_t pair = (value % 100) * 2;
    value /= 100;
    reversed[n++] = DIGIT_PAIRS[pair + 1];
    reversed[n++] = DIGIT_PAIRS[pair];
  }
  if (value >= 10) {
    reversed[n++] = DIGIT_PAIRS[value * 2 + 1];
    reversed[n++] = DIGIT_PAIRS[value * 2];
  } else {
    reversed[n++] = static_cast<char>('0' + value);
  }
  while (n > 0) *out++ = reversed[--n];
  return out;
}

char *writeSigned(char *out, int64_t value) {
  if (value < 0) {
    *out++ = '-';
    return writeUnsigned(out, static_cast<uint64_t>(0) - static_cast<uint64_t>(value));
  }
  return writeUnsigned(out, static_cast<uint64_t>(value));
}

/* d.ddd x 10^exponent in fixed notation with at least `minFraction` fraction digits. */
char *writeFixed(char *out, const Decimal &d, int minFraction) {
  int fraction = 0;
  if (d.exponent >= 0) {
    for (int i = 0; i <= d.exponent; i++) *out++ = i < d.length ? d.digits[i] : '0';
    if (d.length > d.exponent + 1 || minFraction > 0) *out++ = '.';
    for (int i = d.exponent + 1; i < d.length; i++, fraction++) *out++ = d.digits[i];
  } else {
    *out++ = '0';
    *out++ = '.';
    for (int i = 0; i < -d.exponent - 1; i++, fraction++) *out++ = '0';
    for (int i = 0; i < d.length; i++, fraction++) *out++ = d.digits[i];
  }
  for (; fraction < minFraction; fraction++) *out++ = '0';
  return out;
}

/* The mantissa d or d.ddd, then 'e', the exponent's sign when negative (or always), its digits. */
char *writeExponent(char *out, const Decimal &d, bool alwaysSign, int minExponentDigits) {
  *out++ = d.digits[0];
  if (d.length > 1) {
    *out++ = '.';
    for (int i = 1; i < d.length; i++) *out++ = d.digits[i];
  }
  *out++ = 'e';
  int exponent = d.exponent;
  if (exponent < 0) {
    *out++ = '-';
    exponent = -exponent;
  } else if (alwaysSign) {
    *out++ = '+';
  }
  if (minExponentDigits > 1 && exponent < 10) *out++ = '0';
  return writeUnsigned(out, static_cast<uint64_t>(exponent));
}

/*
 * A non-integer 1e-4 <= |v| < 1e9 with three decimals at most (most metric values: 52.62, 0.5),
 * spelled without to_chars, or nullptr. k/1000 is then the shortest round-trip spelling: any two
 * such decimals are 0.001 apart while ulps here are below 2e-7 (py-format.ts's shortDecimal).
 */
char *writeShortDecimal(char *out, double v) {
  const double magnitude = std::fabs(v);
  if (!(magnitude < 1e9)) return nullptr;
  const double scaled = std::nearbyint(magnitude * 1000);
  if (scaled / 1000 != magnitude) return nullptr;
  const uint64_t thousandths = static_cast<uint64_t>(scaled);
  uint64_t fraction = thousandths % 1000;
  if (fraction == 0) return nullptr;
  if (v < 0) *out++ = '-';
  out = writeUnsigned(out, thousandths / 1000);
  *out++ = '.';
  *out++ = static_cast<char>('0' + fraction / 100);
  fraction %= 100;
  if (fraction != 0) {
    *out++ = static_cast<char>('0' + fraction / 10);
    fraction %= 10;
    if (fraction != 0) *out++ = static_cast<char>('0' + fraction);
  }
  return out;
}

/* One datapoint value, as render-output.ts's jsonNumber spells it. */
char *writeNumber(char *out, double v, bool integers) {
  const bool integral = std::trunc(v) == v;
  if (v >= 1e-4 ? v < 1e16 : (v <= -1e-4 && v > -1e16)) {
    if (integral) {
      out = writeSigned(out, static_cast<int64_t>(v));
      if (!integers) {
        *out++ = '.';
        *out++ = '0';
      }
      return out;
    }
    char *shortEnd = writeShortDecimal(out, v);
    if (shortEnd != nullptr) return shortEnd;
    /* In this range the shortest fixed notation has the shortest round-trip digits: JavaScript's and Python's spelling. */
    return std::to_chars(out, out + POINT_BYTES_MAX, v, std::chars_format::fixed).ptr;
  }
  if (std::isinf(v)) {
    if (v < 0) *out++ = '-';
    std::memcpy(out, "1e9999", 6);
    return out + 6;
  }
  if (v == 0) {
    /* JavaScript's String(-0) is "0"; Python's repr(-0.0) is "-0.0". */
    if (integers) {
      *out++ = '0';
      return out;
    }
    if (std::signbit(v)) *out++ = '-';
    std::memcpy(out, "0.0", 3);
    return out + 3;
  }
  if (v < 0) *out++ = '-';
  const Decimal d = shortestDigits(std::fabs(v));
  if (integers && integral) {
    /* JavaScript's String(): every integer digit below 1e21, exponent notation from there. */
    return d.exponent < 21 ? writeFixed(out, d, 0) : writeExponent(out, d, true, 1);
  }
  /* Python's repr(): fixed notation for exponents -4 to 15, else d.ddde-XX with two digits at least. */
  return d.exponent >= -4 && d.exponent < 16 ? writeFixed(out, d, 1) : writeExponent(out, d, true, 2);
}

}  // namespace

extern "C" napi_value WriteJsonPoints(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value args[8];
  void *values = nullptr;
  void *known = nullptr;
  void *out = nullptr;
  size_t valuesLength = 0;
  size_t knownLength = 0;
  size_t outLength = 0;
  napi_valuetype knownType;
  int32_t count;
  int64_t start;
  int64_t step;
  int32_t flags;
  int64_t offset;
  if (napi_get_cb_info(env, info, &argc, args, nullptr, nullptr) != napi_ok || argc < 8 ||
      !typedArrayOf(env, args[0], napi_float64_array, &values, &valuesLength) ||
      napi_typeof(env, args[1], &knownType) != napi_ok ||
      (knownType != napi_null && !typedArrayOf(env, args[1], napi_uint8_array, &known, &knownLength)) ||
      napi_get_value_int32(env, args[2], &count) != napi_ok || napi_get_value_int64(env, args[3], &start) != napi_ok ||
      napi_get_value_int64(env, args[4], &step) != napi_ok || napi_get_value_int32(env, args[5], &flags) != napi_ok ||
      !typedArrayOf(env, args[6], napi_uint8_array, &out, &outLength) ||
      napi_get_value_int64(env, args[7], &offset) != napi_ok || count < 0 ||
      static_cast<size_t>(count) > valuesLength || (known != nullptr && static_cast<size_t>(count) > knownLength) ||
      offset < 0 || static_cast<size_t>(offset) > outLength ||
      (outLength - static_cast<size_t>(offset)) / POINT_BYTES_MAX < static_cast<size_t>(count)) {
    napi_throw_type_error(env, nullptr,
                          "writeJsonPoints(values, known, count, start, step, flags, out, offset): out needs 56 bytes per point");
    return nullptr;
  }
  const double *v = static_cast<const double *>(values);
  const uint8_t *k = static_cast<const uint8_t *>(known);
  const bool integers = (flags & FLAG_INTEGERS) != 0;
  const bool noNullPoints = (flags & FLAG_NO_NULL_POINTS) != 0;
  char *const begin = static_cast<char *>(out) + offset;
  char *p = begin;
  int64_t t = start;
  for (int32_t i = 0; i < count; i++, t += step) {
    const double value = v[i];
    const bool isNull = (k != nullptr && k[i] == 0) || value != value;
    if (isNull && noNullPoints) continue;
    if (p != begin) {
      *p++ = ',';
      *p++ = ' ';
    }
    *p++ = '[';
    if (isNull) {
      std::memcpy(p, "null", 4);
      p += 4;
    } else {
      p = writeNumber(p, value, integers);
    }
    *p++ = ',';
    *p++ = ' ';
    p = writeSigned(p, t);
    *p++ = ']';
  }
  napi_value result;
  napi_create_int64(env, offset + (p - begin), &result);
  return result;
}

#else

/* Without it the addon has no JSON writer: `null` tells render-output.ts to use its own. */
extern "C" napi_value WriteJsonPoints(napi_env env, napi_callback_info) {
  napi_value none;
  napi_get_null(env, &none);
  return none;
}

#endif
