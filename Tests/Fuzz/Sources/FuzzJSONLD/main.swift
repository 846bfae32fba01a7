import LinkedData

/// Untrusted JSON(-LD), as a credential arrives: JSON-LD expansion and toRdf with the bundled contexts only, then
/// RDFC-1.0 under a small work limit. Errors are verdicts; crashes and hangs are bugs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLD(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let json = try? LDJSON(parsing: Array(UnsafeBufferPointer(start: data, count: size))) else { return 0 }
    _ = try? LinkedData.canonicalNQuads(of: json, workLimit: 200)
    return 0
}
