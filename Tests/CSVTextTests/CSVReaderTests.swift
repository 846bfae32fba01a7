import CSVText
import Foundation
import TestSupport
import Testing

private let comma = UInt8(ascii: ",")
private let semicolon = UInt8(ascii: ";")

/// Every record of `text` read with `options`.
private func read(_ text: String, _ options: CSVReader.Options = .init()) throws -> [CSVRecord] {
    try CSVReader.records(Array(text.utf8), options: options).records
}

/// The error reading `bytes` gives.
private func failure(_ bytes: [UInt8], _ options: CSVReader.Options = .init()) -> CSVReadError? {
    do {
        _ = try CSVReader.records(bytes, options: options)
        return nil
    } catch {
        return error
    }
}

struct CSVReaderTests {
    @Test func quotesDoubledQuotesAndDelimitersInsideQuotes() throws {
        let records = try read("a,\"b, \"\"c\"\"\",\"\"\n  \"d\" ,e\n")
        #expect(records.map(\.fields) == [["a", "b, \"c\"", ""], ["d", "e"]])
        #expect(records.map(\.line) == [1, 2])
    }

    @Test func multiLineFieldsGiveTheLineWhereEachRecordStarts() throws {
        let records = try read("h1,h2\n\"one\ntwo\r\nthree\",x\nlast,y")
        #expect(records.map(\.line) == [1, 2, 5])
        #expect(records[1].fields == ["one\ntwo\r\nthree", "x"])
        let lf = try read("\"a\r\nb\rc\"\n", .init(readsQuotedCRLFAsLF: true))
        #expect(lf[0].fields == ["a\nb\rc"])
    }

    @Test func crlfLoneCREmptyAndBlankLines() throws {
        let records = try read("a\r\n\r\nb\rc\n ,\t\n")
        #expect(records.map(\.fields) == [["a"], [""], ["b"], ["c"], [" ", "\t"]])
        #expect(records.map(\.line) == [1, 2, 3, 4, 5])
        #expect(records.map(\.isEmptyLine) == [false, true, false, false, false])
        #expect(records.map(\.isBlank) == [false, true, false, false, true])
        #expect(try read("").isEmpty)
        #expect(try read("\"\"\n")[0].isEmptyLine == false)
    }

    @Test func bomIsStrippedOnRequest() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a,b\n".utf8)
        #expect(try CSVReader.records(bytes).records[0].fields == ["a", "b"])
        let kept = try CSVReader.records(bytes, options: .init(stripsBOM: false)).records
        #expect(kept[0].fields == ["\u{FEFF}a", "b"])
    }

    @Test func delimiterDetectedFromTheFirstLine() throws {
        #expect(try CSVReader.records(Array("a;b;c\n1,5;2\n".utf8)).delimiter == semicolon)
        #expect(try CSVReader.records(Array("a,b;c\n".utf8)).delimiter == comma)
        #expect(try CSVReader.records(Array("\"x;y;z\",b\n".utf8)).delimiter == comma)
        #expect(try CSVReader.records(Array("a;b\n".utf8), options: .init(delimiters: [comma])).delimiter == comma)
        var reader = try CSVReader(Array("a;b\n".utf8), options: .init(delimiters: [comma]))
        var again = reader.rereading(with: semicolon)
        #expect(try reader.next()?.fields == ["a;b"])
        #expect(try again.next()?.fields == ["a", "b"])
    }

    @Test func quotesInsideUnquotedFields() throws {
        #expect(try read("ab\"c\n", .init(allowsQuotesInUnquotedFields: true))[0].fields == ["ab\"c"])
        let error = failure(Array("h\nab\"c\n".utf8))
        #expect(error?.reason == .quoteInUnquotedField)
        #expect(error?.line == 2)
    }

    @Test func unterminatedQuoteIsOnTheLineOfTheOpeningQuote() {
        let error = failure(Array("h1,h2\nx,\ny,\"open\nmore\n".utf8))
        #expect(error?.reason == .unterminatedQuote)
        #expect(error?.line == 3)
        #expect(error?.en == "unterminated quote (field opened on line 3)")
        #expect(error?.fr.contains("ligne 3") == true)
    }

    @Test func textAfterAClosingQuote() {
        let error = failure(Array("h\n\"multi\nline\"x\n".utf8))
        #expect(error?.reason == .textAfterClosingQuote)
        #expect(error?.line == 3)
    }

    @Test func invalidUTF8GivesTheLineAndOffset() {
        let error = failure([0xEF, 0xBB, 0xBF] + Array("a\nb".utf8) + [0xE9, 0x0A])
        #expect(error?.reason == .invalidUTF8(byte: 0xE9, offset: 6))
        #expect(error?.line == 2)
        #expect(error?.en.contains("not UTF-8 (byte 0xE9 at offset 6)") == true)
    }

    @Test func limitsOnBytesAndNonBlankRecords() throws {
        let big = failure(Array("abcdef".utf8), .init(maxBytes: 5))
        #expect(big?.reason == .tooLarge(bytes: 6, limit: 5))
        #expect(big?.line == nil)
        #expect(try read("abcde", .init(maxBytes: 5)).count == 1)
        // Blank records do not count against the limit.
        #expect(try read("h\n\n ,\na\nb\n", .init(maxRecords: 3)).count == 5)
        let many = failure(Array("h\na\n\nb\nc\n".utf8), .init(maxRecords: 3))
        #expect(many?.reason == .tooManyRecords(limit: 3))
        #expect(many?.line == 5)
    }
}

struct CSVWriterTests {
    @Test func quotesOnlyWhenNeeded() throws {
        let line = CSVWriter.record(["plain", "a,b", "say \"hi\"", "two\nlines", "x;y", ""])
        #expect(line == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",x;y,\n")
        #expect(CSVWriter.field("x;y", delimiter: ";") == "\"x;y\"")
        let back = try read(line, .init(delimiters: [comma]))
        #expect(back[0].fields == ["plain", "a,b", "say \"hi\"", "two\nlines", "x;y", ""])
    }
}

struct CSVFormulaGuardTests {
    @Test(arguments: ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-1+2", "@SUM(A1)", "\tx", "\rx", "-", "=", "- item"])
    func neutralisesFormulaLeadingCells(_ text: String) {
        #expect(CSVFormulaGuard.neutralised(text) == "'" + text)
        #expect(CSVWriter.field(text).hasPrefix("'") || CSVWriter.field(text).hasPrefix("\"'"))
    }

    @Test(arguments: ["-2", "+3", "-0.5", "-0,25", "42", "plain", "", "a=b", " =x", "'", "'quoted", "é"])
    func leavesNumbersAndOrdinaryTextAlone(_ text: String) {
        #expect(CSVFormulaGuard.neutralised(text) == text)
        #expect(CSVFormulaGuard.restored(text) == text)
    }

    @Test func restoresExactlyWhatItNeutralised() {
        let values = [
            "=1+2", "'=1+2", "''=1+2", "-2", "'-2", "-2,-1,0", "'", "''", "'a", "+", "@", "\t", "-x", "'-x", "x",
            "'\r", "",
        ]
        for v in values {
            #expect(CSVFormulaGuard.restored(CSVFormulaGuard.neutralised(v)) == v, "\(v.debugDescription)")
        }
        #expect(CSVFormulaGuard.neutralised("'=1+2") == "''=1+2")
    }

    @Test func writerNeutralisesUnlessToldNotTo() throws {
        let line = CSVWriter.record(["=HYPERLINK(\"http://x\",\"y\")", "-2", "@x"])
        #expect(line == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-2,'@x\n")
        #expect(CSVWriter.record(["=1", "@x"], neutralisingFormulas: false) == "=1,@x\n")
        let back = try read(line, .init(delimiters: [comma]))
        #expect(back[0].fields.map(CSVFormulaGuard.restored) == ["=HYPERLINK(\"http://x\",\"y\")", "-2", "@x"])
    }
}
