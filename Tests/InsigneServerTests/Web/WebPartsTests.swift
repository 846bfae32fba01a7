import Foundation
import InsigneStore
import Testing

@testable import InsigneServer

@Suite("Trainer pages: CSV, multipart, dates")
struct WebPartsTests {
    @Test func csvWithBOMSemicolonsQuotesAndLineBreaks() throws {
        let text = "\u{FEFF}email;name\r\n\"a@x.fr\";\"Dupont; \"\"Jo\"\"\"\r\n\r\nb@x.fr;\"deux\nlignes\"\nc@x.fr;C"
        let rows = try CSVAwardReader.rows(Array(text.utf8), maxRows: CSVAwardReader.pageMaxRows)
        #expect(rows.map(\.line) == [2, 4, 6])
        #expect(rows.map(\.email) == ["a@x.fr", "b@x.fr", "c@x.fr"])
        #expect(rows.map(\.name) == ["Dupont; \"Jo\"", "deux\nlignes", "C"])
    }

    /// One reader for the page and the API: the same rows, headers and messages; only the row limit differs.
    @Test func csvCommaAndErrors() throws {
        let rows = try CSVAwardReader.rows(Array("email,name\na@x.fr,\"A, B\"\n".utf8), maxRows: 10)
        #expect(rows == [BatchRow(line: 2, email: "a@x.fr", name: "A, B")])
        for bad: [UInt8] in [Array("email\n\"open".utf8), Array("email\n\"a\"b".utf8), [0xC3, 0x28]] {
            #expect(throws: CSVAwardReader.Failure.self) { try CSVAwardReader.rows(bad, maxRows: 10) }
        }
        // A stray quote inside an unquoted field is kept as text (the API's rule, now the page's too).
        #expect(
            try CSVAwardReader.rows(Array("email,name\nab@c.fr,Jo \"Jo\"\n".utf8), maxRows: 10)[0].name == "Jo \"Jo\"")
        // The page's aliases (`e-mail`, `récit`, `expire`) and the API's (`Courriel`, `Date d'expiration`) both work.
        let headers = try CSVAwardReader.rows(
            Array("E-mail;Récit;Expire\na@x.fr;r;2031-01-01\n".utf8), maxRows: 10)
        #expect(headers.map(\.email) == ["a@x.fr"])
        #expect(headers.map(\.narrative) == ["r"])
        // A day in `expires` is its last second in Paris (spreadsheets' dates); other text is the row's problem.
        #expect(headers.first?.expiresEndOfDay == WebDates.endOfDayParis("2031-01-01"))
        let dates = try CSVAwardReader.rows(
            Array("email,expires\na@x.fr,2031-01-01T10:00:00+01:00\nb@x.fr,31/13/2031\n".utf8), maxRows: 10)
        #expect(dates[0].problem == nil && dates[0].expiresEndOfDay == nil)
        #expect(dates[1].problem?.messageEN.contains("YYYY-MM-DD or an ISO 8601 date-time with a time zone") == true)
        #expect(CSVAwardColumns.column(forHeader: "Date d'expiration") == .expires)
        // Evidence: web addresses become links, any other text one written piece.
        #expect(
            CSVAwardReader.evidence("https://a.fr/1 | https://a.fr/2") == [
                EvidenceRecord(id: "https://a.fr/1"), EvidenceRecord(id: "https://a.fr/2"),
            ])
        #expect(CSVAwardReader.evidence("Attestation papier") == [EvidenceRecord(narrative: "Attestation papier")])
        // The limits differ on purpose; the message is the same.
        let three = Array("email\na@x.fr\nb@x.fr\nc@x.fr\n".utf8)
        let tooMany = try #require(throws: CSVAwardReader.Failure.self) { try CSVAwardReader.rows(three, maxRows: 2) }
        #expect(tooMany.tooLarge)
        #expect(tooMany.fr == "trop de lignes (2 au plus par lot)")
        #expect(CSVAwardReader.pageMaxRows == 2000 && BatchAwarding.maxRows == 20_000)
        let unknown = try #require(throws: CSVAwardReader.Failure.self) {
            try CSVAwardReader.rows(Array("email,colour\n".utf8), maxRows: 10)
        }
        #expect(unknown.line == 1)
        #expect(unknown.serviceError.messageFR.hasPrefix("CSV, ligne 1 : colonne inconnue « colour »"))
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
