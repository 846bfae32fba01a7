import OpenBadges

/// OB 3.0 input: VC-JWT and credential reading, multibase / did:key keys, did:web addresses, JWK keys and
/// verification-method lookup in key documents, status list entries and bitstrings, revocation lists.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOB3(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: buffer, as: UTF8.self)
    if let jwt = VCJWT(text: text) {
        _ = try? OB3Credential(document: jwt.credential)
        if let jwk = jwt.jws.header["jwk"] { _ = try? KeyMaterial.publicKey(jwk: jwk) }
    }
    let json = try? JSONValue(parsing: Array(buffer))
    if let json {
        if let c = try? OB3Credential(document: json) {
            _ = c.identities
            _ = c.achievementImage
        }
        _ = try? KeyMaterial.publicKey(jwk: json)
        if let id = json["id"]?.stringValue, let method = DIDResolution.method(id + "#key-1", in: json) {
            _ = try? DIDResolution.key(of: method, via: "url")
        }
    }
    _ = try? BitstringStatusListEntry(json ?? .null)
    _ = try? RevocationListDocument(document: json ?? .null)
    if let list = try? BitstringStatusList(encodedList: text) { _ = list.bit(at: size % (list.bitCount + 1)) }
    // The raw bytes as the GZIP data of a list (bounded inflate).
    _ = try? BitstringStatusList(encodedList: "u" + Base64URL.encode(Array(buffer)))
    _ = Multibase.decode(text)
    _ = try? Multibase.publicKey(multikey: text)
    _ = try? DIDResolution.didKey(text)
    _ = try? DIDResolution.didWebURL(text)
    return 0
}
