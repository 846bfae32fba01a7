import Foundation
import GRDB
import Logging
import OpenBadges
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// Issue 14 point 2: expiry reminders across three years with an injected date, each sent once, the trainers'
/// digest once per day, and a run interrupted then resumed.
@Suite("Reminders")
struct RemindersTests {
    static func at(_ text: String) -> Date { DateTimeValue(text)!.date }

    /// The demo service (outbox), with a trainer and a manager of the badge's issuer (who get digests) and a
    /// reviewer (who does not).
    static func make() async throws -> WebHarness {
        let h = try await WebHarness.make()
        try await h.services.db.writer.write { db in
            for (id, role) in [("t", MembershipRecord.Role.trainer), ("m", .manager), ("r", .reviewer)] {
                try AccountRecord(
                    id: "acc-\(id)", login: "acc-\(id)", displayName: "Staff \(id)", passwordHash: nil, role: .staff,
                    issuerID: nil, createdAt: Date(), email: "\(id)-staff@example.org"
                ).insert(db)
                try MembershipRecord(
                    id: "mem_\(id)", accountID: "acc-\(id)", issuerID: "mutuelle-vivre-ensemble", role: role,
                    createdAt: Date(), createdBy: "test"
                ).insert(db)
            }
        }
        return h
    }

    /// Plants an award of Bientraitance (issued 2026-12-07, expiring three years later unless told).
    @discardableResult
    static func plant(
        _ h: WebHarness, email: String, name: String? = nil, issued: String = "2026-12-07T10:00:00Z",
        expires: String = "2029-12-07T10:00:00Z", revoked: Bool = false, renewedBy: String? = nil
    ) async throws -> String {
        let id = UUID().uuidString.lowercased()
        try await h.services.db.writer.write { db in
            let key = try String.fetchOne(
                db, sql: "SELECT id FROM signingKey WHERE issuerID = 'mutuelle-vivre-ensemble'")!
            var a = AssertionRecord(
                id: id, badgeClassID: "bientraitance", signingKeyID: key, recipientEmail: email, recipientName: name,
                recipientSalt: "s", recipientIdentity: "sha256$x", issuedOn: issued, expires: expires, narrative: nil,
                evidence: [], jws: "jws", idempotencyKey: "plant:\(id)", createdBy: "admin", createdAt: at(issued))
            if revoked { a.revokedAt = at(issued) }
            a.renewedBy = renewedBy
            try a.insert(db)
        }
        return id
    }

    static func run(_ h: WebHarness, _ date: String) async throws -> [ReminderSent] {
        try await Reminders(services: h.services).run(now: at(date))
    }

    static func reminders(_ sent: [ReminderSent], to email: String) -> [Int] {
        sent.filter { $0.kind == .reminder && $0.recipient == email }.compactMap(\.threshold)
    }

    @Test func dueThresholds() {
        let expires = Self.at("2029-12-07T10:00:00Z")
        let t = [90, 30, 7]
        #expect(Reminders.due(expires: expires, thresholds: t, done: [], now: Self.at("2029-09-08T09:59:59Z")) == nil)
        #expect(
            Reminders.due(expires: expires, thresholds: t, done: [], now: Self.at("2029-09-08T10:00:00Z"))! == (90, []))
        #expect(Reminders.due(expires: expires, thresholds: t, done: [90], now: Self.at("2029-10-01T00:00:00Z")) == nil)
        #expect(
            Reminders.due(expires: expires, thresholds: t, done: [], now: Self.at("2029-12-01T10:00:00Z"))! == (
                7, [30, 90]
            ))
        #expect(
            Reminders.due(expires: expires, thresholds: t, done: [90], now: Self.at("2029-12-01T10:00:00Z"))! == (
                7, [30]
            ))
        #expect(Reminders.due(expires: expires, thresholds: t, done: [], now: expires) == nil)
        #expect(ReminderSent.mask("lea@example.org") == "l***@example.org")
    }

    /// Award 2026-12-07 P3Y: nothing before 2029-09-08, 90 days once (also on a second run that day), 30 and 7 days
    /// once each, nothing after the expiry, nothing for a revoked or renewed award; one digest per staff per day.
    @Test func threeYearsOfReminders() async throws {
        let h = try await Self.make()
        let lea = "lea.reminders@example.org"
        try await Self.plant(h, email: lea, name: "Léa Martin")
        try await Self.plant(h, email: "revoked@example.org", revoked: true)
        try await Self.plant(h, email: "linked@example.org", renewedBy: "someone")
        try await Self.plant(h, email: "renewed@example.org")
        try await Self.plant(
            h, email: "renewed@example.org", issued: "2029-06-01T10:00:00Z", expires: "2032-06-01T10:00:00Z")
        var all: [ReminderSent] = []
        for date in [
            "2026-12-08T00:00:00Z", "2028-06-01T00:00:00Z", "2029-09-08T09:00:00Z", "2029-09-08T10:00:00Z",
            "2029-09-08T18:00:00Z", "2029-10-08T10:00:00Z", "2029-11-07T10:00:00Z", "2029-11-07T11:00:00Z",
            "2029-11-30T10:00:00Z", "2029-12-01T10:00:00Z", "2029-12-07T09:59:00Z", "2029-12-07T10:00:00Z",
            "2030-06-01T00:00:00Z",
        ] {
            let sent = try await Self.run(h, date)
            if date < "2029-09-08T10:00:00Z" { #expect(sent.isEmpty, "\(date): \(sent)") }
            all += sent
        }
        #expect(Self.reminders(all, to: lea) == [90, 30, 7])
        for other in ["revoked@example.org", "linked@example.org", "renewed@example.org"] {
            #expect(Self.reminders(all, to: other).isEmpty, "\(other)")
        }
        #expect(try h.messages(to: lea).count == 3)
        let text = NotificationTests.decoded(try h.messages(to: lea)[0])
        #expect(text.contains("Bientraitance"))
        #expect(text.contains("expire le 7 décembre 2029"))
        #expect(text.contains("expires on 7 December 2029"))
        #expect(text.contains("/badges/bientraitance"))
        #expect(!text.contains("revoked@example.org"))
        for staff in ["t-staff@example.org", "m-staff@example.org"] {
            let digests = try h.messages(to: staff).map(NotificationTests.decoded)
            #expect(digests.count == 3, "\(staff)")
            #expect(digests.allSatisfy { $0.contains(lea) && $0.contains("Léa Martin") })
        }
        let first = try h.messages(to: "t-staff@example.org").map(NotificationTests.decoded).first ?? ""
        #expect(first.contains("Aujourd'hui (8 septembre 2029)") && first.contains("Today (8 September 2029)"))
        #expect(try h.messages(to: "r-staff@example.org").isEmpty)
    }

    /// A badge found 5 days before its expiry (the job did not run): only the 7-day reminder, never the others.
    @Test func skippedThresholdsAreNotSentLater() async throws {
        let h = try await Self.make()
        let late = "late@example.org"
        try await Self.plant(h, email: late)
        #expect(Self.reminders(try await Self.run(h, "2029-12-02T10:00:00Z"), to: late) == [7])
        #expect(Self.reminders(try await Self.run(h, "2029-12-03T10:00:00Z"), to: late).isEmpty)
        #expect(try h.messages(to: late).count == 1)
    }

    /// Three holders the same day: one digest per staff listing all three; a second run that day sends nothing.
    @Test func oneDigestPerStaffPerDayWithAllHolders() async throws {
        let h = try await Self.make()
        let holders = ["a.digest@example.org", "b.digest@example.org", "c.digest@example.org"]
        for email in holders { try await Self.plant(h, email: email) }
        let sent = try await Self.run(h, "2029-11-07T10:00:00Z")
        #expect(sent.filter { $0.kind == .digest && $0.recipient == "t-staff@example.org" }.count == 1)
        #expect(try await Self.run(h, "2029-11-07T20:00:00Z").isEmpty)
        let digests = try h.messages(to: "t-staff@example.org").map(NotificationTests.decoded)
        #expect(digests.count == 1)
        for email in holders { #expect(digests.first?.contains(email) == true, "\(email)") }
    }

    /// A run stopped after one message, then run again: every holder once, and the digest lists all of them.
    @Test func interruptedRunResumesWithoutResending() async throws {
        let h = try await Self.make()
        let holders = ["a.cut@example.org", "b.cut@example.org", "c.cut@example.org"]
        for email in holders { try await Self.plant(h, email: email) }
        var job = Reminders(services: h.services)
        job.interruptAfter = 1
        await #expect(throws: CancellationError.self) { _ = try await job.run(now: Self.at("2029-09-10T10:00:00Z")) }
        #expect(try holders.map { try h.messages(to: $0).count }.reduce(0, +) == 1)
        #expect(try h.messages(to: "t-staff@example.org").isEmpty)
        let resumed = try await Self.run(h, "2029-09-10T11:00:00Z")
        #expect(resumed.filter { $0.kind == .reminder && holders.contains($0.recipient) }.count == 2)
        for email in holders { #expect(try h.messages(to: email).count == 1, "\(email)") }
        let digest = try h.messages(to: "t-staff@example.org").map(NotificationTests.decoded)
        #expect(digest.count == 1)
        for email in holders { #expect(digest.first?.contains(email) == true, "\(email)") }
    }

    /// A reminder already recorded (planted row, as left by a run that stopped): not sent again; the others are.
    @Test func plantedRowIsNotResent() async throws {
        let h = try await Self.make()
        let done = try await Self.plant(h, email: "done@example.org")
        try await Self.plant(h, email: "todo@example.org")
        _ = try await h.services.db.recordReminder(
            assertionID: done, threshold: 90, skipped: [], day: "2029-09-09", at: Self.at("2029-09-09T10:00:00Z"),
            mail: nil)
        let sent = try await Self.run(h, "2029-09-10T10:00:00Z")
        #expect(Self.reminders(sent, to: "done@example.org").isEmpty)
        #expect(Self.reminders(sent, to: "todo@example.org") == [90])
    }
}

/// With a mail server the reminder is queued in the same transaction as its record: two runs, one queued message.
@Suite("Reminders with the mail queue")
struct RemindersQueueTests {
    @Test func queuedOnceWithItsRecord() async throws {
        let h = try await WebHarness.make(configure: { $0.smtpURL = "smtp://127.0.0.1:2525" })
        try await RemindersTests.plant(h, email: "queued@example.org")
        for date in ["2029-09-10T10:00:00Z", "2029-09-10T11:00:00Z"] {
            _ = try await Reminders(services: h.services).run(now: RemindersTests.at(date))
        }
        let queued = try await h.services.db.mailMessages().filter { $0.recipient == "queued@example.org" }
        #expect(queued.count == 1)
        #expect(queued.first?.status == MailMessageRecord.queued)
        #expect(try h.messages(to: "queued@example.org").isEmpty)  // not in the outbox
    }
}

/// The server's daily service runs the job at the services' clock.
@Suite("Reminders worker")
struct RemindersWorkerTests {
    @Test func runOnceUsesTheServicesClock() async throws {
        let h = try await RemindersTests.make()
        try await RemindersTests.plant(h, email: "worker@example.org")
        var services = h.services
        services.clock = { RemindersTests.at("2029-11-08T10:00:00Z") }
        await RemindersWorker(services: services, logger: .init(label: "test")).runOnce()
        #expect(try h.messages(to: "worker@example.org").count == 1)
        #expect(try h.messages(to: "t-staff@example.org").count == 1)
    }
}
