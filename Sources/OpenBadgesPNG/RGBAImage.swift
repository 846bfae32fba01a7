import CPNGShims

/// A simple 8-bit RGBA pixel buffer that encodes to (and decodes from) PNG.
public struct RGBAImage: Sendable, Equatable {
    /// An RGBA color.
    public typealias Color = (r: UInt8, g: UInt8, b: UInt8, a: UInt8)

    /// Largest pixel buffer this type allocates (1 GiB).
    static let maxPixelBytes = 1 << 30

    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Row-major RGBA bytes, width × height × 4 (empty when the size was invalid).
    public var pixels: [UInt8]

    /// Creates an image filled with one color (an invalid or enormous size yields empty pixels; `pngData()` then throws).
    public init(width: Int, height: Int, fill: (r: UInt8, g: UInt8, b: UInt8, a: UInt8)) {
        self.width = width
        self.height = height
        if let size = RGBAImage.byteCount(width: width, height: height), size <= RGBAImage.maxPixelBytes {
            var px = [UInt8](repeating: 0, count: size)
            px.withUnsafeMutableBufferPointer { buf in
                var i = 0
                while i < size {
                    buf[i] = fill.r
                    buf[i + 1] = fill.g
                    buf[i + 2] = fill.b
                    buf[i + 3] = fill.a
                    i += 4
                }
            }
            self.pixels = px
        } else {
            self.pixels = []
        }
    }

    /// Wraps existing RGBA bytes (nil when `pixels.count != width*height*4`).
    public init?(width: Int, height: Int, pixels: [UInt8]) {
        guard let size = RGBAImage.byteCount(width: width, height: height), pixels.count == size else { return nil }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Decodes any PNG to RGBA with libpng (limits checked before allocation).
    public init(pngData bytes: [UInt8], limits: PNGImageLimits = .default) throws(PNGError) {
        if bytes.count > limits.maxBytes {
            throw PNGError(.tooLarge, "image is \(bytes.count) bytes, the limit is \(limits.maxBytes)")
        }
        let header = try PNGDatastream.checkStructure(bytes, limits: PNGLimits(maxFileBytes: limits.maxBytes))
        try PNGImageValidator.checkDimensions(header, limits: limits)
        var out: UnsafeMutablePointer<UInt8>? = nil
        var w: UInt32 = 0
        var h: UInt32 = 0
        var msg = [CChar](repeating: 0, count: 512)
        let maxW = UInt32(clamping: limits.maxWidth)
        let maxH = UInt32(clamping: limits.maxHeight)
        let status = bytes.withUnsafeBufferPointer { buf in
            msg.withUnsafeMutableBufferPointer { m in
                insigne_png_decode_rgba(buf.baseAddress, buf.count, maxW, maxH, &out, &w, &h, m.baseAddress, m.count)
            }
        }
        defer { insigne_free(out) }
        switch status {
        case INSIGNE_OK:
            break
        case INSIGNE_ERR_LIMIT:
            throw PNGError(.dimensionsTooLarge, "libpng: \(cMessage(msg))", chunkType: "IHDR", offset: 8)
        default:
            throw PNGError(.decodeFailed, "libpng: \(cMessage(msg))")
        }
        guard let out, let size = RGBAImage.byteCount(width: Int(w), height: Int(h)) else {
            throw PNGError(.decodeFailed, "libpng returned no pixels")
        }
        self.width = Int(w)
        self.height = Int(h)
        self.pixels = Array(UnsafeBufferPointer(start: out, count: size))
    }

    /// width × height × 4, or nil when negative or overflowing.
    static func byteCount(width: Int, height: Int) -> Int? {
        guard width >= 0, height >= 0 else { return nil }
        let (wh, o1) = width.multipliedReportingOverflow(by: height)
        let (bytes, o2) = wh.multipliedReportingOverflow(by: 4)
        return o1 || o2 ? nil : bytes
    }

    /// The pixel at (x, y); out-of-range reads give (0,0,0,0) and writes are ignored.
    public subscript(x: Int, y: Int) -> (UInt8, UInt8, UInt8, UInt8) {
        get {
            guard let i = index(x, y) else { return (0, 0, 0, 0) }
            return (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3])
        }
        set {
            guard let i = index(x, y) else { return }
            pixels[i] = newValue.0
            pixels[i + 1] = newValue.1
            pixels[i + 2] = newValue.2
            pixels[i + 3] = newValue.3
        }
    }

    /// Byte index of a pixel, nil when outside the image.
    private func index(_ x: Int, _ y: Int) -> Int? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        let i = (y * width + x) * 4
        return i + 3 < pixels.count ? i : nil
    }

    /// Fills the axis-aligned rectangle (clipped to the image).
    public mutating func fillRect(
        x: Int, y: Int, width w: Int, height h: Int, color: (r: UInt8, g: UInt8, b: UInt8, a: UInt8)
    ) {
        let x0 = max(0, x)
        let y0 = max(0, y)
        let x1 = min(width, x.addingReportingOverflow(w).overflow ? width : x + w)
        let y1 = min(height, y.addingReportingOverflow(h).overflow ? height : y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 { for xx in x0..<x1 { self[xx, yy] = color } }
    }

    /// Fills a disc of the given radius (clipped to the image).
    public mutating func fillCircle(
        centerX cx: Double, centerY cy: Double, radius r: Double, color: (r: UInt8, g: UInt8, b: UInt8, a: UInt8)
    ) {
        guard r > 0, r.isFinite, cx.isFinite, cy.isFinite else { return }
        let y0 = max(0, Int(max(-1, (cy - r).rounded(.down))))
        let y1 = min(height - 1, Int(min(Double(height), (cy + r).rounded(.up))))
        let x0 = max(0, Int(max(-1, (cx - r).rounded(.down))))
        let x1 = min(width - 1, Int(min(Double(width), (cx + r).rounded(.up))))
        guard y0 <= y1, x0 <= x1 else { return }
        let r2 = r * r
        for y in y0...y1 {
            let dy = Double(y) + 0.5 - cy
            for x in x0...x1 {
                let dx = Double(x) + 0.5 - cx
                if dx * dx + dy * dy <= r2 { self[x, y] = color }
            }
        }
    }

    /// Encodes as an 8-bit RGBA, non-interlaced PNG (filter 0 scanlines, zlib deflate): IHDR, IDAT, IEND.
    public func pngData() throws(PNGError) -> [UInt8] {
        guard width >= 1, height >= 1 else {
            throw PNGError(.invalidIHDR, "cannot encode a \(width)x\(height) image: dimensions must be at least 1")
        }
        guard width <= 0x7FFF_FFFF, height <= 0x7FFF_FFFF else {
            throw PNGError(
                .dimensionsTooLarge, "cannot encode a \(width)x\(height) image: dimensions must be at most 2^31-1")
        }
        guard let size = RGBAImage.byteCount(width: width, height: height), pixels.count == size,
            size <= RGBAImage.maxPixelBytes
        else {
            throw PNGError(.dimensionsTooLarge, "pixel buffer has \(pixels.count) bytes, expected \(width)x\(height)x4")
        }
        let rowBytes = width * 4
        let rawCount = (rowBytes + 1) * height
        var raw = [UInt8](repeating: 0, count: rawCount)
        raw.withUnsafeMutableBufferPointer { dst in
            pixels.withUnsafeBufferPointer { src in
                guard let d = dst.baseAddress, let s = src.baseAddress else { return }
                for y in 0..<height {
                    // Filter byte 0 (None) is already in place.
                    (d + y * (rowBytes + 1) + 1).update(from: s + y * rowBytes, count: rowBytes)
                }
            }
        }
        let compressed = try Zlib.deflate(raw, level: 9)
        var ihdr = bigEndianBytes(UInt32(width)) + bigEndianBytes(UInt32(height))
        ihdr += [8, 6, 0, 0, 0]  // bit depth 8, RGBA, deflate, adaptive filtering, no interlace
        var chunks = [PNGChunk(type: "IHDR", data: ihdr)]
        // Split IDAT data into ≤ 1 MiB chunks.
        let step = 1 << 20
        var start = 0
        repeat {
            let end = min(compressed.count, start + step)
            chunks.append(PNGChunk(type: "IDAT", data: Array(compressed[start..<end])))
            start = end
        } while start < compressed.count
        chunks.append(PNGChunk(type: "IEND", data: []))
        return PNGDatastream(chunks: chunks).serialized()
    }

    /// Pixel-wise equality.
    public static func == (lhs: RGBAImage, rhs: RGBAImage) -> Bool {
        lhs.width == rhs.width && lhs.height == rhs.height && lhs.pixels == rhs.pixels
    }
}
