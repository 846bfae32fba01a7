import Foundation
import OpenBadgesPNG

/// The demo badge picture, drawn by the project (no third-party artwork): a medal with a ribbon and a heart.
public enum DemoBadgeArt {
    /// A 256×256 RGBA PNG.
    public static func png(size: Int = 256) throws -> [UInt8] {
        var img = RGBAImage(width: size, height: size, fill: (0, 0, 0, 0))
        let s = Double(size)
        let c = s / 2
        // Ribbon tails.
        for y in Int(s * 0.55)..<size {
            for x in 0..<size {
                let dx = Double(x) - c
                let t = (Double(y) - s * 0.55) / (s * 0.45)
                let left = dx > -s * 0.30 + t * s * 0.05 && dx < -s * 0.06 + t * s * 0.02
                let right = dx < s * 0.30 - t * s * 0.05 && dx > s * 0.06 - t * s * 0.02
                let notch = Double(y) > s * 0.93 - abs(dx.truncatingRemainder(dividingBy: s * 0.12)) * 0.4
                if (left || right) && !notch {
                    img[x, y] = left ? (0x1F, 0x4E, 0x9C, 255) : (0xC0, 0x39, 0x2B, 255)
                }
            }
        }
        // Medal: outer ring with a radial gradient, inner disc.
        for y in 0..<size {
            for x in 0..<size {
                let dx = Double(x) + 0.5 - c
                let dy = Double(y) + 0.5 - s * 0.42
                let d = (dx * dx + dy * dy).squareRoot()
                let outer = s * 0.38
                let inner = s * 0.30
                if d <= outer {
                    let a = UInt8(max(0, min(255, (outer - d) * 255)))  // anti-aliased edge
                    if d > inner {
                        let g = 1 - (d - inner) / (outer - inner) * 0.35
                        img[x, y] = (UInt8(0xE8 * g), UInt8(0xB3 * g), UInt8(0x2E * g), max(a, d < outer - 1 ? 255 : a))
                    } else {
                        let g = 0.85 + 0.15 * (1 - d / inner)
                        img[x, y] = (UInt8(0xFF * g), UInt8(0xF6 * g), UInt8(0xE0 * g), 255)
                    }
                }
            }
        }
        // A heart in the middle (care / bientraitance).
        for y in 0..<size {
            for x in 0..<size {
                let u = (Double(x) + 0.5 - c) / (s * 0.13)
                let v = -(Double(y) + 0.5 - s * 0.43) / (s * 0.13)
                let q = u * u + v * v - 1
                if q * q * q - u * u * v * v * v <= 0 {
                    img[x, y] = (0xC0, 0x39, 0x2B, 255)
                }
            }
        }
        return try img.pngData()
    }

    /// The same badge as SVG.
    public static let svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
          <title>Insigne — badge de démonstration</title>
          <path d="M56 140 L100 140 L92 248 L74 232 L56 248 Z" fill="#1F4E9C"/>
          <path d="M200 140 L156 140 L164 248 L182 232 L200 248 Z" fill="#C0392B"/>
          <circle cx="128" cy="108" r="97" fill="#E8B32E"/>
          <circle cx="128" cy="108" r="77" fill="#FFF6E0"/>
          <path d="M128 140 C 96 116, 92 92, 110 84 C 120 80, 126 86, 128 92 C 130 86, 136 80, 146 84 C 164 92, 160 116, 128 140 Z" fill="#C0392B"/>
        </svg>

        """
}
