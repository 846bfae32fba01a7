import MultipartParsing

/// `multipart/form-data` bodies (every upload form and the API). The first line, when it is a content type,
/// gives the boundary; otherwise the boundary is fixed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipart(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var boundary = "XyZ"
    var body = bytes[...]
    if bytes.starts(with: Array("multipart/".utf8)), let newline = bytes.firstIndex(of: 0x0A) {
        boundary = MultipartFormData.boundary(contentType: String(decoding: bytes[..<newline], as: UTF8.self)) ?? "b"
        body = bytes[(newline + 1)...]
    }
    _ = try? MultipartFormData.parse(Array(body), boundary: boundary)
    return 0
}
