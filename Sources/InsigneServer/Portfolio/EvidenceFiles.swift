import Foundation
import OpenBadgesCrypto

#if canImport(Glibc)
    import Glibc
#endif

/// Evidence files on disk, stored once by content: `<data>/evidence/<first 2 hex>/<other 62 hex>` of their
/// SHA-256. Directories are 0700 and files 0600; a file is written to a temporary name, synced, then renamed,
/// so a reader never sees half a file.
struct EvidenceFiles: Sendable {
    /// `<data>/evidence`.
    let root: URL
    /// The largest evidence file accepted.
    static let maxSize = 5 * 1024 * 1024

    init(dataDirectory: String) {
        root = URL(fileURLWithPath: dataDirectory).appendingPathComponent("evidence", isDirectory: true)
    }

    /// The path of the file holding the bytes whose SHA-256 is `sha256` (lowercase hex).
    func path(_ sha256: String) -> String {
        root.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(String(sha256.dropFirst(2))).path
    }

    /// Stores the bytes (once: an existing file of the same content is kept) and returns their SHA-256.
    func store(_ bytes: [UInt8]) throws -> String {
        let sha = SHA256Digest.hexHash(bytes)
        let dir = root.appendingPathComponent(String(sha.prefix(2))).path
        try Self.makePrivateDirectory(root.path)
        try Self.makePrivateDirectory(dir)
        let final = path(sha)
        var st = stat()
        if stat(final, &st) == 0, Int(st.st_size) == bytes.count { return sha }
        try Self.writePrivateFile(bytes, to: final, directory: dir)
        return sha
    }

    /// The bytes of a stored file, or nil when it is missing.
    func read(_ sha256: String) -> [UInt8]? {
        guard Self.isDigest(sha256), let data = FileManager.default.contents(atPath: path(sha256)) else { return nil }
        return [UInt8](data)
    }

    /// Removes a stored file (missing files are fine).
    func remove(_ sha256: String) {
        guard Self.isDigest(sha256) else { return }
        unlink(path(sha256))
    }

    static func isDigest(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Writes a 0600 file under a temporary name in `directory`, syncs it, then renames it to `final`: a reader
    /// never sees half a file.
    static func writePrivateFile(_ bytes: [UInt8], to final: String, directory dir: String) throws {
        let temp = dir + "/.tmp-" + (try SecureRandom.hex(byteCount: 8))
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.failure("open", errno) }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        do {
            defer { close(fd) }
            guard fchmod(fd, 0o600) == 0 else { throw Self.failure("fchmod", errno) }
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Self.failure("write", errno)
                }
                written += n
            }
            guard fsync(fd) == 0 else { throw Self.failure("fsync", errno) }
        }
        guard rename(temp, final) == 0 else { throw Self.failure("rename", errno) }
        ok = true
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    static func makePrivateDirectory(_ path: String) throws {
        if mkdir(path, 0o700) != 0, errno != EEXIST { throw Self.failure("mkdir", errno) }
        _ = chmod(path, 0o700)
    }

    /// A file-system failure: a 500 whose message names nothing on disk; the system call and its error are the
    /// underlying error (logged, never shown).
    static func failure(_ operation: String, _ errno: Int32) -> ServiceError {
        ServiceError(
            .serverError, fr: "Erreur interne ; réessayez plus tard.", en: "Internal error; please try again later.",
            underlying: SystemCallError(operation: operation, errno: errno))
    }

    /// The system call that failed and its `errno`.
    struct SystemCallError: Error, CustomStringConvertible {
        /// The call (`open`, `write`, `rename`…).
        var operation: String
        /// Its `errno`.
        var errno: Int32
        /// The call and the system's message, for the log.
        var description: String { "evidence file \(operation): \(String(cString: strerror(errno)))" }
    }
}

/// The media type of evidence bytes, read from the bytes themselves (never from the name or the browser's claim).
/// Only types that are safe to hand back are recognised: documents, images, plain text, audio and video.
enum MediaSniffer {
    /// The sniffed type, or nil for anything else (executables, HTML, SVG, scripts, unknown).
    static func mediaType(_ b: [UInt8]) -> String? {
        func starts(_ sig: [UInt8], at offset: Int = 0) -> Bool {
            b.count >= offset + sig.count && Array(b[offset..<(offset + sig.count)]) == sig
        }
        func ascii(_ s: String, at offset: Int = 0) -> Bool { starts(Array(s.utf8), at: offset) }
        if ascii("%PDF-") { return "application/pdf" }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if ascii("GIF87a") || ascii("GIF89a") { return "image/gif" }
        if ascii("RIFF"), ascii("WEBP", at: 8) { return "image/webp" }
        if ascii("ftyp", at: 4) {
            return ascii("M4A ", at: 8) ? "audio/mp4" : "video/mp4"
        }
        if ascii("ID3") || (b.count >= 2 && b[0] == 0xFF && [0xFB, 0xF3, 0xF2].contains(b[1])) { return "audio/mpeg" }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return officeType(b) }
        return isPlainText(b) ? "text/plain; charset=utf-8" : nil
    }

    /// Extensions for a sniffed type (the download name gets the right one).
    static func fileExtension(_ mediaType: String) -> String {
        switch mediaType {
        case "application/pdf": "pdf"
        case "image/png": "png"
        case "image/jpeg": "jpg"
        case "image/gif": "gif"
        case "image/webp": "webp"
        case "video/mp4": "mp4"
        case "audio/mp4": "m4a"
        case "audio/mpeg": "mp3"
        case "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"
        case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx"
        case "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx"
        case "application/vnd.oasis.opendocument.text": "odt"
        case "application/vnd.oasis.opendocument.spreadsheet": "ods"
        case "application/vnd.oasis.opendocument.presentation": "odp"
        default: mediaType.hasPrefix("text/plain") ? "txt" : "bin"
        }
    }

    /// True for images, PDF and text: shown in the browser; everything else is downloaded.
    static func isInline(_ mediaType: String) -> Bool {
        mediaType.hasPrefix("image/") || mediaType == "application/pdf" || mediaType.hasPrefix("text/plain")
    }

    /// ODF (first entry `mimetype`, stored) or OOXML (`[Content_Types].xml` and the main part) inside a ZIP.
    static func officeType(_ b: [UInt8]) -> String? {
        if b.count > 38, b[26] == 8, b[27] == 0, String(decoding: b[30..<38], as: UTF8.self) == "mimetype" {
            let extra = Int(b[28]) | Int(b[29]) << 8
            let start = 38 + extra
            let size = Int(b[18]) | Int(b[19]) << 8 | Int(b[20]) << 16 | Int(b[21]) << 24
            if size > 0, size < 100, b.count >= start + size {
                let type = String(decoding: b[start..<(start + size)], as: UTF8.self)
                let known = ["text", "spreadsheet", "presentation"].map { "application/vnd.oasis.opendocument." + $0 }
                if known.contains(type) { return type }
            }
            return nil
        }
        let names = Set(zipEntryNames(b))
        guard names.contains("[Content_Types].xml") else { return nil }
        if names.contains("word/document.xml") {
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        if names.contains("xl/workbook.xml") {
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
        if names.contains("ppt/presentation.xml") {
            return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        }
        return nil
    }

    /// The entry names of a ZIP's central directory (empty when it cannot be read).
    static func zipEntryNames(_ b: [UInt8]) -> [String] {
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        guard b.count >= 22 else { return [] }
        var eocd = -1
        var i = b.count - 22
        while i >= max(0, b.count - 22 - 65_535) {
            if b[i] == 0x50, b[i + 1] == 0x4B, b[i + 2] == 5, b[i + 3] == 6 {
                eocd = i
                break
            }
            i -= 1
        }
        guard eocd >= 0 else { return [] }
        let count = u16(eocd + 10)
        var p = u32(eocd + 16)
        var names: [String] = []
        for _ in 0..<min(count, 10_000) {
            guard p + 46 <= b.count, u32(p) == 0x0201_4B50 else { break }
            let n = u16(p + 28)
            let m = u16(p + 30)
            let k = u16(p + 32)
            guard p + 46 + n <= b.count else { break }
            names.append(String(decoding: b[(p + 46)..<(p + 46 + n)], as: UTF8.self))
            p += 46 + n + m + k
        }
        return names
    }

    /// Valid UTF-8 without control characters (except tab, line feed, carriage return, form feed) that does not
    /// look like markup (HTML, SVG or XML are refused: a browser could run them).
    static func isPlainText(_ b: [UInt8]) -> Bool {
        guard !b.isEmpty else { return false }
        guard b.allSatisfy({ $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0C }), !b.contains(0x7F)
        else { return false }
        guard let text = String(validating: b, as: UTF8.self) else { return false }
        let head = text.prefix(2048).lowercased()
        let trimmed = head.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        if trimmed.hasPrefix("<") { return false }
        for marker in ["<!doctype", "<html", "<svg", "<script", "<?xml", "<body", "<iframe"] where head.contains(marker)
        {
            return false
        }
        return true
    }
}
