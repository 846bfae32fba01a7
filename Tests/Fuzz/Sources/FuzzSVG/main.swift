import OpenBadges

/// Baked SVG badges and uploaded SVG artwork: the strict XML scanner, unbaking, sanitising, baking.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSVG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? XMLScanner.scan(bytes)
    _ = try? XMLScanner.scanRootStartTag(bytes)
    _ = SVGBaker.looksLikeSVG(bytes)
    _ = try? SVGBaker.unbake(svg: bytes)
    if let clean = try? SVGBaker.sanitize(svg: bytes) {
        _ = try? SVGBaker.bake(svg: clean, signature: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")
    }
    return 0
}
