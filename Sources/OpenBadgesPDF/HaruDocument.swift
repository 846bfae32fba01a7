import CLibHaru
import Foundation

/// The first error libharu reported through its error handler (libharu keeps going after an error).
final class HaruErrorBox {
    var first: (code: UInt, detail: UInt)?
}

/// One libharu document, freed in `deinit`. Every libharu error is captured by the error handler and thrown
/// by `check(_:)`; no libharu pointer leaves this module.
final class HaruDocument {
    let raw: HPDF_Doc
    private let errors: HaruErrorBox

    init() throws(CertificateError) {
        let box = HaruErrorBox()
        let handler: HPDF_Error_Handler = { code, detail, userData in
            guard let userData else { return }
            let box = Unmanaged<HaruErrorBox>.fromOpaque(userData).takeUnretainedValue()
            if box.first == nil { box.first = (UInt(code), UInt(detail)) }
        }
        guard let doc = HPDF_New(handler, Unmanaged.passUnretained(box).toOpaque()) else {
            throw CertificateError(
                .pdfLibrary, fr: "libharu : création du document impossible", en: "libharu: cannot create a document")
        }
        raw = doc
        errors = box
    }

    deinit { HPDF_Free(raw) }

    /// Throws the first error libharu reported, naming the step that was running.
    func check(_ step: String, as code: CertificateError.Code = .pdfLibrary) throws(CertificateError) {
        guard let e = errors.first else { return }
        let number = "0x" + String(e.code, radix: 16, uppercase: true)
        throw CertificateError(
            code, fr: "libharu : erreur \(number) (détail \(e.detail)) à l'étape « \(step) »",
            en: "libharu: error \(number) (detail \(e.detail)) during \"\(step)\"")
    }

    /// Loads a TrueType font (embedded unless `embed` is false) and returns it with the UTF-8 encoder.
    func trueTypeFont(path: String, embed: Bool = true) throws(CertificateError) -> HPDF_Font {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CertificateError(
                .fontUnavailable, fr: "police introuvable : \(path) (paquet fonts-dejavu-core)",
                en: "font not found: \(path) (package fonts-dejavu-core)")
        }
        let name = HPDF_LoadTTFontFromFile(raw, path, embed ? HPDF_TRUE : HPDF_FALSE)
        try check("police \(path)", as: .fontUnavailable)
        guard let name, let font = HPDF_GetFont(raw, name, "UTF-8") else {
            throw CertificateError(.fontUnavailable, fr: "police illisible : \(path)", en: "unreadable font: \(path)")
        }
        try check("police \(path)", as: .fontUnavailable)
        return font
    }

    /// Decodes a PNG image into the document.
    func pngImage(_ bytes: [UInt8]) throws(CertificateError) -> HPDF_Image {
        let image = bytes.withUnsafeBufferPointer { HPDF_LoadPngImageFromMem(raw, $0.baseAddress, HPDF_UINT($0.count)) }
        try check("image PNG", as: .invalidImage)
        guard let image else {
            throw CertificateError(.invalidImage, fr: "image du badge illisible", en: "unreadable badge image")
        }
        return image
    }

    /// Sets a standard document information entry (UTF-8 text).
    func setInfo(_ type: HPDF_InfoType, _ value: String) throws(CertificateError) {
        HPDF_SetInfoAttr(raw, type, value)
        try check("informations du document")
    }

    /// Adds a custom ASCII string entry to the document information dictionary (set a standard entry first).
    func setCustomInfo(key: String, ascii value: String) throws(CertificateError) {
        guard let info = raw.pointee.info, let string = HPDF_String_New(raw.pointee.mmgr, value, nil) else {
            try check("informations du document")
            throw CertificateError(.pdfLibrary, fr: "dictionnaire Info absent", en: "no Info dictionary")
        }
        HPDF_Dict_Add(info, key, UnsafeMutableRawPointer(string))
        try check("informations du document")
    }

    /// Embeds `bytes` as an attached file named `name`. libharu reads attachments from a path when the document
    /// is saved, so the bytes go to a private temporary file (0600 in a 0700 directory) that `save()` removes.
    func attach(name: String, description: String, bytes: [UInt8]) throws(CertificateError) {
        let file = try TemporaryFile(name: name, bytes: bytes)
        temporaryFiles.append(file)
        guard let spec = HPDF_AttachFile(raw, file.path) else {
            try check("pièce jointe")
            throw CertificateError(.attachmentFailed, fr: "pièce jointe impossible", en: "cannot attach the file")
        }
        try check("pièce jointe")
        // libharu 2.3.0 names the attachment after the full temporary path and types the file specification
        // /F: rename it (/F, /UF and the name tree key), fix the type, describe it (UTF-16 text through the
        // current encoder) and type the stream as an embedded file.
        let (mmgr, encoder) = (raw.pointee.mmgr, raw.pointee.cur_encoder)
        HPDF_Dict_AddName(spec, "Type", "Filespec")
        HPDF_Dict_Add(spec, "F", UnsafeMutableRawPointer(HPDF_String_New(mmgr, name, nil)))
        HPDF_Dict_Add(spec, "UF", UnsafeMutableRawPointer(HPDF_String_New(mmgr, name, encoder)))
        HPDF_Dict_Add(spec, "Desc", UnsafeMutableRawPointer(HPDF_String_New(mmgr, description, encoder)))
        if let ef = HPDF_Dict_GetItem(spec, "EF", UInt16(HPDF_OCLASS_DICT)) {
            let efDict = ef.assumingMemoryBound(to: HPDF_Dict_Rec.self)
            if let stream = HPDF_Dict_GetItem(efDict, "F", UInt16(HPDF_OCLASS_DICT)) {
                HPDF_Dict_AddName(stream.assumingMemoryBound(to: HPDF_Dict_Rec.self), "Type", "EmbeddedFile")
            }
        }
        if let names = HPDF_Catalog_GetNames(raw.pointee.catalog),
            let tree = HPDF_NameDict_GetNameTree(names, HPDF_NAME_EMBEDDED_FILES),
            let array = HPDF_Dict_GetItem(tree, "Names", UInt16(HPDF_OCLASS_ARRAY))
        {
            let items = array.assumingMemoryBound(to: HPDF_Array_Rec.self)
            for index in stride(from: 0, to: Int(items.pointee.list.pointee.count), by: 2) {
                guard let key = HPDF_Array_GetItem(items, HPDF_UINT(index), UInt16(HPDF_OCLASS_STRING)) else {
                    continue
                }
                let string = key.assumingMemoryBound(to: HPDF_String_Rec.self)
                let current = String(cString: string.pointee.value)
                if current == file.path { HPDF_String_SetValue(string, name) }
            }
        }
        try check("pièce jointe")
    }

    private var temporaryFiles: [TemporaryFile] = []

    /// Writes the document and returns its bytes; removes the temporary attachment files.
    func save() throws(CertificateError) -> [UInt8] {
        defer { temporaryFiles.removeAll() }
        HPDF_SaveToStream(raw)
        try check("enregistrement")
        var size = HPDF_GetStreamSize(raw)
        var bytes = [UInt8](repeating: 0, count: Int(size))
        let status = bytes.withUnsafeMutableBufferPointer { HPDF_ReadFromStream(raw, $0.baseAddress, &size) }
        guard status == HPDF_OK || Int(size) == bytes.count else {
            try check("lecture du flux")
            throw CertificateError(.pdfLibrary, fr: "flux PDF incomplet", en: "incomplete PDF stream")
        }
        return Array(bytes.prefix(Int(size)))
    }
}

/// A private temporary file (0600, in its own 0700 directory), removed with its directory in `deinit`.
final class TemporaryFile {
    let directory: String
    let path: String

    init(name: String, bytes: [UInt8]) throws(CertificateError) {
        var template = Array((NSTemporaryDirectory() + "/insigne-pdf-XXXXXX").utf8CString)
        guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw Self.failure("mkdtemp")
        }
        directory = String(cString: dir)
        path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            rmdir(directory)
            throw Self.failure("open")
        }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            unlink(path)
            rmdir(directory)
            throw Self.failure("write")
        }
    }

    deinit {
        unlink(path)
        rmdir(directory)
    }

    static func failure(_ call: String) -> CertificateError {
        CertificateError(
            .attachmentFailed, fr: "fichier temporaire de la pièce jointe impossible (\(call), errno \(errno))",
            en: "cannot write the attachment's temporary file (\(call), errno \(errno))")
    }
}
