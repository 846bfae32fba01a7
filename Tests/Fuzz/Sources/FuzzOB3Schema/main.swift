import OpenBadges

/// The run-time OB 3.0 JSON Schema check on untrusted credentials: the three bundled schemas (patterns on hostile
/// strings, formats, nesting, the evaluation budget), the VC 2.0 view of VC 1.1 / VC-JWT credentials and the
/// French-first description of the violations; the compiled yes/no check agrees with the full walk.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOB3Schema(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: buffer, as: UTF8.self)
    var documents: [JSONValue] = []
    if let jwt = VCJWT(text: text) {
        documents.append(OB3Schema.schemaView(of: jwt.credential, claims: jwt.claims))
    }
    if let json = try? JSONValue(parsing: Array(buffer)) {
        documents.append(json)
        documents.append(OB3Schema.schemaView(of: json, claims: json.objectValue))
    }
    for document in documents {
        for schema in OB3Schema.allCases {
            let violations = OB3Schema.violations(of: document, schema: schema)
            _ = OB3Schema.describe(violations).fr
            // The compiled yes/no check and the full walk that names violations must agree.
            guard case .success(var full) = schema.validator else { continue }
            full.checksCompiledFirst = false
            if full.conforms(document) != full.validate(document).isEmpty { fatalError("verdicts differ: \(schema)") }
        }
    }
    return 0
}
