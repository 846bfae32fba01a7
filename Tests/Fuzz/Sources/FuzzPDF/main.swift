import OpenBadges

/// Certificate PDFs (`POST /verify`, `insigne verify`, backpack import): the assertion extractor.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPDF(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The extractor stops early without these markers: add them so mutations reach the object parser.
    if !PDFAssertionExtractor.looksLikePDF(bytes) { bytes = Array("%PDF-1.4\n".utf8) + bytes }
    if !String(decoding: bytes.suffix(1024), as: UTF8.self).contains("%%EOF") { bytes += Array("\n%%EOF".utf8) }
    _ = try? PDFAssertionExtractor.extract(from: bytes)
    return 0
}
