#!/usr/bin/env python3
"""Generates the PNG fixtures under Fixtures/images/ and Fixtures/malformed/.

Run once from anywhere:  python3 Fixtures/malformed/make-png-fixtures.py
The outputs are committed; the script only documents how they were made.
(Fixtures/images/test-256.png is drawn by the Swift RGBAImage encoder instead:
 INSIGNE_WRITE_FIXTURES=1 swift test --filter OpenBadgesPNGTests.FixtureWriterTests)
"""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = os.path.join(os.path.dirname(HERE), "images")
SIG = b"\x89PNG\r\n\x1a\n"


def chunk(ctype, data, crc=None, length=None):
    if crc is None:
        crc = zlib.crc32(ctype + data) & 0xFFFFFFFF
    if length is None:
        length = len(data)
    return struct.pack(">I", length) + ctype + data + struct.pack(">I", crc)


def ihdr(w, h, depth=8, ctype=6, interlace=0):
    return chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, interlace))


IEND = chunk(b"IEND", b"")


def raw_rows(rows):
    return b"".join(b"\x00" + r for r in rows)


def png(w, h, rows, depth=8, ctype=6, extra_before=b"", extra_after=b"", interlace=0):
    idat = chunk(b"IDAT", zlib.compress(raw_rows(rows), 9))
    return SIG + ihdr(w, h, depth, ctype, interlace) + extra_before + idat + extra_after + IEND


def adam7(w, h, bpp, pixel):
    """Interlaced scanlines (filter 0) for an image with bpp bytes per pixel."""
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    out = b""
    for (x0, y0, dx, dy) in passes:
        xs = list(range(x0, w, dx))
        if not xs:
            continue
        for y in range(y0, h, dy):
            out += b"\x00" + b"".join(pixel(x, y) for x in xs)
    return out


def write(folder, name, data):
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def itxt(keyword, text, flag=0, method=0, lang=b"", translated=b""):
    return chunk(b"iTXt", keyword + b"\x00" + bytes([flag, method]) + lang + b"\x00" + translated + b"\x00" + text)


def main():
    os.makedirs(IMAGES, exist_ok=True)
    minimal = bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b49444154789c63600002"
        "00000500017a5eab3f0000000049454e44ae426082")
    assert len(minimal) == 68

    # ---- valid images ----
    write(IMAGES, "minimal-1x1-rgba.png", minimal)
    gray = [bytes((x * 16 + y) & 0xFF for x in range(16)) for y in range(16)]
    write(IMAGES, "gray-8bit-16x16.png", png(16, 16, gray, 8, 0))
    plte = chunk(b"PLTE", bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]))
    trns = chunk(b"tRNS", bytes([255, 128, 0]))
    pal_rows = [bytes(((x % 4) << 4) | ((x + y) % 4) for x in range(4)) for y in range(8)]  # 4-bit, 8 px/row
    write(IMAGES, "palette-4bit-8x8.png", png(8, 8, pal_rows, 4, 3, extra_before=plte + trns))
    rgb16 = [b"".join(struct.pack(">HHH", x * 16000, y * 16000, 65535 - x * 1000) for x in range(4)) for y in range(4)]
    write(IMAGES, "rgb-16bit-4x4.png", png(4, 4, rgb16, 16, 2))
    inter = adam7(9, 7, 4, lambda x, y: bytes((x * 28, y * 36, 128, 255)))
    write(IMAGES, "interlaced-rgba-9x7.png",
          SIG + ihdr(9, 7, 8, 6, 1) + chunk(b"IDAT", zlib.compress(inter, 9)) + IEND)
    badge_text = b'{"@context":"https://w3id.org/openbadges/v2","type":"Assertion"}'
    write(IMAGES, "baked-itxt-after-idat.png",
          minimal[:-12] + chunk(b"tEXt", b"Comment\x00made by make-png-fixtures.py")
          + itxt(b"openbadges", badge_text) + IEND)
    write(IMAGES, "baked-itxt-language-tag.png",
          minimal[:33] + itxt(b"openbadges", badge_text, lang=b"en-GB", translated="Abzeichen \u00fc".encode()) + minimal[33:])

    # ---- malformed ----
    M = HERE
    ok_ihdr = ihdr(1, 1)
    idat = minimal[33:56]
    assert idat[4:8] == b"IDAT"
    write(M, "png-empty.png", b"")
    write(M, "png-not-a-png.png", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00 not a PNG")
    write(M, "png-truncated-signature.png", SIG[:5])
    write(M, "png-signature-only.png", SIG)
    write(M, "png-truncated-in-chunk.png", minimal[:45])
    write(M, "png-truncated-in-chunk-header.png", minimal[:60])
    bad_idat = bytearray(minimal)
    bad_idat[52] ^= 0x01  # last CRC byte of IDAT (chunk at 33, 11 data bytes: CRC at 52..55)
    write(M, "png-bad-crc-idat.png", bytes(bad_idat))
    write(M, "png-bad-crc-ancillary.png",
          SIG + ok_ihdr + chunk(b"tEXt", b"Comment\x00hello", crc=0x12345678) + idat + IEND)
    write(M, "png-huge-length.png", SIG + ok_ihdr + struct.pack(">I", 0xFFFFFFF0) + b"IDAT" + b"\x00" * 16)
    write(M, "png-length-beyond-end.png", SIG + ok_ihdr + struct.pack(">I", 0x7FFFFFFF) + b"IDAT" + b"\x00" * 16)
    write(M, "png-bad-chunk-type.png", SIG + ok_ihdr + chunk(b"ID1T", b"\x00") + idat + IEND)
    write(M, "png-no-iend.png", minimal[:-12])
    write(M, "png-iend-with-data.png", minimal[:-12] + chunk(b"IEND", b"xx"))
    write(M, "png-ihdr-not-first.png", SIG + chunk(b"tEXt", b"Comment\x00first") + ok_ihdr + idat + IEND)
    write(M, "png-ihdr-wrong-length.png", SIG + chunk(b"IHDR", struct.pack(">IIBBBB", 1, 1, 8, 6, 0, 0)) + idat + IEND)
    write(M, "png-two-ihdr.png", SIG + ok_ihdr + ok_ihdr + idat + IEND)
    write(M, "png-data-after-iend.png", minimal + b"trailing garbage")
    write(M, "png-itxt-missing-separator.png", minimal[:33] + chunk(b"iTXt", b"openbadges\x00\x00\x00no-more-separators") + minimal[33:])
    write(M, "png-itxt-bad-compression-flag.png", minimal[:33] + itxt(b"openbadges", b"text", flag=2) + minimal[33:])
    write(M, "png-itxt-invalid-keyword.png", minimal[:33] + itxt(b"open  badges", b"text") + minimal[33:])
    write(M, "png-itxt-invalid-utf8.png", minimal[:33] + itxt(b"openbadges", b"\xc3\x28 bad utf8") + minimal[33:])
    write(M, "png-itxt-bad-zlib.png", minimal[:33] + itxt(b"openbadges", b"\x78\x9cnot zlib", flag=1) + minimal[33:])
    write(M, "png-zero-dimensions.png", SIG + ihdr(0, 0) + idat + IEND)
    write(M, "png-huge-dimensions.png", SIG + ihdr(100000, 100000) + idat + IEND)
    write(M, "png-idat-garbage.png", SIG + ok_ihdr + chunk(b"IDAT", b"this is not a zlib stream at all") + IEND)
    write(M, "png-idat-truncated-zlib.png", SIG + ok_ihdr + chunk(b"IDAT", zlib.compress(b"\x00" * 5)[:4]) + IEND)
    write(M, "png-missing-idat.png", SIG + ok_ihdr + IEND)
    write(M, "png-bad-color-type.png", SIG + ihdr(1, 1, 8, 7) + idat + IEND)


if __name__ == "__main__":
    main()
