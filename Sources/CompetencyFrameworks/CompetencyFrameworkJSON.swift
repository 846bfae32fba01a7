import Foundation

// TEMPORARY stand-in (branch refs): replaced at merge time by the real JSON form of branch csv.

/// The JSON form of a framework (the `CompetencyFramework` fields, keys sorted).
public enum CompetencyFrameworkJSON {
    /// Encodes a framework (pretty-printed, sorted keys).
    public static func encode(_ f: CompetencyFramework) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(f)) ?? Data("{}".utf8)
    }

    /// Decodes and validates a framework.
    public static func decode(_ data: Data) throws(ReferentialError) -> CompetencyFramework {
        let f: CompetencyFramework
        do {
            f = try JSONDecoder().decode(CompetencyFramework.self, from: data)
        } catch {
            throw ReferentialError(
                line: nil, fr: "JSON de référentiel illisible : \(error)", en: "unreadable framework JSON: \(error)")
        }
        return try f.validated()
    }
}
