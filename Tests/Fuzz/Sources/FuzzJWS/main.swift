import OpenBadges

/// Compact JWS (pasted, baked, attached): splitting, header and payload decoding, base64url.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJWS(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    _ = Base64URL.decode(bytes: buffer)
    let text = String(decoding: buffer, as: UTF8.self)
    _ = CompactJWS.looksLikeJWS(text)
    _ = try? CompactJWS(text)
    return 0
}
