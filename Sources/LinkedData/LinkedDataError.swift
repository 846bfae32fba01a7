/// Why JSON-LD processing or canonicalization stopped. Every case is a verdict about the input, never a crash.
public enum LinkedDataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A remote context that is not bundled: it is never fetched.
    case unknownContext(String)
    /// The JSON-LD input breaks a rule of JSON-LD 1.1; `code` is the spec's error code (e.g. `invalid IRI mapping`).
    case invalid(code: String, detail: String)
    /// RDFC-1.0 needed more work than the limit allows (poison graph).
    case tooComplex(limit: Int)
    /// The input is not JSON.
    case notJSON(String)

    /// The JSON-LD error code, or a short name for the other cases.
    public var code: String {
        switch self {
        case .unknownContext: "loading remote context failed"
        case .invalid(let code, _): code
        case .tooComplex: "too complex"
        case .notJSON: "invalid JSON"
        }
    }

    public var description: String {
        switch self {
        case .unknownContext(let url):
            "contexte JSON-LD inconnu, jamais téléchargé / unknown JSON-LD context, never fetched: \(url)"
        case .invalid(let code, let detail):
            "JSON-LD invalide (\(code)) / invalid JSON-LD (\(code)): \(detail)"
        case .tooComplex(let limit):
            "graphe trop complexe à canoniser (limite \(limit)) / graph too complex to canonicalize (limit \(limit))"
        case .notJSON(let reason): "pas du JSON / not JSON: \(reason)"
        }
    }
}
