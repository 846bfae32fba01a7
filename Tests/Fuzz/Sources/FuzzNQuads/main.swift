import LinkedData

/// N-Quads text (the RDFC-1.0 suite's input format), then RDFC-1.0 on what parses, under a small work limit:
/// neither may crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNQuads(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let quads = try? NQuads.parse(text) else { return 0 }
    _ = try? RDFC10(workLimit: 200).canonicalize(quads)
    return 0
}
