/// Keyword and Latin-1 helpers shared by tEXt and iTXt.
enum PNGText {
    /// Checks a keyword's bytes: 1–79 Latin-1 printable (32–126, 161–255), no leading/trailing/double spaces.
    static func keywordProblem(_ bytes: some Collection<UInt8>) -> String? {
        if bytes.isEmpty { return "keyword is empty" }
        if bytes.count > 79 { return "keyword is \(bytes.count) bytes, the maximum is 79" }
        var previousSpace = false
        for b in bytes {
            if !((32...126).contains(b) || b >= 161) {
                return "keyword contains byte 0x\(String(b, radix: 16)), not Latin-1 printable"
            }
            if b == 32 && previousSpace { return "keyword contains consecutive spaces" }
            previousSpace = b == 32
        }
        if bytes.first == 32 { return "keyword has a leading space" }
        if previousSpace { return "keyword has a trailing space" }
        return nil
    }

    /// Latin-1 decoding (every byte is a code point).
    static func latin1String(_ bytes: some Sequence<UInt8>) -> String {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(UnicodeScalar(b)) }
        return String(s)
    }

    /// Latin-1 encoding; code points above U+00FF become "?".
    static func latin1Bytes(_ string: String) -> [UInt8] {
        string.unicodeScalars.map { $0.value <= 0xFF ? UInt8($0.value) : 0x3F }
    }

    /// Latin-1 bytes of a keyword, or nil when the keyword is not a valid PNG keyword.
    static func validKeywordBytes(_ keyword: String) -> [UInt8]? {
        guard keyword.unicodeScalars.allSatisfy({ $0.value <= 0xFF }) else { return nil }
        let bytes = latin1Bytes(keyword)
        return keywordProblem(bytes) == nil ? bytes : nil
    }
}

/// iTXt chunk content. Parsing walks the NUL separators (never assume five NULs).
public struct InternationalTextChunk: Sendable, Equatable {
    /// Default cap on inflated text (8 MiB).
    public static let defaultMaxTextBytes = 8 * 1024 * 1024

    /// 1–79 bytes Latin-1 printable (32–126, 161–255), no leading/trailing/double spaces.
    public var keyword: String
    /// Compression flag (0/1; any other value is invalid).
    public var isCompressed: Bool
    /// Compression method byte (0 = zlib, the only defined method).
    public var compressionMethod: UInt8
    /// Language tag (ASCII, may be empty).
    public var languageTag: String
    /// Translated keyword (UTF-8, may be empty).
    public var translatedKeyword: String
    /// Raw text bytes (zlib-compressed when `isCompressed`).
    public var textBytes: [UInt8]

    /// Uncompressed chunk with an empty language tag and translated keyword (the baking layout).
    public init(keyword: String, text: String) {
        self.keyword = keyword
        self.isCompressed = false
        self.compressionMethod = 0
        self.languageTag = ""
        self.translatedKeyword = ""
        self.textBytes = Array(text.utf8)
    }

    /// Chunk with every field given; compresses the text with zlib when `compressed`. Validates the keyword and language tag.
    public init(
        keyword: String, languageTag: String = "", translatedKeyword: String = "", text: String, compressed: Bool
    ) throws(PNGError) {
        guard let kw = PNGText.validKeywordBytes(keyword) else {
            let problem = PNGText.keywordProblem(PNGText.latin1Bytes(keyword)) ?? "keyword is not Latin-1"
            throw PNGError(.invalidTextChunk, "iTXt \(problem)", chunkType: "iTXt")
        }
        _ = kw
        guard languageTag.utf8.allSatisfy({ $0 != 0 && $0 < 0x80 }) else {
            throw PNGError(.invalidTextChunk, "iTXt language tag must be ASCII", chunkType: "iTXt")
        }
        guard !translatedKeyword.utf8.contains(0) else {
            throw PNGError(.invalidTextChunk, "iTXt translated keyword must not contain NUL", chunkType: "iTXt")
        }
        self.keyword = keyword
        self.isCompressed = compressed
        self.compressionMethod = 0
        self.languageTag = languageTag
        self.translatedKeyword = translatedKeyword
        self.textBytes = compressed ? try Zlib.deflate(Array(text.utf8), level: 9) : Array(text.utf8)
    }

    /// Strict parse of iTXt data: invalid keyword, missing separators, invalid flag/method → PNGError(.invalidTextChunk).
    public init(chunkData: [UInt8]) throws(PNGError) {
        func fail(_ message: String) -> PNGError {
            PNGError(.invalidTextChunk, "iTXt: " + message, chunkType: "iTXt")
        }
        let n = chunkData.count
        // Keyword: 1–79 bytes then NUL.
        guard let kwEnd = chunkData.prefix(80).firstIndex(of: 0) else {
            throw fail(n == 0 ? "chunk data is empty" : "missing NUL separator after the keyword (within 80 bytes)")
        }
        let kwBytes = chunkData[0..<kwEnd]
        if let problem = PNGText.keywordProblem(kwBytes) { throw fail(problem) }
        // Compression flag and method.
        guard n - (kwEnd + 1) >= 2 else { throw fail("chunk ends before the compression flag and method") }
        let flag = chunkData[kwEnd + 1]
        let method = chunkData[kwEnd + 2]
        guard flag <= 1 else { throw fail("invalid compression flag \(flag) (must be 0 or 1)") }
        if flag == 1 && method != 0 { throw fail("unknown compression method \(method) (must be 0)") }
        // Language tag then NUL.
        let langStart = kwEnd + 3
        guard let langEnd = chunkData[langStart...].firstIndex(of: 0) else {
            throw fail("missing NUL separator after the language tag")
        }
        let langBytes = chunkData[langStart..<langEnd]
        guard langBytes.allSatisfy({ $0 < 0x80 }) else { throw fail("language tag is not ASCII") }
        // Translated keyword then NUL.
        let transStart = langEnd + 1
        guard let transEnd = chunkData[transStart...].firstIndex(of: 0) else {
            throw fail("missing NUL separator after the translated keyword")
        }
        guard let translated = String(validating: chunkData[transStart..<transEnd], as: UTF8.self) else {
            throw fail("translated keyword is not valid UTF-8")
        }
        self.keyword = PNGText.latin1String(kwBytes)
        self.isCompressed = flag == 1
        self.compressionMethod = method
        self.languageTag = String(decoding: langBytes, as: UTF8.self)
        self.translatedKeyword = translated
        self.textBytes = Array(chunkData[(transEnd + 1)...])
    }

    /// Parses an iTXt chunk (its type must be "iTXt").
    public init(chunk: PNGChunk) throws(PNGError) {
        guard chunk.type == "iTXt" else {
            throw PNGError(.invalidTextChunk, "chunk type is \(chunk.type), not iTXt", chunkType: chunk.type)
        }
        try self.init(chunkData: chunk.data)
    }

    /// keyword NUL flag method language NUL translated-keyword NUL text.
    public func chunkData() -> [UInt8] {
        let kw = PNGText.latin1Bytes(keyword)
        let lang = Array(languageTag.utf8)
        let trans = Array(translatedKeyword.utf8)
        var out = [UInt8]()
        out.reserveCapacity(kw.count + lang.count + trans.count + textBytes.count + 5)
        out.append(contentsOf: kw)
        out.append(0)
        out.append(isCompressed ? 1 : 0)
        out.append(compressionMethod)
        out.append(contentsOf: lang)
        out.append(0)
        out.append(contentsOf: trans)
        out.append(0)
        out.append(contentsOf: textBytes)
        return out
    }

    /// The chunk ("iTXt" + `chunkData()`).
    public func chunk() -> PNGChunk {
        PNGChunk(type: "iTXt", data: chunkData())
    }

    /// UTF-8 text (inflated with zlib first when compressed); invalid UTF-8 or zlib data → PNGError(.invalidTextChunk).
    public func text(maxBytes: Int = InternationalTextChunk.defaultMaxTextBytes) throws(PNGError) -> String {
        var raw = textBytes
        if isCompressed {
            do {
                raw = try Zlib.inflate(textBytes, maxBytes: maxBytes)
            } catch {
                throw PNGError(
                    .invalidTextChunk, "iTXt \"\(keyword)\": compressed text: \(error.message)", chunkType: "iTXt")
            }
        }
        guard let s = String(validating: raw, as: UTF8.self) else {
            throw PNGError(.invalidTextChunk, "iTXt \"\(keyword)\": text is not valid UTF-8", chunkType: "iTXt")
        }
        return s
    }
}

/// tEXt chunk (legacy baking uses it): keyword NUL Latin-1 text.
public struct LatinTextChunk: Sendable, Equatable {
    /// 1–79 bytes Latin-1 printable, no leading/trailing/double spaces.
    public var keyword: String
    /// Latin-1 text (code points above U+00FF are written as "?").
    public var text: String

    /// Creates a tEXt chunk content.
    public init(keyword: String, text: String) {
        self.keyword = keyword
        self.text = text
    }

    /// Strict parse: keyword NUL text; invalid keyword, missing NUL or NUL inside the text → PNGError(.invalidTextChunk).
    public init(chunkData: [UInt8]) throws(PNGError) {
        func fail(_ message: String) -> PNGError {
            PNGError(.invalidTextChunk, "tEXt: " + message, chunkType: "tEXt")
        }
        guard let kwEnd = chunkData.prefix(80).firstIndex(of: 0) else {
            throw fail(
                chunkData.isEmpty ? "chunk data is empty" : "missing NUL separator after the keyword (within 80 bytes)")
        }
        let kwBytes = chunkData[0..<kwEnd]
        if let problem = PNGText.keywordProblem(kwBytes) { throw fail(problem) }
        let textBytes = chunkData[(kwEnd + 1)...]
        if textBytes.contains(0) { throw fail("text contains a NUL byte") }
        self.keyword = PNGText.latin1String(kwBytes)
        self.text = PNGText.latin1String(textBytes)
    }

    /// Parses a tEXt chunk (its type must be "tEXt").
    public init(chunk: PNGChunk) throws(PNGError) {
        guard chunk.type == "tEXt" else {
            throw PNGError(.invalidTextChunk, "chunk type is \(chunk.type), not tEXt", chunkType: chunk.type)
        }
        try self.init(chunkData: chunk.data)
    }

    /// keyword (Latin-1) NUL text (Latin-1).
    public func chunkData() -> [UInt8] {
        PNGText.latin1Bytes(keyword) + [0] + PNGText.latin1Bytes(text)
    }

    /// The chunk ("tEXt" + `chunkData()`).
    public func chunk() -> PNGChunk {
        PNGChunk(type: "tEXt", data: chunkData())
    }
}

extension InternationalTextChunk {
    /// True when `keyword` is a valid PNG keyword.
    public static func isValidKeyword(_ keyword: String) -> Bool {
        PNGText.validKeywordBytes(keyword) != nil
    }
}
