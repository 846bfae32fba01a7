#include "png_shims.h"

#include <png.h>
#include <zlib.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

static void copy_msg(char *dst, size_t cap, const char *src) {
    if (dst == NULL || cap == 0) return;
    if (src == NULL) src = "unknown error";
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

// MARK: - zlib

uint32_t insigne_crc32(uint32_t crc, const uint8_t *buf, size_t len) {
    if (buf == NULL || len == 0) return crc;
    return (uint32_t)crc32_z((uLong)crc, (const Bytef *)buf, (z_size_t)len);
}

size_t insigne_deflate_bound(size_t src_len) {
    return (size_t)compressBound((uLong)src_len);
}

int insigne_deflate(const uint8_t *src, size_t src_len, uint8_t *dst, size_t *dst_len, int level) {
    if (dst == NULL || dst_len == NULL || (src == NULL && src_len > 0)) return INSIGNE_ERR_ARGUMENT;
    if (level < -1 || level > 9) level = Z_DEFAULT_COMPRESSION;
    static const uint8_t empty = 0;
    uLongf out = (uLongf)*dst_len;
    int rc = compress2((Bytef *)dst, &out, src ? (const Bytef *)src : &empty, (uLong)src_len, level);
    if (rc == Z_OK) { *dst_len = (size_t)out; return INSIGNE_OK; }
    if (rc == Z_MEM_ERROR) return INSIGNE_ERR_NOMEM;
    if (rc == Z_BUF_ERROR) return INSIGNE_ERR_LIMIT;
    return INSIGNE_ERR_ARGUMENT;
}

int insigne_inflate(const uint8_t *src, size_t src_len, size_t max_out,
                    uint8_t **out, size_t *out_len, char *msg, size_t msg_cap) {
    return insigne_inflate_window(src, src_len, max_out, out, out_len, msg, msg_cap, 15);
}

int insigne_inflate_window(const uint8_t *src, size_t src_len, size_t max_out,
                           uint8_t **out, size_t *out_len, char *msg, size_t msg_cap, int window_bits) {
    if (out == NULL || out_len == NULL || (src == NULL && src_len > 0)) {
        copy_msg(msg, msg_cap, "invalid arguments");
        return INSIGNE_ERR_ARGUMENT;
    }
    *out = NULL;
    *out_len = 0;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, window_bits) != Z_OK) {
        copy_msg(msg, msg_cap, "zlib inflateInit failed");
        return INSIGNE_ERR_NOMEM;
    }
    size_t cap = src_len < 4096 ? 4096 : (src_len > (SIZE_MAX / 4) ? SIZE_MAX : src_len * 4);
    if (cap > max_out) cap = max_out;
    if (cap == 0) cap = 1; // room to detect overflow of a zero cap
    uint8_t *buf = (uint8_t *)malloc(cap);
    if (buf == NULL) { inflateEnd(&zs); copy_msg(msg, msg_cap, "out of memory"); return INSIGNE_ERR_NOMEM; }
    size_t produced = 0;
    const uint8_t *in = src;
    size_t in_left = src_len;
    int status = INSIGNE_OK;
    for (;;) {
        if (zs.avail_in == 0 && in_left > 0) {
            uInt chunk = in_left > 0x40000000u ? 0x40000000u : (uInt)in_left;
            zs.next_in = (Bytef *)in;
            zs.avail_in = chunk;
            in += chunk;
            in_left -= chunk;
        }
        if (produced == cap) {
            if (cap >= max_out) {
                // Output is full: any further byte exceeds the cap. Probe one more byte.
                uint8_t probe;
                zs.next_out = &probe;
                zs.avail_out = 1;
                int prc = inflate(&zs, Z_NO_FLUSH);
                if (prc == Z_STREAM_END && zs.avail_out == 1) break;
                if (zs.avail_out == 0) {
                    copy_msg(msg, msg_cap, "decompressed data exceeds the size limit");
                    status = INSIGNE_ERR_LIMIT;
                    break;
                }
                if (prc == Z_OK) continue;
                if (prc == Z_BUF_ERROR) {
                    if (zs.avail_in > 0 || in_left > 0) continue;
                    copy_msg(msg, msg_cap, "zlib stream is truncated");
                    status = INSIGNE_ERR_TRUNCATED;
                    break;
                }
                if (prc == Z_MEM_ERROR) { copy_msg(msg, msg_cap, "out of memory"); status = INSIGNE_ERR_NOMEM; break; }
                copy_msg(msg, msg_cap, zs.msg ? zs.msg : "invalid zlib data");
                status = INSIGNE_ERR_DATA;
                break;
            }
            size_t ncap = cap > max_out / 2 ? max_out : cap * 2;
            uint8_t *nbuf = (uint8_t *)realloc(buf, ncap);
            if (nbuf == NULL) { copy_msg(msg, msg_cap, "out of memory"); status = INSIGNE_ERR_NOMEM; break; }
            buf = nbuf;
            cap = ncap;
        }
        size_t room = cap - produced;
        uInt avail = room > 0x40000000u ? 0x40000000u : (uInt)room;
        zs.next_out = buf + produced;
        zs.avail_out = avail;
        int rc = inflate(&zs, Z_NO_FLUSH);
        produced += (size_t)(avail - zs.avail_out);
        if (rc == Z_STREAM_END) break;
        if (rc == Z_OK) continue;
        if (rc == Z_BUF_ERROR) {
            // No progress possible: either output is full (loop grows it) or input is exhausted.
            if (zs.avail_out == 0) continue;
            if (zs.avail_in == 0 && in_left == 0) {
                copy_msg(msg, msg_cap, "zlib stream is truncated");
                status = INSIGNE_ERR_TRUNCATED;
                break;
            }
            continue;
        }
        if (rc == Z_MEM_ERROR) { copy_msg(msg, msg_cap, "out of memory"); status = INSIGNE_ERR_NOMEM; break; }
        copy_msg(msg, msg_cap, zs.msg ? zs.msg : "invalid zlib data");
        status = INSIGNE_ERR_DATA;
        break;
    }
    if (status == INSIGNE_OK && produced > max_out) {
        copy_msg(msg, msg_cap, "decompressed data exceeds the size limit");
        status = INSIGNE_ERR_LIMIT;
    }
    if (status == INSIGNE_OK && (zs.avail_in > 0 || in_left > 0)) {
        copy_msg(msg, msg_cap, "trailing data after the end of the zlib stream");
        status = INSIGNE_ERR_DATA;
    }
    inflateEnd(&zs);
    if (status != INSIGNE_OK) { free(buf); return status; }
    *out = buf;
    *out_len = produced;
    return INSIGNE_OK;
}

void insigne_free(void *p) { free(p); }

// MARK: - libpng (classic API, setjmp confined to this file)

typedef struct {
    const uint8_t *data;
    size_t len;
    size_t pos;
} insigne_reader;

typedef struct {
    char *msg;
    size_t cap;
} insigne_errctx;

static void insigne_png_error(png_structp png, png_const_charp message) {
    insigne_errctx *ctx = (insigne_errctx *)png_get_error_ptr(png);
    if (ctx != NULL) copy_msg(ctx->msg, ctx->cap, message);
    png_longjmp(png, 1);
}

static void insigne_png_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message; // warnings (benign problems) are not reported
}

static void insigne_png_read(png_structp png, png_bytep out, size_t n) {
    insigne_reader *r = (insigne_reader *)png_get_io_ptr(png);
    if (r == NULL || n > r->len - r->pos) {
        png_error(png, "unexpected end of PNG data");
        return;
    }
    memcpy(out, r->data + r->pos, n);
    r->pos += n;
}

static int decode_check_inner(png_structp png, png_infop info, uint32_t max_width, uint32_t max_height,
                              insigne_png_header *header, png_bytep *row_slot, char *msg, size_t msg_cap) {
    png_read_info(png, info);
    png_uint_32 w = 0, h = 0;
    int depth = 0, ctype = 0, interlace = 0;
    png_get_IHDR(png, info, &w, &h, &depth, &ctype, &interlace, NULL, NULL);
    if (header != NULL) {
        header->width = w;
        header->height = h;
        header->bit_depth = depth;
        header->color_type = ctype;
        header->interlaced = interlace != PNG_INTERLACE_NONE;
    }
    if (w == 0 || h == 0) {
        copy_msg(msg, msg_cap, "image has a zero dimension");
        return INSIGNE_ERR_DATA;
    }
    if (w > max_width || h > max_height) {
        char buf[160];
        snprintf(buf, sizeof buf, "image is %ux%u, the limit is %ux%u",
                 (unsigned)w, (unsigned)h, (unsigned)max_width, (unsigned)max_height);
        copy_msg(msg, msg_cap, buf);
        return INSIGNE_ERR_LIMIT;
    }
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if (rowbytes == 0) {
        copy_msg(msg, msg_cap, "invalid row size");
        return INSIGNE_ERR_DATA;
    }
    *row_slot = (png_bytep)malloc(rowbytes);
    if (*row_slot == NULL) {
        copy_msg(msg, msg_cap, "out of memory");
        return INSIGNE_ERR_NOMEM;
    }
    for (int pass = 0; pass < passes; pass++) {
        for (png_uint_32 y = 0; y < h; y++) {
            png_read_row(png, *row_slot, NULL);
        }
    }
    png_read_end(png, NULL);
    return INSIGNE_OK;
}

int insigne_png_decode_check(const uint8_t *data, size_t len, uint32_t max_width, uint32_t max_height,
                             insigne_png_header *header, char *msg, size_t msg_cap) {
    if (msg != NULL && msg_cap > 0) msg[0] = '\0';
    if (header != NULL) memset(header, 0, sizeof *header);
    if (data == NULL || len < 8) {
        copy_msg(msg, msg_cap, "not a PNG file (too short)");
        return INSIGNE_ERR_DATA;
    }
    if (png_sig_cmp((png_const_bytep)data, 0, 8) != 0) {
        copy_msg(msg, msg_cap, "not a PNG file (bad signature)");
        return INSIGNE_ERR_DATA;
    }
    insigne_errctx ectx = { msg, msg_cap };
    insigne_reader reader = { data, len, 0 };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ectx, insigne_png_error, insigne_png_warning);
    if (png == NULL) { copy_msg(msg, msg_cap, "out of memory"); return INSIGNE_ERR_NOMEM; }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        copy_msg(msg, msg_cap, "out of memory");
        return INSIGNE_ERR_NOMEM;
    }
    // Only accessed through this pointer-to-heap-slot, so its value survives the longjmp.
    png_bytep *row_slot = (png_bytep *)calloc(1, sizeof(png_bytep));
    if (row_slot == NULL) {
        png_destroy_read_struct(&png, &info, NULL);
        copy_msg(msg, msg_cap, "out of memory");
        return INSIGNE_ERR_NOMEM;
    }
    int status;
    if (setjmp(png_jmpbuf(png)) != 0) {
        status = INSIGNE_ERR_DATA;
    } else {
        png_set_read_fn(png, &reader, insigne_png_read);
        png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
        // Our own limits are checked right after IHDR; keep libpng's at least as large.
        png_set_user_limits(png, 0x7fffffffu, 0x7fffffffu);
        png_set_sig_bytes(png, 0);
        status = decode_check_inner(png, info, max_width, max_height, header, row_slot, msg, msg_cap);
    }
    free(*row_slot);
    free(row_slot);
    png_destroy_read_struct(&png, &info, NULL);
    return status;
}

int insigne_png_decode_rgba(const uint8_t *data, size_t len, uint32_t max_width, uint32_t max_height,
                            uint8_t **pixels, uint32_t *width, uint32_t *height, char *msg, size_t msg_cap) {
    if (msg != NULL && msg_cap > 0) msg[0] = '\0';
    if (pixels == NULL || width == NULL || height == NULL) return INSIGNE_ERR_ARGUMENT;
    *pixels = NULL;
    *width = 0;
    *height = 0;
    if (data == NULL || len == 0) { copy_msg(msg, msg_cap, "empty input"); return INSIGNE_ERR_DATA; }
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, data, len)) {
        copy_msg(msg, msg_cap, image.message);
        png_image_free(&image);
        return INSIGNE_ERR_DATA;
    }
    if (image.width == 0 || image.height == 0) {
        copy_msg(msg, msg_cap, "image has a zero dimension");
        png_image_free(&image);
        return INSIGNE_ERR_DATA;
    }
    if (image.width > max_width || image.height > max_height) {
        char buf[160];
        snprintf(buf, sizeof buf, "image is %ux%u, the limit is %ux%u",
                 (unsigned)image.width, (unsigned)image.height, (unsigned)max_width, (unsigned)max_height);
        copy_msg(msg, msg_cap, buf);
        png_image_free(&image);
        return INSIGNE_ERR_LIMIT;
    }
    image.format = PNG_FORMAT_RGBA;
    size_t size = (size_t)image.width * (size_t)image.height * 4u; // ≤ 2^32 * 4 on 64-bit: cannot wrap
    uint8_t *buf = (uint8_t *)malloc(size);
    if (buf == NULL) {
        png_image_free(&image);
        copy_msg(msg, msg_cap, "out of memory");
        return INSIGNE_ERR_NOMEM;
    }
    if (!png_image_finish_read(&image, NULL, buf, 0, NULL)) {
        copy_msg(msg, msg_cap, image.message);
        png_image_free(&image);
        free(buf);
        return INSIGNE_ERR_DATA;
    }
    *pixels = buf;
    *width = image.width;
    *height = image.height;
    png_image_free(&image);
    return INSIGNE_OK;
}
