import Foundation
import OpenBadgesPNG

/// Badge pictures drawn by the project for production use (no third-party artwork): the generated competency
/// badges of the referentials. The demo medal stays in `Demo/DemoBadgeArt`.
public enum BadgeArtwork {
    /// Ring colours, one per top-level domain.
    static let domainColours: [(UInt8, UInt8, UInt8)] = [
        (0x1F, 0x4E, 0x9C), (0x1E, 0x6B, 0x3A), (0xC0, 0x39, 0x2B), (0x7A, 0x3E, 0x9D), (0xB3, 0x6B, 0x00),
        (0x00, 0x6D, 0x77),
    ]

    /// A competency badge (256×256 PNG): the ring's colour tells the domain, the dots the competency's rank in it.
    public static func competencyPNG(domain: Int, rank: Int, size: Int = 256) throws -> [UInt8] {
        var img = RGBAImage(width: size, height: size, fill: (0, 0, 0, 0))
        let colour = domainColours[((domain % domainColours.count) + domainColours.count) % domainColours.count]
        let s = Double(size)
        let c = s / 2
        let dots = max(1, min(rank, 12))
        for y in 0..<size {
            for x in 0..<size {
                let dx = Double(x) + 0.5 - c
                let dy = Double(y) + 0.5 - c
                let d = (dx * dx + dy * dy).squareRoot()
                if d <= s * 0.46 {
                    img[x, y] = d > s * 0.36 ? (colour.0, colour.1, colour.2, 255) : (0xFF, 0xF6, 0xE0, 255)
                }
            }
        }
        // One dot per rank, on a circle; a single dot sits in the middle.
        for k in 0..<dots {
            let angle = Double(k) / Double(dots) * 2 * Double.pi - Double.pi / 2
            let radius = dots == 1 ? 0 : s * 0.18
            let cx = c + radius * cos(angle)
            let cy = c + radius * sin(angle)
            let r = s * (dots == 1 ? 0.1 : 0.055)
            for y in Int(cy - r)...Int(cy + r) {
                for x in Int(cx - r)...Int(cx + r) where x >= 0 && y >= 0 && x < size && y < size {
                    let dx = Double(x) + 0.5 - cx
                    let dy = Double(y) + 0.5 - cy
                    if dx * dx + dy * dy <= r * r { img[x, y] = (colour.0, colour.1, colour.2, 255) }
                }
            }
        }
        return try img.pngData()
    }
}
