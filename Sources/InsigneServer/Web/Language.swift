import Foundation
import Hummingbird
import OpenBadges

/// The reader's language, chosen by one rule on every surface (pages, API problems, public pages): `?lang=`, then
/// the `insigne_lang` cookie (set by pages when `?lang=` is given), then the first `Accept-Language` entry; French
/// when none says otherwise.
enum Language: String, Sendable {
    case fr, en

    /// The cookie that remembers a choice made with `?lang=`.
    static let cookieName = "insigne_lang"

    /// The language of a request.
    init(_ request: Request) {
        if let q = request.uri.queryParameters.get("lang") {
            self = q == "en" ? .en : .fr
        } else if let c = request.cookies[Self.cookieName]?.value, let chosen = Language(rawValue: c) {
            self = chosen
        } else if let header = request.headers[.acceptLanguage]?.lowercased() {
            let first = header.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            self = first.hasPrefix("en") ? .en : .fr
        } else {
            self = .fr
        }
    }

    /// The language explicitly chosen with `?lang=fr|en` (the pages remember it in a cookie).
    static func chosen(_ request: Request) -> Language? {
        request.uri.queryParameters.get("lang").flatMap { Language(rawValue: $0) }
    }

    /// True for English.
    var english: Bool { self == .en }

    /// The text in this language.
    func text(_ text: LocalizedText) -> String { english ? text.en : text.fr }

    /// A table of texts resolved in this language (templates receive resolved strings).
    func resolve(_ table: [String: LocalizedText]) -> [String: String] { table.mapValues(text) }

    /// `fr` or `en`.
    func text(_ fr: String, _ en: String) -> String { english ? en : fr }
}
