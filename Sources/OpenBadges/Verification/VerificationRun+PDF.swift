/// Certificate PDFs: the signed OB 2.0 assertion and/or the OB 3.0 credential they carry (ISSUE12 point 5,
/// ISSUE13: one PDF with both forms, both verified).
extension VerificationRun {
    /// A certificate PDF: every badge it carries (attachment and/or document information) is verified.
    func verifyPDF(_ bytes: [UInt8]) async {
        inputFormat = "pdf"
        pass("input.format", fr: "Attestation PDF reconnue", en: "PDF certificate recognised")
        let extracted: PDFExtractedAssertion
        do {
            extracted = try PDFAssertionExtractor.extract(from: bytes)
        } catch {
            switch error.code {
            case .malformedImage: failDamaged("input.extract", error)
            case .notBaked: fail("input.extract", .notABadge, fr: error.messageFR, en: error.messageEN)
            default: fail("input.extract", .malformed, fr: error.messageFR, en: error.messageEN)
            }
            return
        }
        if extracted.jws != nil {
            let source: LocalizedText =
                switch (extracted.fromAttachment, extracted.fromInfo) {
                case (true, true):
                    LocalizedText(
                        fr: "pièce jointe assertion.jws et métadonnées, identiques",
                        en: "assertion.jws attachment and metadata, identical")
                case (true, false): LocalizedText(fr: "pièce jointe assertion.jws", en: "assertion.jws attachment")
                default: LocalizedText(fr: "métadonnées du document", en: "document metadata")
                }
            pass(
                "input.extract", fr: "Badge signé extrait du PDF (\(source.fr))",
                en: "Signed badge extracted from the PDF (\(source.en))")
        }
        if let name = extracted.credentialName, extracted.credential != nil {
            pass(
                extracted.jws == nil ? "input.extract" : "input.extract.ob3",
                fr: "Justificatif Open Badges 3.0 extrait du PDF (pièce jointe \(name))",
                en: "Open Badges 3.0 credential extracted from the PDF (\(name) attachment)")
        }
        switch (extracted.jws, extracted.credential) {
        case (let jws?, let credential?):
            forms = [VCJWT(text: jws) == nil ? "2.0" : "3.0", "3.0"]
            pass(
                "input.forms",
                fr: "Le PDF porte le badge sous deux formes (Open Badges 2.0 et 3.0) : les deux sont vérifiées",
                en: "The PDF carries the badge in two forms (Open Badges 2.0 and 3.0): both are verified")
            await verifyPDFBadge(jws)
            await verifySecondForm(credential)
        case (let jws?, nil): await verifyPDFBadge(jws)
        case (nil, let credential?): await verifyOB3(text: credential)
        case (nil, nil): break
        }
    }

    /// The badge of `assertion.jws`: a signed OB 2.0 assertion, or a VC-JWT.
    func verifyPDFBadge(_ jws: String) async {
        if let jwt = VCJWT(text: jws) {
            await verifyOB3(jwt: jwt)
        } else {
            await verifySigned(jws: jws)
        }
    }

    /// An OB 3.0 credential as text (JSON or VC-JWT), as the PDF extractor found it.
    func verifyOB3(text: String) async {
        if let jwt = VCJWT(text: text) {
            await verifyOB3(jwt: jwt)
        } else if let json = try? JSONValue(parsing: text) {
            await verifyOB3(json: json)
        } else {
            fail(
                "credential.structure", .malformed, fr: "Justificatif Open Badges 3.0 illisible",
                en: "Unreadable Open Badges 3.0 credential")
        }
    }

    /// The OB 3.0 form beside the OB 2.0 one: verified in a run of its own, its checks added with ids prefixed
    /// `ob3.` and messages prefixed « OB 3.0 : », so that both forms count in the verdict and the first form's
    /// summary stays the one shown.
    func verifySecondForm(_ credential: String) async {
        let sub = VerificationRun(loader: loader, keyCache: keyCache, modelCache: modelCache, options: options)
        await sub.verifyOB3(text: credential)
        for var check in sub.checks {
            check.id = "ob3." + check.id
            check.message = LocalizedText(fr: "OB 3.0 : " + check.message.fr, en: "OB 3.0: " + check.message.en)
            checks.append(check)
        }
        if summary?.revocationReason == nil { summary?.revocationReason = sub.summary?.revocationReason }
    }
}
