import CSVText

/// CSV uploads (batch awarding, learner lists): the decoding (UTF-8, UTF-16, Windows-1252, detected or chosen), the
/// RFC 4180 reader, and the writer on what it read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    let bytes = [UInt8](buffer)
    // The first byte chooses the encoding the way the bulk-award page lets a trainer choose it.
    let encoding = CSVTextEncoding.allCases[Int(bytes.first ?? 0) % CSVTextEncoding.allCases.count]
    if let decoded = try? CSVTextDecoder.utf8(bytes, encoding: encoding) {
        precondition(String(validating: decoded.bytes, as: UTF8.self) != nil, "decoder produced invalid UTF-8")
    }
    let options = CSVReader.Options(
        delimiters: [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")], encoding: encoding)
    guard var reader = try? CSVReader(buffer, options: options) else { return 0 }
    var count = 0
    while count < 100_000, let record = try? reader.next() {
        _ = CSVWriter.record(record.fields)
        count += 1
    }
    var semicolons = reader.rereading(with: UInt8(ascii: ";"))
    while count < 200_000, (try? semicolons.nextNonBlank()) != nil { count += 1 }
    return 0
}
