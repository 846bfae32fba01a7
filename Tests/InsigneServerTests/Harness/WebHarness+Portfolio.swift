import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadgesCrypto
import TestSupport
import Testing

@testable import InsigneServer
@testable import InsigneStore

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
        try await services.db.writer.read { db in try EvidenceItemRecord.order(\.createdAt).fetchAll(db) }
    }
}
