import Foundation
import Hummingbird
import InsigneStore
import OpenBadges

/// The public pages' shared machinery.
///
/// Every public page is a child of `Templates/layouts/public.mustache`
/// (`{{<layouts.public}}{{$content}}…{{/content}}{{/layouts.public}}`), rendered by ``Renderer`` with a context built by ``Pages/layoutContext(request:english:title:)`` plus the page's own keys.
enum Pages {
    /// A value for a template, or `false` when absent (so that a section does not pick up an outer key of that name).
    static func opt(_ value: Any?) -> Any { value ?? false }

    /// Renders `template` (see ``Renderer``) as an HTML response (CSP from ``HTTP/html(_:status:)``).
    static func render(_ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        switch Renderer.shared {
        case .success(let renderer):
            guard let html = renderer.render(template, context) else {
                return HTTP.text("modèle introuvable / template not found: \(template)\n", status: .internalServerError)
            }
            return HTTP.html(html, status: status)
        case .failure(let error):
            FileHandle.standardError.write(Data("insigne: templates unreadable: \(error)\n".utf8))
            return HTTP.text("modèles illisibles / templates unreadable\n", status: .internalServerError)
        }
    }

    /// The keys `layouts/public.mustache` reads: `lang`, `title`, `cssHref`, `jsHref`, `switchHref`, `switchLabel`,
    /// `switchLang`, `langQuery` and `l` (the layout's own strings).
    static func layoutContext(request: Request, english: Bool, title: String) -> [String: Any] {
        [
            "lang": english ? "en" : "fr",
            "title": title,
            "cssHref": StaticAssets.href("insigne.css"),
            "jsHref": StaticAssets.href("insigne.js"),
            "switchHref": languageSwitchHref(request, to: english ? "fr" : "en"),
            "switchLabel": english ? "Français" : "English",
            "switchLang": english ? "fr" : "en",
            "langQuery": english ? "?lang=en" : "?lang=fr",
            "l": (english ? Language.en : .fr).resolve(layoutTexts),
            "signInLink": signInLink(request: request, english: english),
        ]
    }

    /// The header's « Se connecter » link; « Mon espace » when a session cookie is present (`/login` sends a
    /// signed-in person to their own pages, and shows the form when the session has ended).
    static func signInLink(request: Request, english: Bool) -> [String: Any] {
        let language: Language = english ? .en : .fr
        let cookie = request.cookies[WebSessionStore.cookieName]?.value ?? ""
        let text = cookie.isEmpty ? layoutTexts["navSignIn"]! : layoutTexts["navMySpace"]!
        return ["href": "/login", "label": language.text(text)]
    }

    /// The header link of a page that knows who is signed in: their own space, or « Se connecter ».
    static func signInLink(account: AccountRecord?, english: Bool) -> [String: Any] {
        let language: Language = english ? .en : .fr
        guard let account, account.erasedAt == nil else {
            return ["href": "/login", "label": language.text(layoutTexts["navSignIn"]!)]
        }
        let learner = account.role == .learner
        return [
            "href": learner ? "/portfolio" : "/trainer",
            "label": language.text(learner ? WebText.texts["navPortfolio"]! : WebText.texts["navDashboard"]!),
        ]
    }

    /// The layout's own strings (`l.<key>` in `layouts/public.mustache`).
    static let layoutTexts: [String: LocalizedText] = [
        "skip": LocalizedText(fr: "Aller au contenu", en: "Skip to content"),
        "brandTagline": LocalizedText(fr: "badges numériques", en: "digital badges"),
        "navVerify": LocalizedText(fr: "Vérifier un badge", en: "Verify a badge"),
        "navReferentials": LocalizedText(fr: "Référentiels", en: "Competency frameworks"),
        "navSignIn": LocalizedText(fr: "Se connecter", en: "Sign in"),
        "navMySpace": LocalizedText(fr: "Mon espace", en: "My space"),
        "home": LocalizedText(fr: "Accueil", en: "Home"),
        "switchTitle": LocalizedText(fr: "Read this page in English", en: "Lire cette page en français"),
        "footer": LocalizedText(
            fr:
                "Insigne délivre et vérifie des badges ouverts (Open Badges 2.0). Aucune donnée personnelle n'est affichée sur les pages publiques.",
            en: "Insigne issues and verifies Open Badges 2.0. No personal data is shown on public pages."),
    ]

    /// The current path and query with `lang` set to `lang` (other parameters kept).
    static func languageSwitchHref(_ request: Request, to lang: String) -> String {
        var items: [URLQueryItem] = []
        if let components = URLComponents(string: request.uri.description) {
            items = (components.queryItems ?? []).filter { $0.name != "lang" }
        }
        items.append(URLQueryItem(name: "lang", value: lang))
        return request.uri.path + "?"
            + items.map { "\(queryEscape($0.name))=\(queryEscape($0.value ?? ""))" }.joined(separator: "&")
    }

    /// Percent-encodes a query component (unreserved characters kept).
    static func queryEscape(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A short page with a title and a message (not found, errors).
    static func message(
        request: Request, english: Bool, title: String, text: String, status: HTTPResponse.Status
    ) -> Response {
        var c = layoutContext(request: request, english: english, title: title)
        c["heading"] = title
        c["text"] = text
        c["verifyLabel"] = english ? "Verify a badge" : "Vérifier un badge"
        return render("layouts.message", c, status: status)
    }

    /// The public "not found" page (hosted documents, referentials).
    static func notFound(_ request: Request, english: Bool) -> Response {
        Pages.message(
            request: request, english: english, title: english ? "Not found" : "Page introuvable",
            text: english
                ? "Nothing is published at this address. Check the link you were given."
                : "Rien n'est publié à cette adresse. Vérifiez le lien qui vous a été transmis.",
            status: .notFound)
    }

    /// OpenGraph keys read by the templates' `head` block.
    static func openGraph(title: String, description: String, image: String?, url: String, english: Bool) -> [String:
        Any]
    {
        var og: [String: Any] = [
            "title": title, "description": Self.excerpt(description, max: 280), "url": url, "type": "website",
            "locale": english ? "en_GB" : "fr_FR", "siteName": "Insigne",
        ]
        if let image { og["image"] = image }
        return ["og": og]
    }

    /// `text` on one line, cut to `max` characters with an ellipsis.
    static func excerpt(_ text: String, max: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard flat.count > max else { return flat }
        return String(flat.prefix(max - 1)) + "…"
    }
}
