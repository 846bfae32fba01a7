import OpenBadges
import OpenBadgesPNG

/// Baked PNG badges and uploaded badge images: chunk reader, text chunks, unbaking, libpng validation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if !bytes.starts(with: PNGDatastream.signature) { bytes = PNGDatastream.signature + bytes }
    if let stream = try? PNGDatastream(parsing: bytes) {
        for chunk in stream.chunks(ofType: "iTXt") { _ = try? InternationalTextChunk(chunk: chunk).text() }
        for chunk in stream.chunks(ofType: "tEXt") { _ = try? LatinTextChunk(chunk: chunk) }
        _ = stream.serialized()
    }
    _ = try? PNGDatastream.checkStructure(bytes)
    _ = try? PNGBaker.unbake(png: bytes)
    if (try? PNGImageValidator.validate(bytes)) != nil {
        _ = try? RGBAImage(pngData: bytes)
        _ = try? PreparedPNG(bytes).bake("https://example.org/assertions/1")
    }
    return 0
}
