import CSVText
import Testing

@Suite("CSV text decoding")
struct CSVTextDecoderTests {
    @Test func everyWindows1252ByteDecodesExceptTheFiveUndefined() throws {
        let undefined: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]
        for byte in UInt8(0x80)...UInt8(0xFF) where !undefined.contains(byte) {
            let decoded = try CSVTextDecoder.utf8([byte], encoding: .windows1252)
            #expect(decoded.encoding == .windows1252)
            #expect(String(validating: decoded.bytes, as: UTF8.self)?.unicodeScalars.count == 1)
        }
        #expect(try CSVTextDecoder.utf8([0x80, 0x9C, 0xE9], encoding: .windows1252).bytes == Array("€œé".utf8))
        for byte in undefined {
            #expect(throws: CSVReadError.self) { try CSVTextDecoder.utf8([0x41, byte], encoding: .windows1252) }
        }
    }

    @Test func byteOrderMarksWin() throws {
        let utf8 = try CSVTextDecoder.utf8([0xEF, 0xBB, 0xBF, 0x61], encoding: .windows1252)
        #expect(utf8.bytes == [0x61] && utf8.encoding == .utf8)
        let le = try CSVTextDecoder.utf8([0xFF, 0xFE, 0xE9, 0x00, 0x3D, 0xD8, 0x00, 0xDE], encoding: .utf8)
        #expect(le.bytes == Array("é😀".utf8) && le.encoding == .utf16LittleEndian)
        let be = try CSVTextDecoder.utf8([0xFE, 0xFF, 0x00, 0xE9], encoding: .automatic)
        #expect(be.bytes == Array("é".utf8) && be.encoding == .utf16BigEndian)
        #expect(throws: CSVReadError.self) { try CSVTextDecoder.utf8([0xFF, 0xFE, 0x41], encoding: .automatic) }
        #expect(throws: CSVReadError.self) {
            try CSVTextDecoder.utf8([0xFF, 0xFE, 0x00, 0xDC], encoding: .automatic)
        }
    }

    @Test func automaticPrefersUTF8ThenWindows1252() throws {
        #expect(try CSVTextDecoder.utf8(Array("Zoé".utf8), encoding: .automatic).encoding == .utf8)
        let latin = try CSVTextDecoder.utf8([0x5A, 0x6F, 0xE9], encoding: .automatic)
        #expect(latin.bytes == Array("Zoé".utf8) && latin.encoding == .windows1252)
        let error = #expect(throws: CSVReadError.self) {
            try CSVTextDecoder.utf8([0x41, 0x00, 0xE9], encoding: .automatic)
        }
        #expect(error?.reason == .invalidUTF8(byte: 0, offset: 1))
        let bad = #expect(throws: CSVReadError.self) {
            try CSVTextDecoder.utf8([0x41, 0x81, 0xE9], encoding: .automatic)
        }
        #expect(bad?.reason == .invalidUTF8(byte: 0x81, offset: 1))
        #expect(throws: CSVReadError.self) { try CSVTextDecoder.utf8([0xE9], encoding: .utf8) }
    }

    @Test func encodingNames() {
        #expect(CSVTextEncoding(name: "UTF-8") == .utf8)
        #expect(CSVTextEncoding(name: "windows-1252") == .windows1252)
        #expect(CSVTextEncoding(name: "CP1252") == .windows1252)
        #expect(CSVTextEncoding(name: "") == .automatic)
        #expect(CSVTextEncoding(name: "utf-16") == .automatic)
    }

    @Test func theReaderReadsWhatTheDecoderGives() throws {
        let options = CSVReader.Options(delimiters: [0x3B, 0x09], encoding: .automatic)
        let reader = try CSVReader([0x50, 0x72, 0xE9, 0x6E, 0x6F, 0x6D, 0x09, 0x4E, 0x6F, 0x6D], options: options)
        #expect(reader.encoding == .windows1252 && reader.delimiter == 0x09)
    }
}
