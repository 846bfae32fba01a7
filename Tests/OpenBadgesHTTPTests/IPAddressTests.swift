import Testing

@testable import OpenBadgesHTTP

struct IPAddressTests {
    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("::1", "::1"),
        ("::", "::"),
        ("[::1]", "::1"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("fe80::1%eth0", "fe80::1"),
        ("2606:4700:4700::1111", "2606:4700:4700::1111"),
    ])
    func parsesValidText(text: String, canonical: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == canonical)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4", "0x7f.0.0.1",
        "2130706433", "example.com", ":::", "1::2::3", "12345::", "::ffff:1.2.3", "localhost", "[::1", "fe80::1%",
    ])
    func rejectsInvalidText(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func parsesBytes() {
        #expect(IPAddress("10.1.2.3") == .v4(10, 1, 2, 3))
        #expect(IPAddress("::1") == .v6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
    }

    @Test(arguments: [
        // IPv4 non-public
        ("0.0.0.0", false), ("0.1.2.3", false), ("10.0.0.1", false), ("10.255.255.255", false),
        ("100.64.0.1", false), ("100.127.255.255", false), ("127.0.0.1", false), ("127.255.0.1", false),
        ("169.254.169.254", false), ("172.16.0.1", false), ("172.31.255.255", false),
        ("192.0.0.8", false), ("192.0.2.1", false), ("192.168.1.1", false), ("198.18.0.1", false),
        ("198.19.255.255", false), ("198.51.100.7", false), ("203.0.113.9", false), ("224.0.0.1", false),
        ("239.255.255.250", false), ("240.0.0.1", false), ("255.255.255.255", false),
        // IPv4 public (including neighbours of the ranges above)
        ("8.8.8.8", true), ("1.1.1.1", true), ("100.63.255.255", true), ("100.128.0.0", true),
        ("172.15.255.255", true), ("172.32.0.0", true), ("169.253.1.1", true), ("192.0.1.1", true),
        ("192.169.0.1", true), ("198.17.255.255", true), ("198.20.0.0", true), ("223.255.255.255", true),
        ("11.0.0.1", true), ("126.255.255.255", true), ("128.0.0.1", true),
        // IPv6 non-public
        ("::", false), ("::1", false), ("fc00::1", false), ("fd12:3456::1", false), ("fe80::1", false),
        ("febf::1", false), ("fec0::1", false), ("ff02::1", false), ("ff0e::1", false), ("2001:db8::1", false),
        ("100::1", false), ("2001::1", false), ("3fff::1", false), ("::ffff:127.0.0.1", false),
        ("::ffff:10.0.0.1", false), ("::ffff:169.254.169.254", false), ("::ffff:0.0.0.0", false),
        ("::127.0.0.1", false), ("::10.0.0.1", false), ("64:ff9b::7f00:1", false), ("64:ff9b::a00:1", false),
        ("2002:7f00:1::", false), ("2002:c0a8:101::1", false), ("::2", false), ("4000::1", false),
        // IPv6 public
        ("2606:4700:4700::1111", true), ("2001:4860:4860::8888", true), ("::ffff:8.8.8.8", true),
        ("64:ff9b::808:808", true), ("2002:808:808::1", true), ("2a00:1450:4001::1", true),
    ])
    func classifies(text: String, isPublic: Bool) throws {
        let address = try #require(IPAddress(text))
        #expect(address.isPublic == isPublic, "\(text) category \(address.category)")
        #expect(AddressPolicy.publicOnly.permits(address) == isPublic)
        #expect(AddressPolicy.allowAll.permits(address))
    }

    @Test func categoriesAndReasons() throws {
        #expect(IPAddress("127.0.0.1")?.category == .loopback)
        #expect(IPAddress("::1")?.category == .loopback)
        #expect(IPAddress("::")?.category == .unspecified)
        #expect(IPAddress("169.254.169.254")?.category == .linkLocal)
        #expect(IPAddress("::ffff:127.0.0.1")?.category == .loopback)
        #expect(IPAddress("::ffff:127.0.0.1")?.embeddedIPv4 == .v4(127, 0, 0, 1))
        #expect(IPAddress("2002:0a00:0001::")?.embeddedIPv4 == .v4(10, 0, 0, 1))
        let loopback = try #require(IPAddress("127.0.0.1"))
        let reason = try #require(AddressPolicy.publicOnly.refusalReason(for: loopback))
        #expect(reason.contains("127.0.0.1") && reason.contains("loopback"))
        let mappedAddress = try #require(IPAddress("::ffff:10.0.0.1"))
        let mapped = try #require(AddressPolicy.publicOnly.refusalReason(for: mappedAddress))
        #expect(mapped.contains("10.0.0.1") && mapped.contains("private"))
        #expect(AddressPolicy.publicOnly.refusalReason(for: try #require(IPAddress("8.8.8.8"))) == nil)
    }

    @Test func customPolicyReplacesBuiltInRule() throws {
        let onlyLoopback1 = AddressPolicy.custom { $0 == .v4(127, 0, 0, 1) }
        #expect(onlyLoopback1.permits(try #require(IPAddress("127.0.0.1"))))
        #expect(!onlyLoopback1.permits(try #require(IPAddress("127.0.0.2"))))
        #expect(!onlyLoopback1.permits(try #require(IPAddress("8.8.8.8"))))
        #expect(AddressPolicy(allowPrivateNetwork: true).permits(try #require(IPAddress("10.0.0.1"))))
    }
}
