import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// One message the reminders job sent.
public struct ReminderSent: Sendable, Equatable {
    /// A holder's reminder, or a trainer's digest.
    public enum Kind: String, Sendable { case reminder, digest }
    public var kind: Kind
    /// The badge's name (a digest: how many holders it lists).
    public var badge: String
    /// The award's expiry (nil for a digest).
    public var expires: Date?
    /// Days before the expiry of the threshold sent (nil for a digest).
    public var threshold: Int?
    /// The address written to.
    public var recipient: String

    /// The address as it may be printed or logged: `l***@example.org`.
    public var maskedRecipient: String { Self.mask(recipient) }

    /// `l***@example.org` for `lea@example.org`.
    public static func mask(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@"), let first = address.first, at != address.startIndex else {
            return "***"
        }
        return "\(first)***\(address[at...])"
    }
}

/// The expiry reminders job. For every award that is not revoked, has an expiry and was not renewed, and each
/// threshold of its badge class (`reminderDays`, by default 90, 30 and 7 days before the expiry): when the
/// threshold is reached and the badge has not expired yet, the holder gets one message. When several thresholds are
/// due at once (the job did not run for a while), only the most urgent one is sent and the others are marked done.
/// Then each trainer and manager of the badge class's issuer gets one digest of the day's reminders.
///
/// At most once: each reminder (award, threshold) and each digest (account, day) is recorded in the same
/// transaction as the queueing of its message, under a primary key; a second run, or a run after a restart in the
/// middle of one, finds the record and sends nothing again. Without a mail server (outbox) the record is written
/// first and the file after it: a crash between the two loses that message rather than sending it twice.
public struct Reminders: Sendable {
    let services: ServerServices
    /// Tests: throw after this many holders' messages (a run interrupted in the middle).
    var interruptAfter: Int?

    /// The job on these services.
    public init(services: ServerServices) {
        self.services = services
    }

    /// Runs once at `now` (the injected date of the CLI and the tests); returns the messages sent.
    public func run(now: Date) async throws -> [ReminderSent] {
        let day = Self.day(now)
        var sent = try await remindHolders(now: now, day: day)
        sent += try await sendDigests(day: day, now: now)
        return sent
    }

    /// The threshold to send now and the others to mark done, or nil: nothing due (before the first threshold,
    /// after the expiry, or the most urgent due one already done).
    static func due(expires: Date, thresholds: [Int], done: Set<Int>, now: Date) -> (send: Int, skip: [Int])? {
        guard now < expires else { return nil }
        let reached = thresholds.filter { now >= expires.addingTimeInterval(-Double($0) * 86_400) }
        guard let urgent = reached.min(), !done.contains(urgent) else { return nil }
        return (urgent, reached.filter { $0 != urgent && !done.contains($0) }.sorted())
    }

    /// The UTC day of `date`: `2029-09-08`.
    static func day(_ date: Date) -> String {
        let c = Calendar.utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// Sends the holders' reminders due at `now`.
    private func remindHolders(now: Date, day: String) async throws -> [ReminderSent] {
        let awards = try await services.db.remindableAwards()
        let done = try await services.db.reminderThresholds(assertionIDs: awards.map(\.id))
        var lookup = Lookup(services: services)
        var sent: [ReminderSent] = []
        for award in awards {
            guard let expires = award.expires.flatMap(DateTimeValue.init)?.date,
                let badge = try await lookup.badge(award.badgeClassID),
                let step = Self.due(
                    expires: expires, thresholds: badge.reminderDays, done: done[award.id] ?? [], now: now),
                let issuer = try await lookup.issuer(badge.issuerID)
            else { continue }
            if let limit = interruptAfter, sent.count >= limit { throw CancellationError() }
            let urls = services.urls
            let message = ReminderEmails.holder(
                .init(
                    to: award.recipientEmail, name: award.recipientName, badge: badge.name, issuer: issuer.name,
                    issuerEmail: issuer.email, expires: expires, badgeURL: urls.badgeClass(badge.id),
                    criteriaURL: badge.criteriaURL, awardURL: urls.assertion(award.id)))
            guard let prepared = try? prepare(message, now: now) else { continue }  // an address no longer valid
            guard
                try await services.db.recordReminder(
                    assertionID: award.id, threshold: step.send, skipped: step.skip, day: day, at: now,
                    mail: prepared.record)
            else { continue }
            try deliverToOutbox(prepared, now: now)
            sent.append(
                ReminderSent(
                    kind: .reminder, badge: badge.name, expires: expires, threshold: step.send,
                    recipient: award.recipientEmail))
        }
        return sent
    }

    /// Sends each trainer and manager of an issuer whose holders were reminded on `day` one digest listing them
    /// all (at most one per account and day).
    private func sendDigests(day: String, now: Date) async throws -> [ReminderSent] {
        var lookup = Lookup(services: services)
        var lines: [String: [ReminderEmails.DigestLine]] = [:]
        var accounts: [String: AccountRecord] = [:]
        for award in try await services.db.remindedAwards(day: day) {
            guard let badge = try await lookup.badge(award.badgeClassID),
                let expires = award.expires.flatMap(DateTimeValue.init)?.date
            else { continue }
            let line = ReminderEmails.DigestLine(
                name: award.recipientName, email: award.recipientEmail, badge: badge.name, expires: expires)
            for account in try await lookup.staff(badge.issuerID) {
                accounts[account.id] = account
                lines[account.id, default: []].append(line)
            }
        }
        var sent: [ReminderSent] = []
        for (id, list) in lines.sorted(by: { $0.key < $1.key }) {
            guard let account = accounts[id], let address = Self.address(of: account) else { continue }
            let message = ReminderEmails.digest(
                to: address, name: account.displayName, day: now, lines: list)
            let prepared = try prepare(message, now: now)
            let record = ReminderDigestRecord(accountID: id, day: day, holders: list.count, createdAt: now)
            guard try await services.db.recordReminderDigest(record, mail: prepared.record) else { continue }
            try deliverToOutbox(prepared, now: now)
            sent.append(
                ReminderSent(kind: .digest, badge: "\(list.count)", expires: nil, threshold: nil, recipient: address))
        }
        return sent
    }

    /// Where a staff account is written to: its address, or its login when that is one.
    static func address(of account: AccountRecord) -> String? {
        if let email = account.email, Validation.isEmail(email) { return email }
        return Validation.isEmail(account.login) ? account.login : nil
    }

    /// A rendered message, and its queue record when a mail server is configured (nil: the outbox).
    private struct Prepared {
        var text: String
        var record: MailMessageRecord?
    }

    private func prepare(_ message: MailMessage, now: Date) throws -> Prepared {
        let mailer = services.mailer
        let id = try SecureRandom.hex(byteCount: 16)
        let text = try message.render(from: mailer.from, messageID: "\(id)@\(mailer.domain)", date: now)
        guard mailer.smtp != nil else { return Prepared(text: text, record: nil) }
        return Prepared(
            text: text,
            record: MailMessageRecord(
                id: id, sender: mailer.from, recipient: EmailNormalization.normalize(message.to),
                subject: message.subject, content: text, createdAt: now))
    }

    /// Without a mail server, writes the message to the outbox (after its record: at most once).
    private func deliverToOutbox(_ prepared: Prepared, now: Date) throws {
        guard prepared.record == nil else { return }
        _ = try services.mailer.outbox.write(prepared.text, now: now)
    }
}

/// Badge classes, issuers and staff looked up once per run.
private struct Lookup {
    let services: ServerServices
    var badges: [String: BadgeClassRecord?] = [:]
    var issuers: [String: IssuerRecord?] = [:]
    var staff: [String: [AccountRecord]] = [:]

    mutating func badge(_ id: String) async throws -> BadgeClassRecord? {
        if let b = badges[id] { return b }
        let b = try await services.db.badgeClass(id: id)
        badges[id] = b
        return b
    }

    mutating func issuer(_ id: String) async throws -> IssuerRecord? {
        if let i = issuers[id] { return i }
        let i = try await services.db.issuer(id: id)
        issuers[id] = i
        return i
    }

    mutating func staff(_ issuerID: String) async throws -> [AccountRecord] {
        if let s = staff[issuerID] { return s }
        let s = try await services.db.staffAccounts(issuerID: issuerID, roles: [.trainer, .manager])
        staff[issuerID] = s
        return s
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC.
    fileprivate static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()
}
