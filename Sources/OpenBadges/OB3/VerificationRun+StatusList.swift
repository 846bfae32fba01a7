import Foundation

/// OB 3.0 `credentialStatus` (ISSUE12 point 4): `BitstringStatusListEntry` (revocation, suspension) and
/// `1EdTechRevocationList`. A status list whose own proof does not verify, that has expired, or that cannot be
/// fetched or read gives an indeterminate status (never « valid », never « revoked » on its word).
extension VerificationRun {
    /// Checks every status entry; records one `revocation` check (passed, failed or skipped).
    func checkOB3Status(_ c: OB3Credential) async {
        guard !c.statuses.isEmpty else {
            pass("revocation", fr: "Pas de statut publié (non révocable)", en: "No status published (not revocable)")
            return
        }
        var notes: [LocalizedText] = []
        for status in c.statuses {
            let type = (status["type"]?.oneOrMany ?? []).compactMap(\.stringValue)
            let result: StatusResult
            if BitstringStatusListEntry.isEntry(status) {
                result = await bitstringStatus(status)
            } else if type.contains("1EdTechRevocationList") {
                result = await revocationListStatus(status, credentialID: c.id)
            } else {
                let name = type.joined(separator: ", ")
                result = .unknown(
                    LocalizedText(
                        fr: "type de statut non pris en charge (\(name))", en: "unsupported status type (\(name))"),
                    blocking: false)
            }
            switch result {
            case .revoked(let listed):
                var reason = listed.flatMap(Self.cleanReason)
                if reason == nil, let id = c.id { reason = await revocationReason(credentialID: id) }
                summary?.revocationReason = reason
                if let reason {
                    fail("revocation", .revoked, fr: "Révoqué : \(reason)", en: "Revoked: \(reason)")
                } else {
                    fail(
                        "revocation", .revoked, fr: "L'émetteur a révoqué ce badge", en: "The issuer revoked this badge"
                    )
                }
                return
            case .suspended:
                fail(
                    "revocation", .suspended,
                    fr: "L'émetteur a suspendu ce badge (la suspension peut être levée)",
                    en: "The issuer suspended this badge (the suspension may be lifted)")
                return
            case .unknown(let note, let blocking):
                if blocking {
                    skip(
                        "revocation", blocking: true, fr: "Statut indéterminé : \(note.fr)",
                        en: "Status undetermined: \(note.en)")
                    return
                }
                notes.append(note)
            case .clear(let note): notes.append(note)
            }
        }
        pass(
            "revocation", fr: "Ni révoqué ni suspendu (\(notes.map(\.fr).joined(separator: " ; ")))",
            en: "Neither revoked nor suspended (\(notes.map(\.en).joined(separator: "; ")))")
    }

    enum StatusResult {
        case clear(LocalizedText)
        case revoked(String?)
        case suspended
        case unknown(LocalizedText, blocking: Bool)
    }

    // MARK: Bitstring Status List

    func bitstringStatus(_ json: JSONValue) async -> StatusResult {
        let entry: BitstringStatusListEntry
        do { entry = try BitstringStatusListEntry(json) } catch {
            return .unknown(LocalizedText(fr: error.fr, en: error.en), blocking: true)
        }
        guard ["revocation", "suspension"].contains(entry.statusPurpose) else {
            return .unknown(
                LocalizedText(
                    fr: "statut « \(entry.statusPurpose) » non vérifié",
                    en: "\"\(entry.statusPurpose)\" status not checked"
                ), blocking: false)
        }
        guard entry.statusSize == 1 else {
            return .unknown(
                LocalizedText(
                    fr: "statut de \(entry.statusSize) bits non pris en charge",
                    en: "\(entry.statusSize)-bit status not supported"), blocking: true)
        }
        let list: JSONValue
        switch await verifiedStatusList(entry.statusListCredential) {
        case .failure(let e): return .unknown(LocalizedText(fr: e.fr, en: e.en), blocking: true)
        case .success(let l): list = l
        }
        let subject = list["credentialSubject"]?.oneOrMany.first
        guard subject?["statusPurpose"]?.oneOrMany.contains(.string(entry.statusPurpose)) == true else {
            return .unknown(
                LocalizedText(
                    fr: "la liste de statut ne sert pas à « \(entry.statusPurpose) »",
                    en: "the status list is not for \"\(entry.statusPurpose)\""), blocking: true)
        }
        let bits: BitstringStatusList
        do { bits = try BitstringStatusList(encodedList: subject?["encodedList"]?.stringValue ?? "") } catch {
            return .unknown(LocalizedText(fr: error.fr, en: error.en), blocking: true)
        }
        guard let bit = bits.bit(at: entry.statusListIndex) else {
            return .unknown(
                LocalizedText(
                    fr: "index \(entry.statusListIndex) hors de la liste (\(bits.bitCount) bits)",
                    en: "index \(entry.statusListIndex) outside the list (\(bits.bitCount) bits)"), blocking: true)
        }
        if bit { return entry.statusPurpose == "revocation" ? .revoked(nil) : .suspended }
        return .clear(
            LocalizedText(
                fr: "liste de statut « \(entry.statusPurpose) » vérifiée",
                en: "\"\(entry.statusPurpose)\" status list checked"))
    }

    /// Fetches a status list credential (JSON with an embedded proof, or a VC-JWT), verifies its proof through the
    /// credential proof path and its validity period; the credential JSON when all holds.
    func verifiedStatusList(_ url: String) async -> Result<JSONValue, OB3FormatError> {
        let doc: LoadedDocument
        switch await load(url, accept: badgeAccept) {
        case .failure(let e):
            return .failure(
                OB3FormatError(
                    fr: "liste de statut inaccessible (\(url)) : \(e.message)",
                    en: "status list unreachable (\(url)): \(e.message)"))
        case .success(let d): doc = d
        }
        guard (200..<300).contains(doc.statusCode) else {
            return .failure(
                OB3FormatError(
                    fr: "liste de statut inaccessible (\(url)) : HTTP \(doc.statusCode)",
                    en: "status list unreachable (\(url)): HTTP \(doc.statusCode)"))
        }
        let sub = VerificationRun(loader: loader, keyCache: keyCache, modelCache: modelCache, options: options)
        let json: JSONValue
        var until: DateTimeValue?
        if let text = String(validating: doc.body, as: UTF8.self), let jwt = VCJWT(text: text) {
            json = jwt.credential
            until = jwt.dateClaim("exp").map(DateTimeValue.init)
            if let algorithm = VCJWT.acceptedAlgorithms[jwt.jws.algorithm ?? ""] {
                await sub.checkJWTSignature(jwt, algorithm: algorithm, issuerID: Self.issuerID(of: json))
            } else {
                sub.fail("jws.algorithm", .forged, fr: "algorithme refusé", en: "algorithm refused")
            }
        } else if let parsed = try? JSONValue(parsing: doc.body), OB3Credential.isVerifiableCredential(parsed) {
            json = parsed
            await sub.checkEmbeddedProof(document: parsed)
        } else {
            return .failure(
                OB3FormatError(
                    fr: "la liste de statut (\(url)) n'est pas un justificatif vérifiable",
                    en: "the status list (\(url)) is not a verifiable credential"))
        }
        if let failed = sub.checks.first(where: { $0.status == .failed || ($0.status == .skipped && $0.blocking) }) {
            let word =
                failed.status == .failed
                ? ("preuve invalide", "invalid proof") : ("preuve non vérifiée", "proof not checked")
            return .failure(
                OB3FormatError(
                    fr: "liste de statut : \(word.0) (\(failed.message.fr))",
                    en: "status list: \(word.1) (\(failed.message.en))"))
        }
        if let s = json["validUntil"]?.stringValue ?? json["expirationDate"]?.stringValue { until = DateTimeValue(s) }
        if let until, until.date <= options.now {
            return .failure(
                OB3FormatError(
                    fr: "la liste de statut a expiré (\(HumanDate.text(until.date).fr))",
                    en: "the status list has expired (\(HumanDate.text(until.date).en))"))
        }
        return .success(json)
    }

    static func issuerID(of json: JSONValue) -> String? {
        json["issuer"]?.stringValue ?? json["issuer"]?["id"]?.stringValue
    }

    // MARK: Revocation reason

    /// A status bit carries no reason. Once a status says « revoked », the credential's own http(s) `id` is asked
    /// (same guarded loader, 3 s at most): an issuer that answers 410 Gone with JSON
    /// `{"revoked": true, "revocationReason": "…"}` (like an OB 2.0 hosted assertion) gives the reason. Any failure
    /// leaves the verdict revoked without a reason. Never asked for a badge that is not revoked.
    func revocationReason(credentialID: String) async -> String? {
        guard let url = URL(string: credentialID), ["http", "https"].contains(url.scheme?.lowercased() ?? "")
        else { return nil }
        let loader = self.loader
        let doc = await withTaskGroup(of: LoadedDocument?.self) { group in
            group.addTask { try? await loader.load(urlString: credentialID, accept: "application/json") }
            group.addTask {
                try? await Task.sleep(for: .seconds(3))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let doc, doc.statusCode == 410,
            let json = doc.json ?? (try? JSONValue(parsing: doc.body)),
            let reason = json["revocationReason"]?.stringValue
        else { return nil }
        return Self.cleanReason(reason)
    }

    /// The reason as shown: control characters replaced by spaces, trimmed, at most 500 characters; nil when empty.
    static func cleanReason(_ reason: String) -> String? {
        let flat = String(
            String.UnicodeScalarView(
                reason.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? " " : $0 }))
        let trimmed = flat.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        return trimmed.count > 500 ? String(trimmed.prefix(499)) + "…" : trimmed
    }

    // MARK: 1EdTech revocation list

    func revocationListStatus(_ json: JSONValue, credentialID: String?) async -> StatusResult {
        guard let url = json["id"]?.stringValue else {
            return .unknown(
                LocalizedText(fr: "liste de révocation sans adresse", en: "revocation list without a URL"),
                blocking: true)
        }
        let doc: LoadedDocument
        switch await load(url) {
        case .success(let d) where (200..<300).contains(d.statusCode): doc = d
        default:
            return .unknown(
                LocalizedText(
                    fr: "liste de révocation inaccessible (\(url))", en: "revocation list unreachable (\(url))"),
                blocking: true)
        }
        let list: RevocationListDocument
        do throws(OB3FormatError) {
            guard let parsed = doc.json ?? (try? JSONValue(parsing: doc.body)) else {
                throw OB3FormatError(fr: "pas du JSON", en: "not JSON")
            }
            list = try RevocationListDocument(document: parsed)
        } catch {
            return .unknown(
                LocalizedText(
                    fr: "liste de révocation illisible : \(error.fr)", en: "unreadable revocation list: \(error.en)"),
                blocking: true)
        }
        if let credentialID, let reason = list.revoked[credentialID] { return .revoked(reason) }
        return .clear(LocalizedText(fr: "liste de révocation consultée", en: "revocation list checked"))
    }
}
