import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import TestSupport
import Testing

@testable import InsigneServer

/// Multipart bodies for `/verify`, and readers of response bodies.
enum Multipart {
    static let boundary = "----InsigneTestBoundary7MA4YWxkTrZu0gW"

    struct Field {
        var name: String
        var filename: String?
        var contentType: String?
        var body: [UInt8]
    }

    static func body(_ fields: [Field]) -> ByteBuffer {
        var out: [UInt8] = []
        for f in fields {
            out += Array("--\(boundary)\r\n".utf8)
            var disposition = "Content-Disposition: form-data; name=\"\(f.name)\""
            if let filename = f.filename { disposition += "; filename=\"\(filename)\"" }
            out += Array((disposition + "\r\n").utf8)
            if let type = f.contentType { out += Array("Content-Type: \(type)\r\n".utf8) }
            out += Array("\r\n".utf8)
            out += f.body
            out += Array("\r\n".utf8)
        }
        out += Array("--\(boundary)--\r\n".utf8)
        return ByteBuffer(bytes: out)
    }

    static func file(_ bytes: [UInt8], name: String = "badge.png", type: String = "image/png", recipient: String? = nil)
        -> ByteBuffer
    {
        var fields = [Field(name: "file", filename: name, contentType: type, body: bytes)]
        if let recipient { fields.append(Field(name: "recipient", body: Array(recipient.utf8))) }
        return body(fields)
    }

    static func headers(accept: String = "application/json") -> HTTPFields {
        [.contentType: "multipart/form-data; boundary=\(boundary)", .accept: accept]
    }
}

let jsonHeaders: HTTPFields = [.contentType: "application/json", .accept: "application/json"]

func bytes(_ buffer: ByteBuffer) -> [UInt8] { Array(buffer.readableBytesView) }
func text(_ buffer: ByteBuffer) -> String { String(decoding: buffer.readableBytesView, as: UTF8.self) }
func json(_ buffer: ByteBuffer) throws -> JSONValue { try JSONValue(parsing: bytes(buffer)) }
func jsonOrNull(_ buffer: ByteBuffer) -> JSONValue { (try? JSONValue(parsing: bytes(buffer))) ?? .null }
