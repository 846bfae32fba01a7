import Foundation
import Testing

@testable import InsigneServer

/// Evidence files on disk and the names they are handed out under.
@Suite("Evidence files")
struct EvidenceFilesTests {
    /// A file-system failure reaches pages as a `ServiceError` 500 naming nothing on disk; the log gets the call.
    @Test func aFileSystemFailureIsAServerErrorThatNamesNothingOnDisk() throws {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("insigne-\(UUID().uuidString)")
        try Data("not a directory".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        // `<data>/evidence` cannot be created under a plain file.
        let files = EvidenceFiles(dataDirectory: blocker.path)
        do {
            _ = try files.store(Array("bytes".utf8))
            Issue.record("storing under a plain file should fail")
        } catch let e as ServiceError {
            #expect(e.kind == .serverError)
            #expect(e.status == .internalServerError)
            #expect(e.messageFR == "Erreur interne ; réessayez plus tard.")
            #expect(!e.messageFR.contains(blocker.path) && !e.messageEN.contains(blocker.path))
            let cause = try #require(e.underlying as? EvidenceFiles.SystemCallError)
            #expect(cause.operation == "mkdir")
            #expect(cause.description.hasPrefix("evidence file mkdir: "))
        }
    }

    /// Download and archive names keep letters, digits, dash and underscore, and take the sniffed extension.
    @Test func safeFileNamesKeepPlainCharactersAndTheSniffedExtension() {
        #expect(
            FileNames.safe("Rapport d'activité (final).exe", mediaType: "application/pdf")
                == "Rapport_d_activite_final_.pdf")
        #expect(FileNames.safe("../../etc/passwd", mediaType: "text/plain; charset=utf-8") == "_etc_passwd.txt")
        #expect(FileNames.safe("", mediaType: "image/png") == "fichier.png")
        #expect(FileNames.safe("€€€", mediaType: "image/jpeg") == "fichier.jpg")
        #expect(FileNames.safe(String(repeating: "a", count: 100), mediaType: "image/gif").count == 64)
    }
}
