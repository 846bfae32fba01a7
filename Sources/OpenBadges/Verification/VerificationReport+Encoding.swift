extension VerificationReport {
    /// The bytes of `json.encoded()`, written straight from the report: no intermediate dictionaries for the
    /// checks (the answer of `POST /verify`). Members in the same order as the generic encoder: `id` first, the
    /// others in code-point order.
    public func encodedJSON() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + checks.count * 160)
        var first = true
        func member(_ key: StaticString) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            out.append(contentsOf: "\":".utf8)
        }
        out.append(UInt8(ascii: "{"))
        if let assertion {
            member("assertion")
            assertion.json.write(to: &out, indent: nil, level: 0)
        }
        member("checks")
        out.append(UInt8(ascii: "["))
        for (n, c) in checks.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: "{\"id\":".utf8)
            JSONValue.writeString(c.id, to: &out)
            if let detail = c.detail {
                out.append(contentsOf: ",\"detail\":".utf8)
                detail.write(to: &out)
            }
            out.append(contentsOf: ",\"message\":".utf8)
            c.message.write(to: &out)
            out.append(contentsOf: ",\"status\":".utf8)
            JSONValue.writeString(c.status.rawValue, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        if let inputFormat {
            member("input")
            out.append(contentsOf: "{\"format\":".utf8)
            JSONValue.writeString(inputFormat, to: &out)
            if !forms.isEmpty {
                out.append(contentsOf: ",\"forms\":".utf8)
                JSONValue.array(forms.map { .string($0) }).write(to: &out, indent: nil, level: 0)
            }
            out.append(UInt8(ascii: "}"))
        }
        let verdict = verdict
        member("outcome")
        JSONValue.writeString(outcome.rawValue, to: &out)
        if let recipientMatch {
            member("recipientMatch")
            JSONValue.writeString(recipientMatch.rawValue, to: &out)
        }
        member("summary")
        summary.write(to: &out)
        member("valid")
        out.append(contentsOf: (verdict == .valid ? "true" : "false").utf8)
        member("verdict")
        JSONValue.writeString(verdict.rawValue, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}

extension LocalizedText {
    /// `{"en":…,"fr":…}`, as `json.encoded()` writes it.
    func write(to out: inout [UInt8]) {
        out.append(contentsOf: "{\"en\":".utf8)
        JSONValue.writeString(en, to: &out)
        out.append(contentsOf: ",\"fr\":".utf8)
        JSONValue.writeString(fr, to: &out)
        out.append(UInt8(ascii: "}"))
    }
}
