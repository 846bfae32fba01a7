import Foundation
import OpenBadgesCrypto

/// Issuing straight from the award facts (issue 13 point 6): the same bytes as
/// `sign(OB3CredentialBuilder.credential(facts))`, with the Data Integrity hashes taken from ``OB3CanonicalQuads``
/// instead of JSON-LD expansion and the generic RDFC-1.0, and the JSON of both forms written by
/// ``OB3CredentialJSON``, whenever the credential's shape is covered; otherwise the generic path.
extension OB3CredentialSigner {
    /// Both forms of the credential of `facts`. Throws for an implausible e-mail or an expiry not after the issue
    /// date (``IssuingError``), as ``OB3CredentialBuilder/credential(_:)``.
    public func sign(_ facts: OB3AwardFacts, created: Date = Date()) throws -> OB3SignedForms {
        let checked = try OB3CredentialBuilder.check(facts)
        let createdText = DateTimeValue(created).text
        guard
            let canonical = Self.canonicalForms(
                facts, checked, created: createdText, verificationMethod: edKeyID)
        else { return try sign(OB3CredentialBuilder.credential(facts, checked), created: created) }
        let hashData = SHA256Digest.hash(canonical.proof) + SHA256Digest.hash(canonical.document)
        let signature = try edKey.signature(for: hashData, algorithm: .edDSA)
        let parts = OB3CredentialJSON.parts(facts, checked)
        let proof = OB3ProofFacts(
            created: createdText, verificationMethod: edKeyID,
            proofValue: OB3ProofValue.multibase(signature))
        let json = OB3CredentialJSON.signed(parts, proof: proof)
        let jwt = try compactJWT(claims: OB3CredentialJSON.claims(parts, facts, checked))
        return OB3SignedForms(json: String(decoding: json, as: UTF8.self), jwt: jwt)
    }

    /// The VC-JWT of already encoded `claims`, as ``VCJWT/sign(claims:key:algorithm:header:)`` makes it with the
    /// header `{"alg":"RS256","kid":…,"typ":"JWT"}`.
    func compactJWT(claims: [UInt8]) throws -> String {
        var header = OB3CredentialJSON(capacity: 128)
        header.raw(#"{"alg":"RS256""#.utf8)
        header.string("kid", rsaKeyID)
        header.raw(#","typ":"JWT"}"#.utf8)
        var encodedHeader = [UInt8]()
        Base64URL.encode(header.out, into: &encodedHeader)
        return try CompactJWS.signRS256(encodedHeader: encodedHeader, payload: claims, key: rsaKey)
    }

    /// The canonical N-Quads of the credential of `facts` and of its proof options, or nil when their shape is
    /// not covered by ``OB3CanonicalQuads`` (the caller then takes the generic path).
    static func canonicalForms(
        _ facts: OB3AwardFacts, _ checked: OB3CredentialBuilder.Checked, created: String, verificationMethod: String
    ) -> (document: [UInt8], proof: [UInt8])? {
        guard let proof = OB3CanonicalQuads.proofOptions(created: created, verificationMethod: verificationMethod),
            let quads = try? OB3CanonicalQuads.credential(facts, checked),
            let document = quads.canonicalNQuads()
        else { return nil }
        return (document, proof)
    }
}
