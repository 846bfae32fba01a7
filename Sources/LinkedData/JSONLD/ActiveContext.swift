/// A term definition of JSON-LD 1.1 (§4.2); `iri` nil means the term is explicitly mapped to null.
struct TermDefinition: Equatable, Sendable {
    var iri: String?
    var isPrefix = false
    var isProtected = false
    var isReverse = false
    var typeMapping: String?
    var container: ContainerMapping = []
    /// `.some(nil)` is an explicit null language (no default language for this term).
    var language: String??
    var direction: String??
    var context: LDJSON?
    var baseURL: String?
    var nest: String?
    var index: String?

    /// Equal apart from `@protected` (for the protected-redefinition rule).
    func sameAs(_ other: TermDefinition) -> Bool {
        var a = self
        var b = other
        a.isProtected = false
        b.isProtected = false
        return a == b
    }
}

/// A container mapping (`@container`) as bits: tested on every property during expansion, so no string hashing.
struct ContainerMapping: OptionSet, Hashable, Sendable {
    let rawValue: UInt8
    static let graph = ContainerMapping(rawValue: 1)
    static let id = ContainerMapping(rawValue: 2)
    static let index = ContainerMapping(rawValue: 4)
    static let language = ContainerMapping(rawValue: 8)
    static let list = ContainerMapping(rawValue: 16)
    static let set = ContainerMapping(rawValue: 32)
    static let type = ContainerMapping(rawValue: 64)

    /// The mapping of container keywords (each one of `@graph @id @index @language @list @set @type`).
    init(keywords: some Sequence<String>) {
        var bits: UInt8 = 0
        for k in keywords {
            switch k {
            case "@graph": bits |= 1
            case "@id": bits |= 2
            case "@index": bits |= 4
            case "@language": bits |= 8
            case "@list": bits |= 16
            case "@set": bits |= 32
            case "@type": bits |= 64
            default: continue
            }
        }
        rawValue = bits
    }

    init(rawValue: UInt8) { self.rawValue = rawValue }
}

/// The active context of JSON-LD 1.1 (§4.1); a value type, so "a copy" is just an assignment.
struct ActiveContext: Sendable {
    var terms: [String: TermDefinition] = [:]
    var base: String?
    var originalBase: String?
    var vocab: String?
    var defaultLanguage: String?
    var defaultDirection: String?
    var previous: ContextBox?
    /// Names this exact context in a ``ProcessedContexts`` cache (0: not cached). Context processing resets it
    /// on every context it builds; only the cache gives a new one.
    var cacheID = 0

    init(base: String?) {
        self.base = base
        self.originalBase = base
    }

    var hasProtectedTerms: Bool { terms.values.contains { $0.isProtected } }
}

/// Holds the previous context of a non-propagated context (a value type cannot contain itself).
final class ContextBox: Sendable {
    let context: ActiveContext
    init(_ context: ActiveContext) { self.context = context }
}

/// JSON-LD keywords.
enum Keyword {
    static let all: Set<String> = [
        "@base", "@container", "@context", "@direction", "@graph", "@id", "@import", "@included", "@index", "@json",
        "@language", "@list", "@nest", "@none", "@prefix", "@propagate", "@protected", "@reverse", "@set", "@type",
        "@value", "@version", "@vocab",
    ]

    /// One of ``all`` (compared, not hashed: called for every key of every node).
    static func isKeyword(_ s: String) -> Bool {
        guard s.utf8.first == UInt8(ascii: "@") else { return false }
        switch s {
        case "@base", "@container", "@context", "@direction", "@graph", "@id", "@import", "@included", "@index",
            "@json", "@language", "@list", "@nest", "@none", "@prefix", "@propagate", "@protected", "@reverse",
            "@set", "@type", "@value", "@version", "@vocab":
            return true
        default: return false
        }
    }

    /// `@` followed by ASCII letters only: reserved for future keywords, ignored with no error.
    static func looksLikeKeyword(_ s: String) -> Bool {
        guard s.utf8.first == UInt8(ascii: "@") else { return false }
        let u = s.unicodeScalars
        guard u.count > 1, u.first == "@" else { return false }
        return u.dropFirst().allSatisfy { $0.isASCIILetter }
    }

    /// RFC 3986 gen-delims: a term whose IRI ends with one of these can be used as a prefix.
    static func endsWithGenDelim(_ s: String) -> Bool {
        guard let last = s.last else { return false }
        return ":/?#[]@".contains(last)
    }
}

func jsonldError(_ code: String, _ detail: String = "") -> LinkedDataError {
    .invalid(code: code, detail: detail)
}
