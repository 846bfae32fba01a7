#ifndef INSIGNE_PNG_SHIMS_H
#define INSIGNE_PNG_SHIMS_H
// libpng calls that may longjmp live in png_shims.c; Swift only sees these plain C functions.
// No libpng or zlib type appears in this header.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Status codes shared by the functions below.
#define INSIGNE_OK 0            /* success */
#define INSIGNE_ERR_DATA 1      /* corrupt / undecodable input (message filled in) */
#define INSIGNE_ERR_LIMIT 2     /* output or dimensions exceed the caller's cap */
#define INSIGNE_ERR_NOMEM 3     /* allocation failed */
#define INSIGNE_ERR_TRUNCATED 4 /* zlib stream ended early */
#define INSIGNE_ERR_ARGUMENT 5  /* invalid arguments */

/// CRC-32 (zlib) of `len` bytes, continuing from `crc` (start with 0).
uint32_t insigne_crc32(uint32_t crc, const uint8_t *buf, size_t len);
/// CRC-32 with PCLMULQDQ folding for long inputs when the CPU has it; identical results to insigne_crc32.
uint32_t insigne_crc32_fast(uint32_t crc, const uint8_t *buf, size_t len);
/// 1 when insigne_crc32_fast uses the carry-less multiply path on this CPU.
int insigne_crc32_uses_pclmul(void);

/// Upper bound of the zlib-compressed size of `src_len` bytes.
size_t insigne_deflate_bound(size_t src_len);

/// zlib-compresses `src` into `dst` (capacity `*dst_len`, set to the output size). Level 0–9 or -1.
int insigne_deflate(const uint8_t *src, size_t src_len, uint8_t *dst, size_t *dst_len, int level);

/// Inflates a complete zlib stream. On success `*out` is a malloc'd buffer (free with insigne_free)
/// of `*out_len` bytes, never more than `max_out`. Errors write a NUL-terminated message into `msg`.
int insigne_inflate(const uint8_t *src, size_t src_len, size_t max_out,
                    uint8_t **out, size_t *out_len, char *msg, size_t msg_cap);
/// The same with zlib's `windowBits` (15 zlib, 31 gzip, -15 raw deflate).
int insigne_inflate_window(const uint8_t *src, size_t src_len, size_t max_out,
                           uint8_t **out, size_t *out_len, char *msg, size_t msg_cap, int window_bits);

/// Frees a buffer returned by this module.
void insigne_free(void *p);

/// IHDR fields reported by the decoders.
typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;
    int color_type;
    int interlaced;
} insigne_png_header;

/// Fully decodes a PNG with libpng (every row of every pass, then through IEND; CRCs checked,
/// ancillary CRC errors are fatal too). Only one row buffer is allocated, after the IHDR
/// dimensions were checked against max_width/max_height (INSIGNE_ERR_LIMIT).
/// Errors copy libpng's message into `msg`.
int insigne_png_decode_check(const uint8_t *data, size_t len, uint32_t max_width, uint32_t max_height,
                             insigne_png_header *header, char *msg, size_t msg_cap);

/// Decodes a PNG to 8-bit RGBA (libpng simplified API). On success `*pixels` is a malloc'd buffer
/// (free with insigne_free) of width*height*4 bytes. Dimensions are checked before allocation.
int insigne_png_decode_rgba(const uint8_t *data, size_t len, uint32_t max_width, uint32_t max_height,
                            uint8_t **pixels, uint32_t *width, uint32_t *height, char *msg, size_t msg_cap);

#ifdef __cplusplus
}
#endif

#endif
