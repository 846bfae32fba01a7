import Foundation
import OpenBadgesPNG

/// A minimal ZIP archive writer: stored (uncompressed) entries, CRC-32, UTF-8 names (flag bit 11), local headers,
/// central directory and end record. Enough for a personal-data export; no ZIP64 (the archive stays < 4 GiB).
struct ZIPWriter {
    private var data: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0
    /// DOS date and time of every entry.
    private let dosTime: UInt16
    private let dosDate: UInt16

    init(date: Date = Date()) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = WebDates.paris
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        dosTime = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
        dosDate = UInt16(max(0, (c.year ?? 1980) - 1980) << 9 | (c.month ?? 1) << 5 | (c.day ?? 1))
    }

    /// Adds a file.
    mutating func add(_ name: String, _ bytes: [UInt8]) {
        let nameBytes = Array(name.utf8)
        let crc = CRC32.checksum(bytes)
        let offset = data.count
        var local: [UInt8] = []
        local.le32(0x0403_4B50)
        local.le16(20)  // version needed: 2.0
        local.le16(0x0800)  // UTF-8 names
        local.le16(0)  // stored
        local.le16(dosTime)
        local.le16(dosDate)
        local.le32(crc)
        local.le32(UInt32(bytes.count))
        local.le32(UInt32(bytes.count))
        local.le16(UInt16(nameBytes.count))
        local.le16(0)
        data += local + nameBytes + bytes

        central.le32(0x0201_4B50)
        central.le16(0x031E)  // made by: Unix, 3.0
        central.le16(20)
        central.le16(0x0800)
        central.le16(0)
        central.le16(dosTime)
        central.le16(dosDate)
        central.le32(crc)
        central.le32(UInt32(bytes.count))
        central.le32(UInt32(bytes.count))
        central.le16(UInt16(nameBytes.count))
        central.le16(0)  // extra
        central.le16(0)  // comment
        central.le16(0)  // disk
        central.le16(0)  // internal attributes
        central.le32(0o100600 << 16)  // external attributes: a regular file, 0600
        central.le32(UInt32(offset))
        central += nameBytes
        count += 1
    }

    /// The finished archive.
    func finish() -> [UInt8] {
        var end: [UInt8] = []
        end.le32(0x0605_4B50)
        end.le16(0)
        end.le16(0)
        end.le16(UInt16(count))
        end.le16(UInt16(count))
        end.le32(UInt32(central.count))
        end.le32(UInt32(data.count))
        end.le16(0)
        return data + central + end
    }
}

extension [UInt8] {
    fileprivate mutating func le16(_ v: UInt16) {
        append(UInt8(v & 0xFF))
        append(UInt8(v >> 8))
    }
    fileprivate mutating func le32(_ v: UInt32) {
        le16(UInt16(v & 0xFFFF))
        le16(UInt16(v >> 16))
    }
}
