import Foundation
import OpenBadges

/// The JSON form of a framework: the `Codable` fields of `CompetencyFramework` and `Competency`
/// (a top-level competency has no `parentIDNumber` key). Decoding applies `CompetencyFramework.validated()`.
public enum CompetencyFrameworkJSON {
    /// Largest document accepted by `decode`, in bytes (16 MiB).
    public static let maxBytes = 16 * 1024 * 1024

    /// Pretty-printed JSON with sorted keys: the same framework always gives the same bytes.
    public static func encode(_ framework: CompetencyFramework) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Strings, integers, arrays and optionals only: encoding cannot fail.
        return (try? encoder.encode(framework)) ?? Data()
    }

    /// Reads and checks a framework; competencies come out in tree order. Errors have no line number.
    public static func decode(_ data: Data) throws(ReferentialError) -> CompetencyFramework {
        if data.count > maxBytes {
            throw ReferentialError(
                line: nil,
                fr: "document trop gros (\(data.count) octets) : au plus 16 Mo",
                en: "document too large (\(data.count) bytes): at most 16 MiB")
        }
        let framework: CompetencyFramework
        do {
            framework = try JSONDecoder().decode(CompetencyFramework.self, from: data)
        } catch let error as DecodingError {
            let (fr, en) = describe(error)
            throw ReferentialError(
                line: nil, fr: "JSON de référentiel invalide : \(fr)",
                en: "invalid framework JSON: \(en)")
        } catch {
            throw ReferentialError(line: nil, fr: "JSON invalide : \(error)", en: "invalid JSON: \(error)")
        }
        return try framework.validated()
    }

    /// Where and what, in both languages (the decoder's own detail is in English).
    private static func describe(_ error: DecodingError) -> (fr: String, en: String) {
        func path(_ keys: [any CodingKey]) -> String {
            "$" + keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = path(context.codingPath + [key])
            return ("champ \(at) absent", "missing field \(at)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let at = path(context.codingPath)
            return (
                "type inattendu en \(at) (\(context.debugDescription))",
                "unexpected type at \(at) (\(context.debugDescription))"
            )
        case .dataCorrupted(let context):
            return ("syntaxe invalide (\(context.debugDescription))", "bad syntax (\(context.debugDescription))")
        @unknown default:
            return ("\(error)", "\(error)")
        }
    }
}
