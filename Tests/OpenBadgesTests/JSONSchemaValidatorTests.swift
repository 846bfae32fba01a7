import Foundation
import OpenBadges
import TestSupport
import Testing

/// One keyword check: every `valid` instance passes, every `invalid` one fails with `keyword` at `path`.
struct KeywordCase: Sendable, CustomStringConvertible {
    var name: String
    var schema: String
    var valid: [String]
    var invalid: [String]
    var keyword: String
    var path: String = ""

    var description: String { name }
}

private let draft07 = ##""$schema": "http://json-schema.org/draft-07/schema#""##
private let draft2020 = ##""$schema": "https://json-schema.org/draft/2020-12/schema""##

private let keywordCases: [KeywordCase] = [
    // type
    KeywordCase(
        name: "type string", schema: ##"{"type":"string"}"##, valid: [##""a""##], invalid: ["1", "null", ##"["a"]"##],
        keyword: "type"),
    KeywordCase(
        name: "type array of types", schema: ##"{"type":["string","null"]}"##, valid: ["null", ##""x""##],
        invalid: ["1", "false"], keyword: "type"),
    KeywordCase(
        name: "type integer", schema: ##"{"type":"integer"}"##, valid: ["3", "3.0", "-7", "1e3"],
        invalid: ["3.5", ##""3""##], keyword: "type"),
    KeywordCase(
        name: "type number", schema: ##"{"type":"number"}"##, valid: ["3.5", "3"], invalid: [##""3.5""##, "true"],
        keyword: "type"),
    KeywordCase(
        name: "type object", schema: ##"{"type":"object"}"##, valid: ["{}"], invalid: ["[]", "null"], keyword: "type"),
    KeywordCase(name: "type array", schema: ##"{"type":"array"}"##, valid: ["[]"], invalid: ["{}"], keyword: "type"),
    KeywordCase(
        name: "type boolean", schema: ##"{"type":"boolean"}"##, valid: ["false"], invalid: ["0"], keyword: "type"),
    KeywordCase(
        name: "type null", schema: ##"{"type":"null"}"##, valid: ["null"], invalid: ["false", ##""""##], keyword: "type"
    ),
    // enum / const
    KeywordCase(
        name: "enum", schema: ##"{"enum":["a",1,{"x":[1]},null]}"##,
        valid: [##""a""##, "1.0", ##"{"x":[1]}"##, "null"], invalid: [##""b""##, ##"{"x":[2]}"##, "true"],
        keyword: "enum"),
    KeywordCase(
        name: "const", schema: ##"{"const":{"a":1,"b":[true]}}"##, valid: [##"{"b":[true],"a":1.0}"##],
        invalid: [##"{"a":2,"b":[true]}"##, ##"{"a":1}"##], keyword: "const"),
    KeywordCase(
        name: "const true", schema: ##"{"const":true}"##, valid: ["true"], invalid: ["false", "1", ##""true""##],
        keyword: "const"),
    // objects
    KeywordCase(
        name: "properties", schema: ##"{"properties":{"a":{"type":"string"}}}"##,
        valid: [##"{"a":"x"}"##, "{}", ##"{"b":1}"##, "3"], invalid: [##"{"a":1}"##], keyword: "type", path: "/a"),
    KeywordCase(
        name: "properties with escaped name", schema: ##"{"properties":{"a/b~c":{"type":"string"}}}"##,
        valid: [##"{"a/b~c":"x"}"##], invalid: [##"{"a/b~c":1}"##], keyword: "type", path: "/a~1b~0c"),
    KeywordCase(
        name: "required", schema: ##"{"required":["a","b"]}"##, valid: [##"{"a":1,"b":null}"##, "[]"],
        invalid: [##"{"a":1}"##, "{}"], keyword: "required"),
    KeywordCase(
        name: "additionalProperties false", schema: ##"{"properties":{"a":{}},"additionalProperties":false}"##,
        valid: [##"{"a":1}"##, "{}"], invalid: [##"{"a":1,"b":2}"##], keyword: "additionalProperties", path: "/b"),
    KeywordCase(
        name: "additionalProperties schema",
        schema: ##"{"properties":{"a":{}},"additionalProperties":{"type":"number"}}"##, valid: [##"{"a":"s","x":1}"##],
        invalid: [##"{"x":"s"}"##], keyword: "type", path: "/x"),
    KeywordCase(
        name: "patternProperties", schema: ##"{"patternProperties":{"^x-":{"type":"string"}}}"##,
        valid: [##"{"x-a":"s","y":1}"##], invalid: [##"{"x-a":1}"##], keyword: "type", path: "/x-a"),
    KeywordCase(
        name: "patternProperties + additionalProperties",
        schema: ##"{"patternProperties":{"^x-":{}},"additionalProperties":false}"##, valid: [##"{"x-a":1}"##],
        invalid: [##"{"y":1}"##], keyword: "additionalProperties", path: "/y"),
    KeywordCase(
        name: "propertyNames", schema: ##"{"propertyNames":{"pattern":"^[a-z]+$","maxLength":5}}"##,
        valid: [##"{"abc":1}"##, "{}"], invalid: [##"{"aB":1}"##, ##"{"abcdef":1}"##], keyword: "propertyNames"),
    KeywordCase(
        name: "minProperties", schema: ##"{"minProperties":2}"##, valid: [##"{"a":1,"b":2}"##],
        invalid: [##"{"a":1}"##], keyword: "minProperties"),
    KeywordCase(
        name: "maxProperties", schema: ##"{"maxProperties":1}"##, valid: [##"{"a":1}"##, "{}"],
        invalid: [##"{"a":1,"b":2}"##], keyword: "maxProperties"),
    KeywordCase(
        name: "dependencies (array)", schema: ##"{"dependencies":{"a":["b"]}}"##,
        valid: [##"{"a":1,"b":2}"##, ##"{"b":2}"##], invalid: [##"{"a":1}"##], keyword: "dependencies"),
    KeywordCase(
        name: "dependencies (schema)", schema: ##"{"dependencies":{"c":{"required":["d"]}}}"##,
        valid: [##"{"c":1,"d":2}"##, "{}"], invalid: [##"{"c":1}"##], keyword: "required"),
    KeywordCase(
        name: "dependentRequired", schema: ##"{"dependentRequired":{"a":["b","c"]}}"##,
        valid: [##"{"a":1,"b":2,"c":3}"##, ##"{"z":1}"##], invalid: [##"{"a":1,"b":2}"##], keyword: "dependentRequired"),
    KeywordCase(
        name: "dependentSchemas", schema: ##"{"dependentSchemas":{"a":{"properties":{"b":{"type":"string"}}}}}"##,
        valid: [##"{"a":1,"b":"x"}"##, ##"{"b":1}"##], invalid: [##"{"a":1,"b":2}"##], keyword: "type", path: "/b"),
    // arrays
    KeywordCase(
        name: "items (schema)", schema: ##"{"items":{"type":"integer"}}"##, valid: ["[1,2]", "[]"],
        invalid: [##"[1,"a"]"##], keyword: "type", path: "/1"),
    KeywordCase(
        name: "items (array form)", schema: "{\(draft07),\"items\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}",
        valid: [##"[1,"a"]"##, "[1]", ##"[1,"a",true]"##], invalid: [##"["a"]"##], keyword: "type", path: "/0"),
    KeywordCase(
        name: "additionalItems false",
        schema: "{\(draft07),\"items\":[{\"type\":\"integer\"}],\"additionalItems\":false}", valid: ["[1]", "[]"],
        invalid: ["[1,2]"], keyword: "additionalItems", path: "/1"),
    KeywordCase(
        name: "additionalItems schema", schema: "{\(draft07),\"items\":[{}],\"additionalItems\":{\"type\":\"string\"}}",
        valid: [##"[1,"a","b"]"##], invalid: [##"[1,"a",2]"##], keyword: "type", path: "/2"),
    KeywordCase(
        name: "prefixItems + items false",
        schema: "{\(draft2020),\"prefixItems\":[{\"type\":\"integer\"}],\"items\":false}", valid: ["[1]", "[]"],
        invalid: ["[1,2]"], keyword: "items", path: "/1"),
    KeywordCase(
        name: "prefixItems",
        schema:
            "{\(draft2020),\"prefixItems\":[{\"type\":\"integer\"},{\"type\":\"string\"}],\"items\":{\"type\":\"boolean\"}}",
        valid: [##"[1,"a",true,false]"##], invalid: [##"["1"]"##], keyword: "type", path: "/0"),
    KeywordCase(
        name: "prefixItems rest", schema: "{\(draft2020),\"prefixItems\":[{}],\"items\":{\"type\":\"boolean\"}}",
        valid: ["[1,true]"], invalid: ["[1,true,2]"], keyword: "type", path: "/2"),
    KeywordCase(name: "minItems", schema: ##"{"minItems":1}"##, valid: ["[0]"], invalid: ["[]"], keyword: "minItems"),
    KeywordCase(
        name: "maxItems", schema: ##"{"maxItems":1}"##, valid: ["[0]", "[]"], invalid: ["[0,1]"], keyword: "maxItems"),
    KeywordCase(
        name: "uniqueItems", schema: ##"{"uniqueItems":true}"##,
        valid: ["[1,2]", ##"[{"a":1},{"a":2}]"##, ##"[1,"1"]"##],
        invalid: ["[1,1.0]", ##"[{"a":1,"b":2},{"b":2,"a":1}]"##], keyword: "uniqueItems"),
    KeywordCase(
        name: "contains", schema: ##"{"contains":{"const":3}}"##, valid: ["[1,3]"], invalid: ["[1,2]", "[]"],
        keyword: "contains"),
    KeywordCase(
        name: "minContains", schema: "{\(draft2020),\"contains\":{\"const\":3},\"minContains\":2}", valid: ["[3,3]"],
        invalid: ["[3,1]"], keyword: "contains"),
    KeywordCase(
        name: "maxContains", schema: "{\(draft2020),\"contains\":{\"const\":3},\"maxContains\":1}", valid: ["[3,1]"],
        invalid: ["[3,3]"], keyword: "maxContains"),
    // strings
    KeywordCase(
        name: "minLength (scalars)", schema: ##"{"minLength":2}"##, valid: [##""ab""##, "\"e\u{301}\"", "\"😀😀\""],
        invalid: [##""a""##, "\"😀\"", ##""""##], keyword: "minLength"),
    KeywordCase(
        name: "maxLength (scalars)", schema: ##"{"maxLength":1}"##, valid: ["\"😀\"", ##""é""##],
        invalid: [##""ab""##, "\"e\u{301}\""], keyword: "maxLength"),
    KeywordCase(
        name: "pattern", schema: ##"{"pattern":"^a+$"}"##, valid: [##""aaa""##, "1"],
        invalid: [##""aab""##, ##""aaa\n""##], keyword: "pattern"),
    KeywordCase(
        name: "pattern unanchored", schema: ##"{"pattern":"b+"}"##, valid: [##""abbc""##], invalid: [##""ac""##],
        keyword: "pattern"),
    KeywordCase(
        name: "pattern \\d is ASCII", schema: ##"{"pattern":"^\\d+$"}"##, valid: [##""0123""##],
        invalid: ["\"\u{661}\u{662}\""], keyword: "pattern"),
    KeywordCase(
        name: "pattern class with $", schema: ##"{"pattern":"^[$a]+$"}"##, valid: [##""$a$""##], invalid: [##""b""##],
        keyword: "pattern"),
    // numbers
    KeywordCase(
        name: "minimum", schema: ##"{"minimum":5}"##, valid: ["5", "6.5", ##""x""##], invalid: ["4.99"],
        keyword: "minimum"),
    KeywordCase(
        name: "maximum", schema: ##"{"maximum":5}"##, valid: ["5", "-1"], invalid: ["5.01"], keyword: "maximum"),
    KeywordCase(
        name: "exclusiveMinimum (numeric)", schema: ##"{"exclusiveMinimum":5}"##, valid: ["5.5"], invalid: ["5", "4"],
        keyword: "exclusiveMinimum"),
    KeywordCase(
        name: "exclusiveMaximum (numeric)", schema: ##"{"exclusiveMaximum":5}"##, valid: ["4.5"], invalid: ["5", "6"],
        keyword: "exclusiveMaximum"),
    KeywordCase(
        name: "exclusiveMinimum (draft-04 boolean)", schema: ##"{"minimum":5,"exclusiveMinimum":true}"##, valid: ["6"],
        invalid: ["5"], keyword: "exclusiveMinimum"),
    KeywordCase(
        name: "exclusiveMaximum (draft-04 boolean)", schema: ##"{"maximum":5,"exclusiveMaximum":true}"##, valid: ["4"],
        invalid: ["5"], keyword: "exclusiveMaximum"),
    KeywordCase(
        name: "exclusiveMinimum false keeps minimum", schema: ##"{"minimum":5,"exclusiveMinimum":false}"##,
        valid: ["5"], invalid: ["4"], keyword: "minimum"),
    KeywordCase(
        name: "multipleOf integer", schema: ##"{"multipleOf":3}"##, valid: ["9", "0", "-3"], invalid: ["10"],
        keyword: "multipleOf"),
    KeywordCase(
        name: "multipleOf decimal", schema: ##"{"multipleOf":0.01}"##, valid: ["19.99", "0.07"], invalid: ["19.999"],
        keyword: "multipleOf"),
    // combinators
    KeywordCase(
        name: "allOf", schema: ##"{"allOf":[{"type":"string"},{"minLength":2}]}"##, valid: [##""ab""##],
        invalid: [##""a""##], keyword: "minLength"),
    KeywordCase(
        name: "anyOf", schema: ##"{"anyOf":[{"type":"string"},{"minimum":2}]}"##, valid: [##""a""##, "3"],
        invalid: ["1"], keyword: "anyOf"),
    KeywordCase(
        name: "oneOf none", schema: ##"{"oneOf":[{"type":"string"},{"type":"integer"}]}"##, valid: [##""a""##, "3"],
        invalid: ["1.5"], keyword: "oneOf"),
    KeywordCase(
        name: "oneOf several", schema: ##"{"oneOf":[{"type":"number"},{"type":"integer"}]}"##, valid: ["1.5"],
        invalid: ["1"], keyword: "oneOf"),
    KeywordCase(
        name: "not", schema: ##"{"not":{"type":"string"}}"##, valid: ["1"], invalid: [##""a""##], keyword: "not"),
    KeywordCase(
        name: "if/then", schema: ##"{"if":{"properties":{"k":{"const":"s"}}},"then":{"required":["c"]}}"##,
        valid: [##"{"k":"s","c":1}"##, ##"{"k":"h"}"##], invalid: [##"{"k":"s"}"##], keyword: "required"),
    KeywordCase(
        name: "if/else", schema: ##"{"if":{"type":"string"},"then":{"minLength":1},"else":{"type":"integer"}}"##,
        valid: [##""a""##, "2"], invalid: ["2.5"], keyword: "type"),
    KeywordCase(
        name: "then without if is ignored", schema: ##"{"then":false,"else":false}"##, valid: ["1"], invalid: [],
        keyword: ""),
    // boolean schemas
    KeywordCase(name: "schema true", schema: "true", valid: ["1", "null", "{}"], invalid: [], keyword: ""),
    KeywordCase(name: "schema false", schema: "false", valid: [], invalid: ["1", "null", "{}"], keyword: "false"),
    KeywordCase(
        name: "property schema false", schema: ##"{"properties":{"a":false}}"##, valid: [##"{"b":1}"##],
        invalid: [##"{"a":1}"##], keyword: "false", path: "/a"),
    // formats
    KeywordCase(
        name: "format date-time", schema: ##"{"format":"date-time"}"##,
        valid: [
            ##""2024-02-29T12:00:00Z""##, ##""2024-01-01T00:00:00.123+01:00""##, ##""2016-12-31T23:59:60-05:30""##, "1",
        ],
        invalid: [
            ##""2024-01-01T00:00:00""##, ##""2023-02-29T00:00:00Z""##, ##""2024-01-01 00:00:00Z""##,
            ##""2024-13-01T00:00:00Z""##,
            ##""2024-01-01T24:00:00Z""##, ##""2024-01-01T00:00:00+0100""##, ##""2024-01-01""##,
            ##""2024-1-01T00:00:00Z""##,
        ],
        keyword: "format"),
    KeywordCase(
        name: "format date", schema: ##"{"format":"date"}"##, valid: [##""2000-02-29""##],
        invalid: [##""1900-02-29""##, ##""2000-02-30""##], keyword: "format"),
    KeywordCase(
        name: "format uri", schema: ##"{"format":"uri"}"##,
        valid: [
            ##""https://example.org/a?b=c#d""##, ##""urn:uuid:5f2d4b1c-0000-4000-8000-000000000000""##,
            ##""data:image/png;base64,iVBORw0KGgo=""##, ##""mailto:a@b.org""##, ##""http://example.org/%C3%A9""##,
        ],
        invalid: [
            ##""/relative/path""##, ##""example.org""##, ##""http://exa mple.org""##, ##""http://example.org/é""##,
            ##""http://example.org/%zz""##, ##""http:///x""##,
        ],
        keyword: "format"),
    KeywordCase(
        name: "format uri-reference", schema: ##"{"format":"uri-reference"}"##,
        valid: [##""../a#b""##, ##""https://x.org""##], invalid: [##""a b""##], keyword: "format"),
    KeywordCase(
        name: "format email", schema: ##"{"format":"email"}"##,
        valid: [##""a.b+c@example.org""##, ##""contact@sub.example.fr""##],
        invalid: [
            ##""plain""##, ##""a@@b.org""##, ##""a..b@x.org""##, ##""@x.org""##, ##""a@""##, ##""a b@x.org""##,
            ##""a@-x.org""##,
        ],
        keyword: "format"),
    KeywordCase(
        name: "format uuid", schema: ##"{"format":"uuid"}"##, valid: [##""5f2d4b1c-AAAA-4000-8000-000000000000""##],
        invalid: [
            ##""5f2d4b1c-0000-4000-8000-00000000000""##, ##""5f2d4b1c00004000800000000000000000""##,
            ##""5f2d4b1g-0000-4000-8000-000000000000""##,
        ], keyword: "format"),
    KeywordCase(
        name: "unknown format ignored", schema: ##"{"format":"x-insigne-unknown"}"##, valid: [##""anything""##],
        invalid: [], keyword: ""),
    KeywordCase(
        name: "unknown keywords ignored",
        schema: ##"{"x-foo":{"type":"string"},"unevaluatedStuff":false,"minimum":0}"##, valid: ["1"], invalid: ["-1"],
        keyword: "minimum"),
    // $ref
    KeywordCase(
        name: "$ref definitions",
        schema: ##"{"definitions":{"s":{"type":"string"}},"properties":{"a":{"$ref":"#/definitions/s"}}}"##,
        valid: [##"{"a":"x"}"##], invalid: [##"{"a":1}"##], keyword: "type", path: "/a"),
    KeywordCase(
        name: "$ref $defs", schema: ##"{"$defs":{"s":{"type":"string"}},"items":{"$ref":"#/$defs/s"}}"##,
        valid: [##"["x"]"##], invalid: [##"["x",2]"##], keyword: "type", path: "/1"),
    KeywordCase(
        name: "$ref pointer escapes ~0 ~1 %25",
        schema:
            ##"{"$defs":{"a/b":{"type":"string"},"c~d":{"type":"integer"},"e%f":{"type":"null"},"g h":{"const":1}},"properties":{"x":{"$ref":"#/$defs/a~1b"},"y":{"$ref":"#/$defs/c~0d"},"z":{"$ref":"#/$defs/e%25f"},"w":{"$ref":"#/$defs/g%20h"}}}"##,
        valid: [##"{"x":"s","y":1,"z":null,"w":1}"##],
        invalid: [##"{"x":1}"##, ##"{"y":"s"}"##, ##"{"z":1}"##, ##"{"w":2}"##], keyword: ""),
    KeywordCase(
        name: "$ref into an array",
        schema: ##"{"x-list":[{"type":"string"},{"type":"integer"}],"properties":{"a":{"$ref":"#/x-list/1"}}}"##,
        valid: [##"{"a":1}"##], invalid: [##"{"a":"1"}"##], keyword: "type", path: "/a"),
    KeywordCase(
        name: "$ref siblings ignored in draft-07",
        schema:
            "{\(draft07),\"definitions\":{\"s\":{\"type\":\"string\"}},\"properties\":{\"a\":{\"$ref\":\"#/definitions/s\",\"minLength\":5}}}",
        valid: [##"{"a":"x"}"##], invalid: [##"{"a":1}"##], keyword: "type", path: "/a"),
    KeywordCase(
        name: "$ref siblings applied in 2020-12",
        schema:
            "{\(draft2020),\"$defs\":{\"s\":{\"type\":\"string\"}},\"properties\":{\"a\":{\"$ref\":\"#/$defs/s\",\"minLength\":5}}}",
        valid: [##"{"a":"xxxxx"}"##], invalid: [##"{"a":"x"}"##], keyword: "minLength", path: "/a"),
    KeywordCase(
        name: "$ref recursive tree",
        schema:
            ##"{"$ref":"#/$defs/node","$defs":{"node":{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#/$defs/node"}}},"additionalProperties":false}}}"##,
        valid: [##"{"children":[{"children":[{}]},{}]}"##], invalid: [##"{"children":[{"children":[{"x":1}]}]}"##],
        keyword: "additionalProperties", path: "/children/0/children/0/x"),
    KeywordCase(
        name: "$ref root", schema: ##"{"properties":{"next":{"$ref":"#"},"v":{"type":"integer"}}}"##,
        valid: [##"{"v":1,"next":{"v":2,"next":{}}}"##], invalid: [##"{"next":{"next":{"v":"x"}}}"##], keyword: "type",
        path: "/next/next/v"),
    KeywordCase(
        name: "$anchor",
        schema: "{\(draft2020),\"$defs\":{\"a\":{\"$anchor\":\"foo\",\"type\":\"string\"}},\"$ref\":\"#foo\"}",
        valid: [##""x""##], invalid: ["1"], keyword: "type"),
    KeywordCase(
        name: "draft-07 plain-name $id",
        schema:
            "{\(draft07),\"definitions\":{\"a\":{\"$id\":\"#bar\",\"type\":\"string\"}},\"properties\":{\"p\":{\"$ref\":\"#bar\"}}}",
        valid: [##"{"p":"x"}"##], invalid: [##"{"p":1}"##], keyword: "type", path: "/p"),
    KeywordCase(
        name: "embedded $id resource",
        schema:
            ##"{"$id":"https://ex.org/root.json","$defs":{"x":{"$id":"https://ex.org/other/x.json","type":"integer"}},"$ref":"other/x.json"}"##,
        valid: ["1"], invalid: [##""a""##], keyword: "type"),
    KeywordCase(
        name: "$id changes base for nested refs",
        schema:
            ##"{"$id":"https://ex.org/a/root.json","$defs":{"inner":{"$id":"sub/inner.json","$defs":{"t":{"type":"boolean"}},"$ref":"#/$defs/t"}},"$ref":"sub/inner.json"}"##,
        valid: ["true"], invalid: ["1"], keyword: "type"),
]

struct JSONSchemaValidatorTests {
    static func parse(_ s: String) throws -> JSONValue { try JSONValue(parsing: s) }

    @Test(arguments: keywordCases)
    func keyword(_ c: KeywordCase) throws {
        let validator = try JSONSchemaValidator(schema: Self.parse(c.schema))
        var full = validator
        full.checksCompiledFirst = false
        for text in c.valid + c.invalid {
            let instance = try Self.parse(text)
            #expect(validator.conforms(instance) == full.validate(instance).isEmpty, "\(c.name): \(text)")
        }
        for text in c.valid {
            let v = validator.validate(try Self.parse(text))
            #expect(v.isEmpty, "\(c.name): \(text) should be valid: \(v)")
        }
        for text in c.invalid {
            let v = validator.validate(try Self.parse(text))
            #expect(!v.isEmpty, "\(c.name): \(text) should be invalid")
            if !c.keyword.isEmpty {
                #expect(
                    v.contains { $0.keyword == c.keyword && $0.instancePath == c.path },
                    "\(c.name): \(text) should fail with \(c.keyword) at '\(c.path)', got \(v)")
            }
        }
    }

    @Test func violationsCarryPathsAndMessages() throws {
        let schema = try Self.parse(
            ##"{"type":"object","properties":{"a":{"type":"array","items":{"type":"object","required":["id"]}}},"required":["b"]}"##
        )
        let v = try JSONSchemaValidator(schema: schema).validate(Self.parse(##"{"a":[{"id":1},{}]}"##))
        #expect(v.count == 2)
        #expect(v.contains { $0.instancePath == "/a/1" && $0.keyword == "required" && $0.message.contains("\"id\"") })
        #expect(v.contains { $0.instancePath == "" && $0.keyword == "required" && $0.message.contains("\"b\"") })
        #expect(v.map(\.description).allSatisfy { !$0.isEmpty })
    }

    @Test func infiniteRecursionIsReportedNotLooped() throws {
        for text in [
            ##"{"$ref":"#"}"##, ##"{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}"##,
        ] {
            let v = try JSONSchemaValidator(schema: Self.parse(text)).validate(Self.parse("1"))
            #expect(v.contains { $0.keyword == "$ref" && $0.message.contains("recursion") }, "\(text): \(v)")
        }
    }

    @Test func unresolvedReferenceThrows() throws {
        #expect(throws: JSONSchemaError.self) {
            try JSONSchemaValidator(schema: Self.parse(##"{"$ref":"missing.json#/x"}"##))
        }
        #expect(throws: JSONSchemaError.self) {
            try JSONSchemaValidator(schema: Self.parse(##"{"$ref":"#/definitions/nope"}"##))
        }
        #expect(throws: JSONSchemaError.self) { try JSONSchemaValidator(schema: Self.parse(##"{"$ref":"#nope"}"##)) }
    }

    @Test func invalidPatternThrows() throws {
        #expect(throws: JSONSchemaError.self) {
            try JSONSchemaValidator(schema: Self.parse(##"{"pattern":"(unclosed"}"##))
        }
        #expect(throws: JSONSchemaError.self) {
            try JSONSchemaValidator(schema: Self.parse(##"{"properties":{"a":{"patternProperties":{"[":{}}}}}"##))
        }
        // A "pattern" member that is data (inside const) is not a schema keyword.
        #expect(throws: Never.self) { try JSONSchemaValidator(schema: Self.parse(##"{"const":{"pattern":"("}}"##)) }
    }

    // MARK: cross-document $ref

    @Test func refToRegistryByAbsoluteId() throws {
        let main = try Self.parse(
            ##"{"$id":"https://ex.org/schemas/main.json","properties":{"a":{"$ref":"common.json#/definitions/s"},"b":{"$ref":"https://ex.org/schemas/common.json#/definitions/n"}}}"##
        )
        let common = try Self.parse(
            ##"{"$id":"https://ex.org/schemas/common.json","definitions":{"s":{"type":"string"},"n":{"type":"number"}}}"##
        )
        let validator = try JSONSchemaValidator(schema: main, registry: ["https://ex.org/schemas/common.json": common])
        #expect(validator.validate(try Self.parse(##"{"a":"x","b":1}"##)).isEmpty)
        let v = validator.validate(try Self.parse(##"{"a":1,"b":"x"}"##))
        #expect(v.contains { $0.instancePath == "/a" && $0.keyword == "type" })
        #expect(v.contains { $0.instancePath == "/b" && $0.keyword == "type" })
    }

    @Test func refToRegistryByFileName() throws {
        let main = try Self.parse(##"{"properties":{"a":{"$ref":"other.json#/definitions/x"}}}"##)
        let other = try Self.parse(##"{"definitions":{"x":{"$ref":"#/definitions/y"},"y":{"enum":["ok"]}}}"##)
        let validator = try JSONSchemaValidator(schema: main, registry: ["other.json": other])
        #expect(validator.validate(try Self.parse(##"{"a":"ok"}"##)).isEmpty)
        #expect(
            validator.validate(try Self.parse(##"{"a":"ko"}"##)).contains {
                $0.keyword == "enum" && $0.instancePath == "/a"
            })
    }

    @Test func refAcrossFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("insigne-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: dir.appendingPathComponent(name))
        }
        try write(
            "main.json",
            """
            {"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
             "properties":{"a":{"$ref":"other.json#/definitions/x"},
                           "b":{"$ref":"https://ex.org/abs.json#/definitions/y"},
                           "c":{"$ref":"sub/third.json"},
                           "d":{"$ref":"relid.json#/definitions/z"}}}
            """)
        try write("other.json", ##"{"definitions":{"x":{"type":"string","minLength":2}}}"##)
        try write("absolute.json", ##"{"$id":"https://ex.org/abs.json","definitions":{"y":{"type":"integer"}}}"##)
        try write("sub/third.json", ##"{"type":"boolean"}"##)
        try write("relative-id.json", ##"{"$id":"relid.json","definitions":{"z":{"const":"z"}}}"##)
        try write("broken.json", "{not json")
        let validator = try JSONSchemaValidator(schemaFile: dir.appendingPathComponent("main.json"))
        #expect(validator.validate(try Self.parse(##"{"a":"xy","b":3,"c":true,"d":"z"}"##)).isEmpty)
        let v = validator.validate(try Self.parse(##"{"a":"x","b":3.5,"c":1,"d":"y"}"##))
        #expect(v.contains { $0.instancePath == "/a" && $0.keyword == "minLength" })
        #expect(v.contains { $0.instancePath == "/b" && $0.keyword == "type" })
        #expect(v.contains { $0.instancePath == "/c" && $0.keyword == "type" })
        #expect(v.contains { $0.instancePath == "/d" && $0.keyword == "const" })

        // Explicit search directory elsewhere: the relative file ref no longer resolves.
        let empty = dir.appendingPathComponent("sub")
        try write("lonely.json", ##"{"$ref":"nowhere.json"}"##)
        #expect(throws: JSONSchemaError.self) {
            try JSONSchemaValidator(schemaFile: dir.appendingPathComponent("lonely.json"), searchDirectory: empty)
        }
        #expect(throws: JSONSchemaError.self) {
            try JSONSchemaValidator(schemaFile: dir.appendingPathComponent("broken.json"))
        }
    }

    // MARK: official Open Badges 2.1 schemas

    static var ob21: URL { TestPaths.specs.appendingPathComponent("ob21", isDirectory: true) }

    static func ob21Schema(_ part: String) throws -> JSONSchemaValidator {
        let dir = ob21.appendingPathComponent("schema")
        let name = try #require(
            try TestPaths.jsonFiles(in: dir).first(where: { $0.lastPathComponent.contains(part) }), "no schema \(part)")
        return try JSONSchemaValidator(schemaFile: name)
    }

    static func example(_ name: String) throws -> JSONValue {
        try TestPaths.loadJSON(ob21.appendingPathComponent("examples").appendingPathComponent(name))
    }

    /// Removes `status.error` when it is null (the Policy of DIGEST §4.6) and a top-level `@context`.
    static func normalized(_ doc: JSONValue) -> JSONValue {
        guard case .object(var o) = doc else { return doc }
        o["@context"] = nil
        if case .object(var status)? = o["status"], status["error"] == .null {
            status["error"] = nil
            o["status"] = .object(status)
        }
        return .object(o)
    }

    @Test func officialOB21SchemasLoad() throws {
        let files = try TestPaths.jsonFiles(in: Self.ob21.appendingPathComponent("schema"))
        #expect(files.count == 10)
        for file in files {
            let schema = try TestPaths.loadJSON(file)
            #expect(schema["$schema"]?.stringValue == "http://json-schema.org/draft-07/schema#")
            _ = try JSONSchemaValidator(schemaFile: file)
        }
        // The verbatim original of the getAssertions schema is not JSON (trailing comma).
        let orig = Self.ob21.appendingPathComponent(
            "schema/imsob_v2p1v2p1-getassertions-200-responsepayload-schemav1p0.json.orig")
        #expect(throws: JSONSchemaError.self) { try JSONSchemaValidator(schemaFile: orig) }
    }

    @Test(arguments: [
        ("error-400.json", true), ("error-401.json", true), ("error-405.json", true), ("error-404.json", false),
    ])
    func officialErrorExamples(_ name: String, _ valid: Bool) throws {
        let doc = try Self.example(name)
        for part in ["getassertions-400", "getprofile-400", "postassertion-200-400", "postprofile-400"] {
            let v = try Self.ob21Schema(part).validate(doc)
            if valid {
                #expect(v.isEmpty, "\(name) vs \(part): \(v)")
            } else {
                // "error": null is refused by "type": "string".
                #expect(
                    v.map(\.instancePath) == ["/status/error"] && v.first?.keyword == "type", "\(name) vs \(part): \(v)"
                )
            }
            #expect(try Self.ob21Schema(part).validate(Self.normalized(doc)).isEmpty)
        }
    }

    @Test(arguments: [
        ("get-assertions-200.json", "getassertions-200"),
        ("get-profile-200.json", "getprofile-200"),
        ("post-profile-200.json", "postprofile-200"),
        ("post-assertion-200.json", "postassertion-200"),
    ])
    func officialSuccessExamplesFailOnlyOnNullError(_ name: String, _ part: String) throws {
        let validator = try Self.ob21Schema(part)
        let doc = try Self.example(name)
        let v = validator.validate(doc)
        #expect(v.count == 1, "\(v)")
        #expect(v.first?.instancePath == "/status/error")
        #expect(v.first?.keyword == "type")
        #expect(validator.validate(Self.normalized(doc)).isEmpty)
    }

    @Test func officialManifestExampleFailsOnContext() throws {
        let validator = try Self.ob21Schema("getmanifest-200")
        let doc = try Self.example("manifest-badgeconnect.json")
        let v = validator.validate(doc)
        #expect(v.count == 1, "\(v)")
        #expect(v.first?.instancePath == "/@context")
        #expect(v.first?.keyword == "additionalProperties")
        #expect(validator.validate(Self.normalized(doc)).isEmpty)

        // The schema is not toothless: a bad URL and a missing apiBase are caught.
        guard case .object(var o) = Self.normalized(doc), case .array(var apis)? = o["badgeConnectAPI"],
            case .object(var api) = apis[0]
        else {
            Issue.record("unexpected manifest shape")
            return
        }
        api["apiBase"] = nil
        api["tokenUrl"] = "not a url"
        apis[0] = .object(api)
        o["badgeConnectAPI"] = .array(apis)
        let bad = validator.validate(.object(o))
        #expect(bad.contains { $0.instancePath == "/badgeConnectAPI/0" && $0.keyword == "required" })
        #expect(bad.contains { $0.instancePath == "/badgeConnectAPI/0/tokenUrl" && $0.keyword == "format" })
    }

    @Test func officialRequestPayloads() throws {
        let postAssertion = try Self.ob21Schema("postassertion-requestpayload")
        let listed = try Self.example("get-assertions-200.json")
        let assertion = try #require(listed["assertions"]?.arrayValue?.first)
        let jws = try #require(listed["signedAssertions"]?.arrayValue?.first)
        #expect(postAssertion.validate(["assertion": assertion]).isEmpty)
        #expect(postAssertion.validate(["signedAssertion": jws]).isEmpty)
        #expect(postAssertion.validate(["assertion": assertion, "signedAssertion": jws]).isEmpty)
        #expect(
            postAssertion.validate(["assertion": assertion, "extra": 1]).contains {
                $0.keyword == "additionalProperties"
            })
        #expect(
            postAssertion.validate(["assertion": ["type": "Assertion"]]).contains {
                $0.keyword == "required" && $0.instancePath == "/assertion"
            })
        #expect(postAssertion.validate(["signedAssertion": 42]).contains { $0.keyword == "type" })

        // Quirk of the official schemas: a prefixed (compact IRI) property with an integer value matches
        // both "number" and "integer" of the patternProperties oneOf, so it is refused.
        let withInteger: JSONValue = ["id": "urn:uuid:1", "type": "Assertion", "ex:count": 1]
        let withDecimal: JSONValue = ["id": "urn:uuid:1", "type": "Assertion", "ex:count": .number(1.5)]
        #expect(
            postAssertion.validate(["assertion": withInteger]).contains {
                $0.keyword == "oneOf" && $0.instancePath == "/assertion/ex:count"
            })
        #expect(postAssertion.validate(["assertion": withDecimal]).isEmpty)

        let postProfile = try Self.ob21Schema("postprofile-requestpayload")
        let profile = try #require(try Self.example("post-profile-200.json")["profile"])
        #expect(postProfile.validate(profile).isEmpty)
        #expect(postProfile.validate(["email": "someone@example.org"]).filter { $0.keyword == "required" }.count == 2)
    }
}
