import Foundation
import Testing

@testable import InsigneServer

@Suite("Trainer pages: CSV, multipart, dates")
struct WebPartsTests {
    @Test func csvWithBOMSemicolonsQuotesAndLineBreaks() throws {
        let text = "\u{FEFF}email;name\r\n\"a@x.fr\";\"Dupont; \"\"Jo\"\"\"\r\n\r\nb@x.fr;\"deux\nlignes\"\nc@x.fr;C"
        let (delim, rows) = try WebCSV.parse(Array(text.utf8))
        #expect(delim == ";")
        #expect(rows.map(\.line) == [1, 2, 4, 6])
        #expect(rows[1].fields == ["a@x.fr", "Dupont; \"Jo\""])
        #expect(rows[2].fields == ["b@x.fr", "deux\nlignes"])
        #expect(rows[3].fields == ["c@x.fr", "C"])
    }

    @Test func csvCommaAndErrors() throws {
        let (delim, rows) = try WebCSV.parse(Array("email,name\na@x.fr,\"A, B\"\n".utf8))
        #expect(delim == ",")
        #expect(rows[1].fields == ["a@x.fr", "A, B"])
        #expect(throws: WebCSV.Failure.self) { try WebCSV.parse(Array("email\n\"open".utf8)) }
        #expect(throws: WebCSV.Failure.self) { try WebCSV.parse(Array("email\n\"a\"b".utf8)) }
        #expect(throws: WebCSV.Failure.self) { try WebCSV.parse(Array("email\nab\"c".utf8)) }
        #expect(throws: WebCSV.Failure.self) { try WebCSV.parse([0xC3, 0x28]) }
    }

    @Test func batchRowsAndDerivedKeys() throws {
        let csv = "email,name,expires\nA@X.fr,A,2031-01-01\na@x.fr,A bis,\nbad,B,\nc@x.fr,C,demain\n"
        let rows = try WebBatchBuilder.rows(csv: Array(csv.utf8), badgeID: "b")
        #expect(rows.count == 4)
        #expect(rows[0].request != nil)
        #expect(rows[1].errorFR == "Même adresse qu'à la ligne 2")
        #expect(rows[2].errorFR == "Adresse électronique invalide")
        #expect(rows[3].errorFR?.contains("Date d'expiration invalide") == true)
        // The page derives the same key as the API's batch endpoint for the same row.
        let apiRows = try BatchAwarding.parseCSV(Array("email,name\nA@X.fr,A\n".utf8))
        let pageRows = try WebBatchBuilder.rows(csv: Array("email,name\nA@X.fr,A\n".utf8), badgeID: "b")
        let apiKey = BatchAwarding.idempotencyKey(for: apiRows[0], badgeID: "b")
        #expect(pageRows[0].request?.idempotencyKey == apiKey)
        #expect(BatchAwarding.idempotencyKey(for: apiRows[0], badgeID: "c") != apiKey)
    }

    @Test func multipartParsing() throws {
        let body = Array(
            ("--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a \\\"b\\\".png\"\r\nContent-Type: image/png\r\n\r\n\u{0}\r\n--X\r\n"
                + "\r\n--XyZ--\r\n").utf8)
        let b = try #require(MultipartFormData.boundary(contentType: "multipart/form-data; boundary=\"XyZ\""))
        let parts = try MultipartFormData.parse(body, boundary: b)
        #expect(parts.count == 2)
        #expect(parts[0].name == "csrf")
        #expect(parts[0].body == Array("abc".utf8))
        #expect(parts[1].filename == "a \"b\".png")
        #expect(parts[1].contentType == "image/png")
        #expect(parts[1].body == Array("\u{0}\r\n--X\r\n".utf8))
        #expect(MultipartFormData.boundary(contentType: "text/plain; boundary=x") == nil)
        #expect(throws: MultipartFormData.Malformed.self) {
            try MultipartFormData.parse(
                Array("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nno end".utf8), boundary: "XyZ")
        }
        #expect(throws: MultipartFormData.Malformed.self) {
            try MultipartFormData.parse(Array("--XyZ\r\nX: y\r\n\r\nv\r\n--XyZ--".utf8), boundary: "XyZ")
        }
        #expect(throws: MultipartFormData.Malformed.self) {
            try MultipartFormData.parse(Array("garbage".utf8), boundary: "XyZ")
        }
    }

    @Test func expiryIsEndOfDayInParis() throws {
        let summer = try #require(WebDates.endOfDayParis("2031-06-15"))
        #expect(summer == ISO8601DateFormatter().date(from: "2031-06-15T21:59:59Z"))
        let winter = try #require(WebDates.endOfDayParis("2031-01-15"))
        #expect(winter == ISO8601DateFormatter().date(from: "2031-01-15T22:59:59Z"))
        #expect(WebDates.endOfDayParis("2031-02-30") == nil)
        #expect(WebDates.endOfDayParis("15/06/2031") == nil)
    }

    @Test func constantTimeEqualAndForms() {
        #expect(WebSecurity.equal("abc", "abc"))
        #expect(!WebSecurity.equal("abc", "abd"))
        #expect(!WebSecurity.equal("", ""))
        #expect(!WebSecurity.equal("abc", "abcd"))
        let f = WebForm(urlEncoded: Array("a=1+2%20%C3%A9&b=%ZZ&c&a=second".utf8))
        #expect(f["a"] == "1 2 é")
        #expect(f["b"] == "%ZZ")
        #expect(f["c"] == "")
        #expect(WebSecurity.localNext("https://evil") == "/trainer")
        #expect(WebSecurity.localNext("/trainer//evil") == "/trainer")
        #expect(WebSecurity.localNext("/trainer/assertions?q=1") == "/trainer/assertions?q=1")
    }
}
