import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import OpenBadgesCrypto
import Testing

@testable import InsigneServer

/// Admin API request bodies: a badge class and its image.
enum Fixtures {
    static func pngDataURI() throws -> String {
        "data:image/png;base64," + Data(try DemoBadgeArt.png()).base64EncodedString()
    }

    static let svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100"><circle cx="50" cy="50" r="40" fill="#2a6"/></svg>
        """

    static func badge(id: String? = nil, name: String = "Premiers secours", image: String) -> JSONValue {
        var o: [String: JSONValue] = [
            "name": .string(name), "description": "Gestes de premiers secours en établissement.",
            "criteria": ["narrative": "Avoir suivi la formation PSC1 (7 heures)."], "image": .string(image),
            "tags": ["secourisme"],
            "alignment": [["targetName": "PSC1", "targetUrl": "https://www.example.org/psc1", "targetCode": "PSC1"]],
        ]
        if let id { o["id"] = .string(id) }
        return .object(o)
    }
}
