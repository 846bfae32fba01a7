import Foundation

/// The official OB 3.0 JSON Schema check (ISSUE12 point 4), named `schema`.
extension VerificationRun {
    /// Checks the credential (for a VC-JWT: the credential with its registered claims) against
    /// `achievementcredential.json`. VC 1.1 credentials are judged on their VC 2.0 view (`OB3Schema.schemaView`):
    /// the schema knows VC 2.0 only, and OB 3.0 still accepts VC 1.1. A single value stands for an array of one,
    /// as in JSON-LD (many issuers write `"proof": {…}`). A violation makes the badge malformed.
    func checkOB3Schema(_ credential: OB3Credential, jwt: VCJWT? = nil) {
        let schema = OB3Schema.achievementCredential
        if case .failure(let error) = schema.validator {
            skip(
                "schema", blocking: false,
                fr: "Schéma Open Badges 3.0 non vérifié (schéma intégré illisible : \(error))",
                en: "Open Badges 3.0 schema not checked (unreadable bundled schema: \(error))")
            return
        }
        let view = OB3Schema.schemaView(of: credential.document, claims: jwt?.claims)
        let violations = OB3Schema.violations(of: view, schema: schema, singleValuesAsArrays: true)
        let shape = credential.isVC2 ? "" : " (VC 1.1 : vérifié sous sa forme VC 2.0)"
        let shapeEN = credential.isVC2 ? "" : " (VC 1.1: checked in its VC 2.0 form)"
        guard !violations.isEmpty else {
            pass(
                "schema", fr: "Conforme au schéma Open Badges 3.0\(shape)",
                en: "Conforms to the Open Badges 3.0 schema\(shapeEN)")
            return
        }
        let problems = OB3Schema.describe(violations)
        let detail = violations.prefix(10).map(\.description).joined(separator: "\n")
        fail(
            "schema", .malformed, fr: "Le document ne respecte pas le schéma Open Badges 3.0 : \(problems.fr)",
            en: "The document does not conform to the Open Badges 3.0 schema: \(problems.en)",
            detail: LocalizedText(fr: detail, en: detail))
    }
}
