import OpenBadges

/// JSON documents (assertions, badge classes, profiles, keys, revocation lists) and their DateTime values.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let value = try? JSONValue(parsing: bytes) {
        // What the parser accepted, the encoder writes and the parser reads back.
        guard (try? JSONValue(parsing: value.encoded())) != nil else { fatalError("re-encoded JSON does not parse") }
        _ = value.prettyString()
    }
    if let date = DateTimeValue(String(decoding: bytes, as: UTF8.self)) { _ = DateTimeValue(date.date).text }
    return 0
}
