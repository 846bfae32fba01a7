import Foundation
import OpenBadgesPNG

/// Locates files under the package's Fixtures/ folder from this source file's path.
enum Fixtures {
    /// The package root: the first ancestor of this file that contains Package.swift.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }()

    /// URL of Fixtures/<folder>/<name>.
    static func url(_ folder: String, _ name: String) -> URL {
        packageRoot.appendingPathComponent("Fixtures").appendingPathComponent(folder).appendingPathComponent(name)
    }

    /// Bytes of Fixtures/<folder>/<name>.
    static func bytes(_ folder: String, _ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(folder, name)))
    }

    /// The .png files of a fixture folder, sorted.
    static func pngNames(_ folder: String) -> [String] {
        let dir = packageRoot.appendingPathComponent("Fixtures").appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".png") }.sorted()
    }

    /// Bytes from a hex string (whitespace ignored).
    static func hex(_ s: String) -> [UInt8] {
        let digits = s.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map { Character($0) }
        var out: [UInt8] = []
        var i = 0
        while i + 1 < digits.count {
            out.append(UInt8(String(digits[i...i + 1]), radix: 16) ?? 0)
            i += 2
        }
        return out
    }

    /// The 68-byte minimal 1×1 RGBA PNG of DIGEST.md §3.1.
    static let minimalPNG = hex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
    )

    /// The 256×256 test drawing (radial gradient disc on a vertical gradient).
    static func testImage256() -> RGBAImage {
        var image = RGBAImage(width: 256, height: 256, fill: (r: 0, g: 0, b: 0, a: 0))
        for y in 0..<256 {
            for x in 0..<256 {
                image[x, y] = (UInt8(x), UInt8(y), UInt8(255 - x), 255)
            }
        }
        image.fillCircle(centerX: 128, centerY: 128, radius: 100, color: (r: 255, g: 200, b: 40, a: 255))
        image.fillCircle(centerX: 128, centerY: 128, radius: 60, color: (r: 30, g: 60, b: 160, a: 200))
        image.fillRect(x: 96, y: 120, width: 64, height: 16, color: (r: 255, g: 255, b: 255, a: 255))
        return image
    }
}
