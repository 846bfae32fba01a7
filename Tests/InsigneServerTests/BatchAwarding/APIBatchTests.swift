import Foundation
import GRDB
import HTTPTypes
import InsigneStore
import OpenBadges
import Testing

@testable import InsigneServer

@Suite("Admin API: batches")
struct APIBatchTests {
    static let path = "/api/v1/badges/bientraitance/assertions/batch"

    static func statuses(_ r: APIResponse) -> [String] {
        r.json["rows"]?.arrayValue?.compactMap { $0["status"]?.stringValue } ?? []
    }

    @Test func jsonBatchWithABadRow() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let rows: JSONValue = [
                ["recipient": ["email": "a@example.org", "name": "Alice"], "narrative": "Session de mars"],
                ["recipient": ["email": "not-an-email"]],
                ["recipient": ["email": "b@example.org"], "evidence": [["id": "https://lms.example.org/p/1"]]],
                ["recipient": ["email": 42]],
                ["recipient": ["email": "c@example.org"], "idempotencyKey": "row-c"],
                ["recipient": ["email": "a@example.org", "name": "Alice"], "narrative": "Session de mars"],
            ]
            let r = try await api.post(Self.path, json: rows)
            #expect(r.status == .ok, "\(r.text)")
            #expect(Self.statuses(r) == ["created", "error", "created", "error", "created", "skipped"])
            #expect(r.json["created"]?.numberValue == 3)
            #expect(r.json["errors"]?.numberValue == 2)
            let bad = try #require(r.json["rows"]?.arrayValue?[1])
            #expect(bad["line"]?.numberValue == 2)
            #expect(bad["error"]?["fr"]?.stringValue?.isEmpty == false)
            #expect(bad["error"]?["en"]?.stringValue?.contains("email") == true)
            #expect(
                r.json["rows"]?.arrayValue?[0]["url"]?.stringValue?.hasPrefix("\(APIHarness.base)/assertions/") == true)
            #expect(try await h.assertionCount() == 3)
            // The explicit key is shared with the single award's Idempotency-Key.
            let single = try await api.award("c@example.org", headers: [HTTPField.Name("Idempotency-Key")!: "row-c"])
            #expect(single.status == .ok)
            #expect(single.json["id"] == r.json["rows"]?.arrayValue?[4]["id"])
            #expect(try await api.post(Self.path, raw: "{\"a\": 1}").status == .badRequest)
            #expect(try await api.post(Self.path, json: []).status == .badRequest)
            #expect(try await api.post("/api/v1/badges/unknown/assertions/batch", json: rows).status == .notFound)
        }
    }

    @Test func csvBatchDryRunThenRunThenRetry() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let csv =
                "\u{FEFF}email;name;narrative;expires;evidence\r\n"
                + "alice@example.org;Alice Durand;\"Étude de cas :\r\n« très bien ; rigoureuse »\";2099-12-31T23:59:59+01:00;https://lms.example.org/p/1\r\n"
                + "bad-address;Bob;;;\r\n"
                + "claire@example.org;\"Claire \"\"Clo\"\" Petit\";;;\r\n"
                + "dan@example.org;Dan;;31/13/2099;\r\n"  // a day as JJ/MM/AAAA or AAAA-MM-JJ, but no 13th month
            let dry = try await api.post(Self.path + "?dryRun=true", raw: csv, contentType: "text/csv; charset=utf-8")
            #expect(dry.status == .ok, "\(dry.text)")
            #expect(dry.json["dryRun"]?.boolValue == true)
            #expect(Self.statuses(dry) == ["created", "error", "created", "error"])
            #expect(dry.json["rows"]?.arrayValue?.map { $0["line"]?.numberValue ?? 0 } == [2, 4, 5, 6])
            #expect(try await h.assertionCount() == 0)

            let run = try await api.post(Self.path, raw: csv, contentType: "text/csv")
            #expect(Self.statuses(run) == ["created", "error", "created", "error"])
            #expect(run.json["rows"]?.arrayValue?[3]["error"]?["en"]?.stringValue?.contains("time zone") == true)
            #expect(try await h.assertionCount() == 2)
            let aliceID = try #require(run.json["rows"]?.arrayValue?[0]["id"]?.stringValue)
            let alice = try await api.get("/api/v1/assertions/\(aliceID)")
            #expect(alice.json["narrative"]?.stringValue == "Étude de cas :\r\n« très bien ; rigoureuse »")
            #expect(alice.json["recipient"]?["name"]?.stringValue == "Alice Durand")
            let claire = try await api.get("/api/v1/assertions?recipient=claire@example.org")
            #expect(
                claire.json["items"]?.arrayValue?.first?["recipient"]?["name"]?.stringValue == "Claire \"Clo\" Petit")

            let retry = try await api.post(Self.path, raw: csv, contentType: "text/csv")
            #expect(Self.statuses(retry) == ["skipped", "error", "skipped", "error"])
            #expect(retry.json["rows"]?.arrayValue?[0]["id"]?.stringValue == aliceID)
            let dryAgain = try await api.post(Self.path + "?dryRun=true", raw: csv, contentType: "text/csv")
            #expect(Self.statuses(dryAgain) == ["skipped", "error", "skipped", "error"])
            #expect(try await h.assertionCount() == 2)

            // A whole-file problem is a 400 naming the line.
            let broken = try await api.post(Self.path, raw: "email,name\n\"x@example.org,open", contentType: "text/csv")
            #expect(broken.status == .badRequest)
            #expect(broken.isBilingualProblem)
            #expect(broken.json["detail"]?.stringValue?.contains("ligne 2") == true)
            let noHeader = try await api.post(Self.path, raw: "x@example.org,X\n", contentType: "text/csv")
            #expect(noHeader.status == .badRequest)
            #expect(
                try await api.post(Self.path, raw: "a,b", contentType: "application/xml").status
                    == .unsupportedMediaType)
        }
    }

    @Test func csvUploadAsMultipart() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let body =
                "--b0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"liste.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + "email,name\nm1@example.org,M1\nm2@example.org,M2\n\r\n--b0--\r\n"
            let r = try await api.call(
                .post, Self.path, contentType: "multipart/form-data; boundary=b0", body: Array(body.utf8))
            #expect(r.status == .ok, "\(r.text)")
            #expect(Self.statuses(r) == ["created", "created"])
        }
    }

    /// The files people have, sent as they are: French Excel (Windows-1252), Excel's Unicode text (UTF-16, tabs,
    /// as a multipart file), Moodle's user export; the charset of the request, when given, is the encoding.
    @Test func csvFilesPeopleHave() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let excel = try csvFixture("excel-fr-windows-1252.csv")
            let r = try await api.call(.post, Self.path, contentType: "text/csv", body: excel)
            #expect(r.status == .ok, "\(r.text)")
            #expect(Self.statuses(r) == ["created", "created"])
            let elodie = try await api.get("/api/v1/assertions?recipient=elodie.lefevre@example.org")
            #expect(elodie.json["items"]?.arrayValue?.first?["recipient"]?["name"]?.stringValue == "Élodie Lefèvre")
            let utf16 =
                Array("--b0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"liste.txt\"\r\n\r\n".utf8)
                + (try csvFixture("excel-unicode-utf16le-bom.csv")) + Array("\r\n--b0--\r\n".utf8)
            let multipart = try await api.call(
                .post, Self.path, contentType: "multipart/form-data; boundary=b0", body: utf16)
            #expect(Self.statuses(multipart) == ["created", "created"], "\(multipart.text)")
            let moodle = try await api.call(
                .post, Self.path, contentType: "text/csv", body: try csvFixture("moodle-user-export.csv"))
            #expect(Self.statuses(moodle) == ["created", "created"])
            #expect(try await h.assertionCount() == 6)

            let declared = try await api.call(
                .post, Self.path, contentType: "text/csv; charset=windows-1252", body: excel)
            #expect(Self.statuses(declared) == ["skipped", "skipped"])
            let wrong = try await api.call(.post, Self.path, contentType: "text/csv; charset=utf-8", body: excel)
            #expect(wrong.status == .badRequest)
            #expect(wrong.isBilingualProblem)
            #expect(wrong.json["detail"]?.stringValue?.contains("« CSV UTF-8 »") == true)
            let unknown = try await api.call(
                .post, Self.path, contentType: "text/csv", body: try csvFixture("unknown-column.csv"))
            #expect(unknown.status == .badRequest)
            #expect(
                unknown.json["detail"]?.stringValue?.contains("CSV, ligne 1 : colonne inconnue « Civilité »") == true)
        }
    }

    @Test func largeBatchRunsInTheBackground() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            var csv = "email,name,narrative\n"
            for i in 1...150 { csv += "learner\(i)@example.org,Learner \(i),Promotion 2025\n" }
            csv += "broken,Broken,\n"
            let r = try await api.post(Self.path, raw: csv, contentType: "text/csv")
            #expect(r.status == .accepted, "\(r.text)")
            let id = try #require(r.json["id"]?.stringValue)
            #expect(r.headers[.location] == "\(APIHarness.base)/api/v1/batches/\(id)")
            #expect(r.json["total"]?.numberValue == 151)
            var state = JSONValue.null
            for _ in 0..<600 {
                state = try await api.get("/api/v1/batches/\(id)").json
                if state["done"]?.boolValue == true { break }
                #expect((state["processed"]?.numberValue ?? -1) <= 151)
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(state["done"]?.boolValue == true)
            #expect(state["processed"]?.numberValue == 151)
            #expect(state["created"]?.numberValue == 150)
            #expect(state["errors"]?.numberValue == 1)
            #expect(state["rows"]?.arrayValue?.last?["line"]?.numberValue == 152)
            #expect(try await h.assertionCount() == 150)
            #expect(try await api.get("/api/v1/batches/\(id)", token: APIHarness.staffToken).status == .notFound)
            #expect(try await api.get("/api/v1/batches/unknown").status == .notFound)
        }
    }
}
