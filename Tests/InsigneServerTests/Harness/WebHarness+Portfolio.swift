import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadgesCrypto
import TestSupport
import Testing

@testable import InsigneServer

/// Portfolio fixtures: a small DEES-like framework, invitations accepted through the pages, uploads.
extension WebHarness {
    static let learnerPassword = "une phrase de passe"
    static let frameworkSlug = "dees-test"

    /// Imports a five-item framework built in code (slug `dees-test`).
    func importFramework() throws {
        let summary = try services.db.importFramework(TestFrameworks.deesExtract, actor: "test")
        #expect(summary.framework.id == Self.frameworkSlug)
    }

    var files: EvidenceFiles { EvidenceFiles(dataDirectory: services.configuration.dataDirectory) }

    func pieces() async throws -> [EvidenceItemRecord] {
        try await services.db.writer.read { db in try EvidenceItemRecord.order(Column("createdAt")).fetchAll(db) }
    }
}

extension WebBrowser {
    /// The trainer (signed in) invites someone; returns the invitation token from the page.
    func invite(name: String, email: String) async throws -> String {
        _ = try await get("/trainer/learners")
        let page = try await post("/trainer/learners/invite", [("name", name), ("email", email)])
        #expect(page.status == .ok)
        let r = try #require(page.body.range(of: #"/invitation/[0-9a-f]{64}"#, options: .regularExpression))
        return String(page.body[r].dropFirst("/invitation/".count))
    }

    /// Accepts an invitation with a password; returns the POST response.
    @discardableResult
    func accept(_ token: String, password: String = WebHarness.learnerPassword) async throws -> Page {
        _ = try await get("/invitation/\(token)")
        return try await post("/invitation/\(token)", [("password", password), ("confirm", password)])
    }

    /// Uploads a file piece (the learner's last page must carry the CSRF token).
    func upload(
        title: String, data: [UInt8], filename: String = "piece.pdf", declared: String = "application/pdf",
        tags: [String] = [], genre: String = ""
    ) async throws -> Page {
        _ = try await get("/portfolio")
        let fields = [("title", title), ("genre", genre)] + tags.map { ("tag", $0) }
        return try await postMultipart(
            "/portfolio/evidence/new?kind=file", fields,
            files: [File(field: "file", filename: filename, contentType: declared, data: data)])
    }

    /// Adds a written narrative piece.
    func addNarrative(title: String, text: String, tags: [String] = [], codes: String = "") async throws -> Page {
        _ = try await get("/portfolio")
        return try await postMultipart(
            "/portfolio/evidence/new?kind=narrative",
            [("title", title), ("narrative", text), ("codes", codes), ("genre", "Récit d'expérience")]
                + tags.map { ("tag", $0) }, files: [])
    }

    /// Submits every draft.
    func submitAll() async throws {
        _ = try await get("/portfolio")
        let r = try await post("/portfolio/submit", [])
        #expect(r.status == .seeOther)
    }
}

enum Samples {
    static let pdf = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
    static let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 56)
    static let html = Array("<!doctype html><html><script>alert(1)</script></html>".utf8)
    static let svg = Array(#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>"#.utf8)
    static let text = Array(
        "Compte rendu de la réunion d'équipe du 3 mars.\nPoints abordés : projet personnalisé.\n".utf8)
}

/// A small ZIP reader for the tests: walks the central directory and checks each local header and CRC.
struct TestZIP {
    struct Entry {
        var name: String
        var data: [UInt8]
        var crc: UInt32
        var utf8Flag: Bool
    }

    var entries: [Entry] = []

    init(_ b: [UInt8]) throws {
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ i: Int) -> UInt32 { UInt32(u16(i)) | UInt32(u16(i + 2)) << 16 }
        let eocd = b.count - 22
        try #require(eocd >= 0 && u32(eocd) == 0x0605_4B50, "end of central directory record")
        let count = u16(eocd + 10)
        var p = Int(u32(eocd + 16))
        #expect(Int(u32(eocd + 12)) + p == eocd, "central directory size and offset")
        for _ in 0..<count {
            try #require(u32(p) == 0x0201_4B50, "central directory entry signature")
            let flags = u16(p + 8)
            let method = u16(p + 10)
            let crc = u32(p + 16)
            let size = Int(u32(p + 20))
            let n = u16(p + 28)
            let m = u16(p + 30)
            let k = u16(p + 32)
            let offset = Int(u32(p + 42))
            let name = String(decoding: b[(p + 46)..<(p + 46 + n)], as: UTF8.self)
            #expect(method == 0)
            try #require(u32(offset) == 0x0403_4B50, "local header signature of \(name)")
            #expect(u32(offset + 14) == crc, "local CRC of \(name)")
            let ln = u16(offset + 26)
            let lm = u16(offset + 28)
            #expect(String(decoding: b[(offset + 30)..<(offset + 30 + ln)], as: UTF8.self) == name)
            let start = offset + 30 + ln + lm
            let data = Array(b[start..<(start + size)])
            entries.append(Entry(name: name, data: data, crc: crc, utf8Flag: flags & 0x0800 != 0))
            p += 46 + n + m + k
        }
    }

    subscript(_ name: String) -> Entry? { entries.first { $0.name == name } }
}
