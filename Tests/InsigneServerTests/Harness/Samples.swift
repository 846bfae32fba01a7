import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadgesCrypto
import TestSupport
import Testing

@testable import InsigneServer

/// Evidence file contents: a PDF, an executable, active HTML and SVG, plain text.
enum Samples {
    static let pdf = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
    static let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 56)
    static let html = Array("<!doctype html><html><script>alert(1)</script></html>".utf8)
    static let svg = Array(#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>"#.utf8)
    static let text = Array(
        "Compte rendu de la réunion d'équipe du 3 mars.\nPoints abordés : projet personnalisé.\n".utf8)
}
