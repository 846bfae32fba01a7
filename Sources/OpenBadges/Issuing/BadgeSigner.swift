import Foundation
import OpenBadgesCrypto

/// Why an assertion could not be issued. Messages are French and English.
public struct IssuingError: BilingualError, Equatable {
    /// French message.
    public var messageFR: String
    /// English message.
    public var messageEN: String

    init(fr: String, en: String) {
        messageFR = fr
        messageEN = en
    }
}

/// What to award, to whom.
public struct AssertionRequest: Sendable {
    /// The hosted BadgeClass URL.
    public var badgeClassID: String
    /// The recipient's email (normalised and hashed with a fresh salt; never stored in the assertion).
    public var recipientEmail: String
    /// Issue date.
    public var issuedOn: Date
    /// Expiry date, if any.
    public var expires: Date?
    /// Evidence.
    public var evidence: [Evidence]
    /// Narrative.
    public var narrative: String?
    /// Assertion image URL (the baked image), if hosted.
    public var image: String?

    /// Creates a request.
    public init(
        badgeClassID: String, recipientEmail: String, issuedOn: Date, expires: Date? = nil, evidence: [Evidence] = [],
        narrative: String? = nil, image: String? = nil
    ) {
        self.badgeClassID = badgeClassID
        self.recipientEmail = recipientEmail
        self.issuedOn = issuedOn
        self.expires = expires
        self.evidence = evidence
        self.narrative = narrative
        self.image = image
    }
}

/// A freshly signed assertion.
public struct SignedAssertion: Sendable {
    /// The assertion as signed.
    public var assertion: Assertion
    /// Its compact JWS (RS256): the source of truth, what gets baked.
    public var jws: String
}

/// Builds and signs OB 2.0 assertions with one issuer key (RS256).
public struct BadgeSigner: Sendable {
    /// The issuer's private key (RSA).
    public let key: PrivateKey
    /// The URL of the key's CryptographicKey document (`verification.creator`).
    public let keyID: String

    /// Creates a signer; the key must be RSA (OB 2.0 signed badges use RS256).
    public init(key: PrivateKey, keyID: String) throws(IssuingError) {
        guard case .rsa = key.algorithm else {
            throw IssuingError(
                fr: "les badges signés Open Badges 2.0 exigent une clé RSA (RS256)",
                en: "Open Badges 2.0 signed badges require an RSA key (RS256)")
        }
        self.key = key
        self.keyID = keyID
    }

    /// Builds the assertion: `urn:uuid` id, hashed email with a fresh 128-bit salt, SignedBadge verification.
    public func makeAssertion(_ request: AssertionRequest) throws -> Assertion {
        let email = EmailNormalization.normalize(request.recipientEmail)
        guard EmailNormalization.isPlausible(email) else {
            throw IssuingError(
                fr: "adresse électronique invalide : « \(request.recipientEmail) »",
                en: "invalid email address: \"\(request.recipientEmail)\"")
        }
        let issued = DateTimeValue(request.issuedOn)
        var expires: DateTimeValue?
        if let e = request.expires {
            let ev = DateTimeValue(e)
            guard ev.date > issued.date else {
                throw IssuingError(
                    fr: "la date d'expiration doit être postérieure à la date d'émission",
                    en: "the expiry date must be after the issue date")
            }
            expires = ev
        }
        // One draw from the CSPRNG: 16 bytes of salt, 16 bytes for the UUID.
        let random = try SecureRandom.bytes(count: 32)
        let salt = Array(random[0..<16]).hexString
        let hash = IdentityHash.compute(identifier: email, salt: salt)
        return Assertion(
            id: "urn:uuid:" + BadgeSigner.uuidString(Array(random[16..<32])),
            recipient: IdentityObject(type: "email", identity: hash.text, hashed: true, salt: salt),
            badge: request.badgeClassID,
            verification: VerificationObject(type: ["SignedBadge"], creator: keyID),
            issuedOn: issued, expires: expires, evidence: request.evidence, narrative: request.narrative,
            image: request.image)
    }

    /// Signs an assertion: compact JWS with header `{"alg":"RS256"}` over its deterministic JSON.
    public func sign(_ assertion: Assertion) throws -> SignedAssertion {
        let jws = try CompactJWS.signRS256(payload: assertion.json.encoded(), key: key)
        return SignedAssertion(assertion: assertion, jws: jws)
    }

    /// Builds and signs in one step.
    public func issue(_ request: AssertionRequest) throws -> SignedAssertion {
        try sign(try makeAssertion(request))
    }

    /// A random (version 4) UUID from the OpenSSL CSPRNG, lowercase.
    public static func randomUUID() throws -> String {
        uuidString(try SecureRandom.bytes(count: 16))
    }

    /// Formats 16 random bytes as a version 4 UUID.
    static func uuidString(_ bytes: [UInt8]) -> String {
        var b = bytes
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        let h = b.hexString
        let u = Array(h.utf8)
        func part(_ r: Range<Int>) -> String { String(decoding: u[r], as: UTF8.self) }
        return "\(part(0..<8))-\(part(8..<12))-\(part(12..<16))-\(part(16..<20))-\(part(20..<32))"
    }
}
