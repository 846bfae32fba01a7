import Foundation
import InsigneServer
import OpenBadges
import TestSupport
import Testing

/// `insigne reminders --data-dir D --now …` on the data directory of a live service: the 90-day reminder and the
/// digest are printed with masked addresses, a second run the same day sends nothing, a bad date exits 2.
struct RemindersCLITests {
    func insigne(_ args: [String]) async throws -> OfficialTools.ProcessResult {
        let bin = try #require(CLITests.binary, "build the insigne executable first")
        return try await OfficialTools.runProcess(bin, args)
    }

    @Test func sendsTheDueReminderOnce() async throws {
        let server = try await ServiceInteropTests.LiveServer.start()
        defer { server.stop() }
        var request = AwardRequest(
            badgeClassID: "bientraitance", recipientEmail: "lucie.rappel@example.org", recipientName: "Lucie Rappel",
            expires: DateTimeValue("2029-12-07T10:00:00Z")!.date)
        request.issuedOn = DateTimeValue("2026-12-07T10:00:00Z")!.date
        _ = try await server.services.issuing.award(request, actor: "test")
        let data = server.services.configuration.dataDirectory
        let args = ["reminders", "--data-dir", data, "--public-url", server.base]

        let before = try await insigne(args + ["--now", "2029-09-01T00:00:00Z"])
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.contains("Total : 0 rappel(s)"), "\(before.stdout)")

        let run = try await insigne(args + ["--now", "2029-09-10T00:00:00Z"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("rappel / reminder\tBientraitance"), "\(run.stdout)")
        #expect(run.stdout.contains("2029-12-07"), "\(run.stdout)")
        #expect(run.stdout.contains("l***@example.org"), "\(run.stdout)")
        #expect(run.stdout.contains("Total : 1 rappel(s)"), "\(run.stdout)")
        #expect(!run.stdout.contains("lucie.rappel@"), "\(run.stdout)")
        let outbox = URL(fileURLWithPath: data).appendingPathComponent("outbox")
        let files = try FileManager.default.contentsOfDirectory(atPath: outbox.path)
        let toLucie = try files.filter {
            try String(contentsOf: outbox.appendingPathComponent($0), encoding: .utf8)
                .contains("To: <lucie.rappel@example.org>")
        }
        #expect(toLucie.count == 1)

        let again = try await insigne(args + ["--now", "2029-09-10T12:00:00Z"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("Total : 0 rappel(s), 0 synthèse(s)"), "\(again.stdout)")

        let bad = try await insigne(args + ["--now", "demain"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--now"))
    }
}
