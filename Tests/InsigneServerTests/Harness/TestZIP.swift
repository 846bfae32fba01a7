import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadgesCrypto
import TestSupport
import Testing

@testable import InsigneServer

/// A small ZIP reader for the tests: walks the central directory and checks each local header and CRC.
struct TestZIP {
    struct Entry {
        var name: String
        var data: [UInt8]
        var crc: UInt32
        var utf8Flag: Bool
    }

    var entries: [Entry] = []

    init(_ b: [UInt8]) throws {
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ i: Int) -> UInt32 { UInt32(u16(i)) | UInt32(u16(i + 2)) << 16 }
        let eocd = b.count - 22
        try #require(eocd >= 0 && u32(eocd) == 0x0605_4B50, "end of central directory record")
        let count = u16(eocd + 10)
        var p = Int(u32(eocd + 16))
        #expect(Int(u32(eocd + 12)) + p == eocd, "central directory size and offset")
        for _ in 0..<count {
            try #require(u32(p) == 0x0201_4B50, "central directory entry signature")
            let flags = u16(p + 8)
            let method = u16(p + 10)
            let crc = u32(p + 16)
            let size = Int(u32(p + 20))
            let n = u16(p + 28)
            let m = u16(p + 30)
            let k = u16(p + 32)
            let offset = Int(u32(p + 42))
            let name = String(decoding: b[(p + 46)..<(p + 46 + n)], as: UTF8.self)
            #expect(method == 0)
            try #require(u32(offset) == 0x0403_4B50, "local header signature of \(name)")
            #expect(u32(offset + 14) == crc, "local CRC of \(name)")
            let ln = u16(offset + 26)
            let lm = u16(offset + 28)
            #expect(String(decoding: b[(offset + 30)..<(offset + 30 + ln)], as: UTF8.self) == name)
            let start = offset + 30 + ln + lm
            let data = Array(b[start..<(start + size)])
            entries.append(Entry(name: name, data: data, crc: crc, utf8Flag: flags & 0x0800 != 0))
            p += 46 + n + m + k
        }
    }

    subscript(_ name: String) -> Entry? { entries.first { $0.name == name } }
}
