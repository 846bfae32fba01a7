import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import OpenBadgesCrypto
import Testing

@testable import InsigneServer

@Suite("API building blocks")
struct APIBuildingBlocksTests {
    @Test func slugsFoldAccents() {
        #expect(BadgeClassIDs.slug(from: "Établissement Œuvre Sainte-Thérèse") == "etablissement-oeuvre-sainte-therese")
        #expect(BadgeClassIDs.slug(from: "  Foyers « La Maison »  ") == "foyers-la-maison")
        #expect(BadgeClassIDs.slug(from: "Çà et là — 2025") == "ca-et-la-2025")
        #expect(BadgeClassIDs.slug(from: "!!!") == nil)
        #expect((BadgeClassIDs.slug(from: String(repeating: "a b ", count: 40)) ?? "").count <= 64)
    }

    @Test func csvWithBOMSemicolonsAndMultilineQuotes() throws {
        let csv =
            "\u{FEFF}email;name;narrative;expires;evidence\r\n"
            + "a@example.org;Alice;\"Ligne 1\r\nLigne 2 avec \"\"guillemets\"\"; et point-virgule\";;https://example.org/p/1\r\n"
            + "\r\n"
            + "b@example.org;Bob;;2099-01-01T00:00:00+01:00;\n"
        let rows = try BatchAwarding.parseCSV(Array(csv.utf8))
        #expect(rows.count == 2)
        #expect(rows[0].line == 2)
        #expect(rows[0].email == "a@example.org")
        #expect(rows[0].narrative == "Ligne 1\r\nLigne 2 avec \"guillemets\"; et point-virgule")
        #expect(rows[0].evidence == [EvidenceRecord(id: "https://example.org/p/1")])
        #expect(rows[1].line == 5)
        #expect(rows[1].expires == "2099-01-01T00:00:00+01:00")
    }

    @Test func csvCommaAndFrenchHeaders() throws {
        let rows = try BatchAwarding.parseCSV(Array("Courriel,Nom\nx@example.org,\"Dupont, Jean\"\n".utf8))
        #expect(rows == [BatchRow(line: 2, email: "x@example.org", name: "Dupont, Jean")])
    }

    @Test func csvErrors() throws {
        #expect(throws: ServiceError.self) { try BatchAwarding.parseCSV(Array("a@example.org,Alice\n".utf8)) }
        #expect(throws: ServiceError.self) { try BatchAwarding.parseCSV(Array("email,colour\n".utf8)) }
        #expect(throws: ServiceError.self) { try BatchAwarding.parseCSV(Array("email,name\n\"open,x\n".utf8)) }
        // Not UTF-8 when UTF-8 is declared; without a charset, the same bytes are Windows-1252.
        let latin: [UInt8] = [0x65, 0x6D, 0x61, 0x69, 0x6C, 0x0A, 0xE9, 0x0A]
        #expect(throws: ServiceError.self) { try BatchAwarding.parseCSV(latin, contentType: "text/csv; charset=utf-8") }
        #expect(try BatchAwarding.parseCSV(latin).first?.email == "é")
        #expect(throws: ServiceError.self) { try BatchAwarding.parseCSV([0x65, 0x6D, 0x61, 0x69, 0x6C, 0x0A, 0x81]) }
        let rows = try BatchAwarding.parseCSV(Array("email,name\na@example.org,A,extra\n".utf8))
        #expect(rows.first?.problem != nil)
    }

    @Test func derivedIdempotencyKeysIgnoreCaseAndZoneSpelling() {
        let a = BatchRow(line: 2, email: "Alice@Example.org ", narrative: "x", expires: "2099-01-01T00:00:00Z")
        let b = BatchRow(line: 9, email: "alice@example.org", narrative: "x", expires: "2099-01-01T01:00:00+01:00")
        #expect(
            BatchAwarding.idempotencyKey(for: a, badgeID: "b") == BatchAwarding.idempotencyKey(for: b, badgeID: "b"))
        #expect(
            BatchAwarding.idempotencyKey(for: a, badgeID: "b") != BatchAwarding.idempotencyKey(for: a, badgeID: "c"))
        var c = b
        c.narrative = "y"
        #expect(
            BatchAwarding.idempotencyKey(for: c, badgeID: "b") != BatchAwarding.idempotencyKey(for: b, badgeID: "b"))
    }

    @Test func multipartParsing() throws {
        let body =
            "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nPremiers secours\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"b;a.png\"\r\nContent-Type: image/png\r\n\r\n"
            + "\u{1}\u{2}\r\n--XyZ--\r\n"
        let form = try MultipartForm(body: Array(body.utf8), contentType: "multipart/form-data; boundary=\"XyZ\"")
        #expect(form.parts.count == 2)
        #expect(form.field("name") == "Premiers secours")
        #expect(form.part("image")?.filename == "b;a.png")
        #expect(form.part("image")?.body == [1, 2])
        #expect(throws: ServiceError.self) {
            try MultipartForm(
                body: Array("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx".utf8),
                contentType: "multipart/form-data; boundary=XyZ")
        }
        #expect(throws: ServiceError.self) { try MultipartForm(body: [], contentType: "multipart/form-data") }
    }

    @Test func dataURIs() throws {
        #expect(try APIFormat.imageDataURI("data:image/svg+xml;utf8,%3Csvg%3E", field: "image") == Data("<svg>".utf8))
        #expect(throws: ServiceError.self) {
            try APIFormat.imageDataURI("data:image/gif;base64,R0lGODlh", field: "image")
        }
        #expect(throws: ServiceError.self) { try APIFormat.imageDataURI("https://example.org/x.png", field: "image") }
    }
}
