import CLibHaru

/// An RGB colour (components 0…1).
struct RGB {
    var r: Float, g: Float, b: Float

    static let ink = RGB(r: 0.13, g: 0.16, b: 0.22)
    static let muted = RGB(r: 0.38, g: 0.42, b: 0.48)
    static let accent = RGB(r: 0.09, g: 0.29, b: 0.47)
    static let rule = RGB(r: 0.75, g: 0.79, b: 0.84)
    static let white = RGB(r: 1, g: 1, b: 1)
    static let black = RGB(r: 0, g: 0, b: 0)
}

/// Drawing on one page in points from the bottom-left corner: text (measured, fitted, wrapped), lines,
/// images and filled squares. The page belongs to its `HaruDocument`.
struct PageCanvas {
    let page: HPDF_Page
    let regular: HPDF_Font
    let bold: HPDF_Font

    var width: Float { HPDF_Page_GetWidth(page) }
    var height: Float { HPDF_Page_GetHeight(page) }

    /// How a line of text is placed relative to `x`.
    enum Alignment { case left, center, right }

    /// The width of `text` in `font` at `size`.
    func textWidth(_ text: String, font: HPDF_Font, size: Float) -> Float {
        HPDF_Page_SetFontAndSize(page, font, size)
        return HPDF_Page_TextWidth(page, text)
    }

    /// Draws one line of text.
    func text(
        _ text: String, x: Float, y: Float, font: HPDF_Font, size: Float, color: RGB = .ink,
        align: Alignment = .left
    ) {
        guard !text.isEmpty else { return }
        let w = textWidth(text, font: font, size: size)
        let left: Float
        switch align {
        case .left: left = x
        case .center: left = x - w / 2
        case .right: left = x - w
        }
        HPDF_Page_BeginText(page)
        HPDF_Page_SetFontAndSize(page, font, size)
        HPDF_Page_SetRGBFill(page, color.r, color.g, color.b)
        HPDF_Page_TextOut(page, left, y, text)
        HPDF_Page_EndText(page)
    }

    /// The largest size ≤ `size` (and ≥ `minimum`) at which `text` fits in `maxWidth`.
    func fittedSize(_ text: String, font: HPDF_Font, size: Float, minimum: Float, maxWidth: Float) -> Float {
        var s = size
        while s > minimum, textWidth(text, font: font, size: s) > maxWidth { s -= 0.5 }
        return max(s, minimum)
    }

    /// `text` shortened with "…" to fit in `maxWidth`.
    func truncated(_ text: String, font: HPDF_Font, size: Float, maxWidth: Float) -> String {
        if textWidth(text, font: font, size: size) <= maxWidth { return text }
        var chars = Array(text)
        while !chars.isEmpty {
            chars.removeLast()
            let candidate = String(chars).trimmingTrailingSpaces() + "…"
            if textWidth(candidate, font: font, size: size) <= maxWidth { return candidate }
        }
        return "…"
    }

    /// `text` broken into at most `maxLines` lines of `maxWidth` at spaces (or anywhere in over-long words); the
    /// last line ends with "…" when text was left out.
    func wrapped(_ text: String, font: HPDF_Font, size: Float, maxWidth: Float, maxLines: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        var words = text.split(whereSeparator: \.isWhitespace).map(String.init)[...]
        while let word = words.first {
            let candidate = current.isEmpty ? word : current + " " + word
            if textWidth(candidate, font: font, size: size) <= maxWidth {
                current = candidate
                words.removeFirst()
            } else if current.isEmpty {
                // A word wider than the line: cut it where it stops fitting.
                var head = ""
                for ch in word where textWidth(head + String(ch), font: font, size: size) <= maxWidth {
                    head.append(ch)
                }
                if head.isEmpty { head = String(word.prefix(1)) }
                lines.append(head)
                words[words.startIndex] = String(word.dropFirst(head.count))
            } else {
                lines.append(current)
                current = ""
            }
            if lines.count == maxLines { break }
        }
        if lines.count < maxLines, !current.isEmpty {
            lines.append(current)
            current = ""
        }
        if !words.isEmpty || !current.isEmpty, let last = lines.last {
            lines[lines.count - 1] = truncated(last + " …", font: font, size: size, maxWidth: maxWidth)
        }
        return lines
    }

    /// A straight line.
    func line(from: (Float, Float), to: (Float, Float), width: Float, color: RGB) {
        HPDF_Page_SetLineWidth(page, width)
        HPDF_Page_SetRGBStroke(page, color.r, color.g, color.b)
        HPDF_Page_MoveTo(page, from.0, from.1)
        HPDF_Page_LineTo(page, to.0, to.1)
        HPDF_Page_Stroke(page)
    }

    /// A stroked rectangle.
    func frame(x: Float, y: Float, width w: Float, height h: Float, lineWidth: Float, color: RGB) {
        HPDF_Page_SetLineWidth(page, lineWidth)
        HPDF_Page_SetRGBStroke(page, color.r, color.g, color.b)
        HPDF_Page_Rectangle(page, x, y, w, h)
        HPDF_Page_Stroke(page)
    }

    /// Draws `image` scaled to fit in the box, centred.
    func image(_ image: HPDF_Image, x: Float, y: Float, box: Float) {
        let iw = Float(HPDF_Image_GetWidth(image))
        let ih = Float(HPDF_Image_GetHeight(image))
        guard iw > 0, ih > 0 else { return }
        let scale = min(box / iw, box / ih)
        let (w, h) = (iw * scale, ih * scale)
        HPDF_Page_DrawImage(page, image, x + (box - w) / 2, y + (box - h) / 2, w, h)
    }

    /// Draws a QR code as filled vector squares inside a white square of side `side` that includes a quiet zone
    /// of four modules on each side.
    func qrCode(_ qr: QRMatrix, x: Float, y: Float, side: Float) {
        let module = side / Float(qr.size + 8)
        HPDF_Page_SetRGBFill(page, RGB.white.r, RGB.white.g, RGB.white.b)
        HPDF_Page_Rectangle(page, x, y, side, side)
        HPDF_Page_Fill(page)
        HPDF_Page_SetRGBFill(page, RGB.black.r, RGB.black.g, RGB.black.b)
        let left = x + 4 * module
        let top = y + side - 4 * module
        for row in 0..<qr.size {
            var column = 0
            while column < qr.size {
                guard qr.isDark(row: row, column: column) else {
                    column += 1
                    continue
                }
                // One rectangle per horizontal run of dark modules.
                let start = column
                while column < qr.size, qr.isDark(row: row, column: column) { column += 1 }
                let rowBottom = top - Float(row + 1) * module
                HPDF_Page_Rectangle(
                    page, left + Float(start) * module, rowBottom, Float(column - start) * module, module)
            }
        }
        HPDF_Page_Fill(page)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last?.isWhitespace == true { s.removeLast() }
        return s
    }
}
