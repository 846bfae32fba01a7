import CSVText

/// CSV uploads (batch awarding, learner lists): the RFC 4180 reader, and the writer on what it read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    guard var reader = try? CSVReader(buffer) else { return 0 }
    var count = 0
    while count < 100_000, let record = try? reader.next() {
        _ = CSVWriter.record(record.fields)
        count += 1
    }
    var semicolons = reader.rereading(with: UInt8(ascii: ";"))
    while count < 200_000, (try? semicolons.nextNonBlank()) != nil { count += 1 }
    return 0
}
