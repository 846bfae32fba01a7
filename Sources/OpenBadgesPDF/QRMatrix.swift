import CQREncode

/// A QR code as a square of dark/light modules (libqrencode, error correction level M, 8-bit data).
struct QRMatrix {
    /// Modules per side (no quiet zone).
    let size: Int
    /// Row-major, true for a dark module.
    let modules: [Bool]

    /// Whether the module at `row`, `column` is dark.
    func isDark(row: Int, column: Int) -> Bool { modules[row * size + column] }

    /// Encodes `text` (case-sensitive, smallest version that fits).
    static func encode(_ text: String) throws(CertificateError) -> QRMatrix {
        // The QRcode is copied out and freed before leaving this scope.
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            throw CertificateError(
                .invalidContent, fr: "adresse de vérification impossible à coder en QR code (trop longue ?)",
                en: "the verification URL cannot be encoded as a QR code (too long?)")
        }
        defer { QRcode_free(code) }
        let size = Int(code.pointee.width)
        let data = UnsafeBufferPointer(start: code.pointee.data, count: size * size)
        // Bit 0 of each byte is the module colour (1 = dark); the other bits describe the module's role.
        return QRMatrix(size: size, modules: data.map { $0 & 1 == 1 })
    }
}
