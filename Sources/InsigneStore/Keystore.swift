import Foundation
import OpenBadgesCrypto

/// Issuer private keys on disk: one PEM file per key, mode 0600, in a 0700 directory. Never served.
public struct Keystore: Sendable {
    /// The keystore directory.
    public let directory: URL

    /// Opens (and creates, mode 0700) the keystore directory.
    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
    }

    /// Writes `key` as `<name>.pem` (mode 0600 from creation, never overwriting) and returns the file name.
    public func store(_ key: PrivateKey, name: String) throws -> String {
        guard name.range(of: "^[A-Za-z0-9._-]{1,100}$", options: .regularExpression) != nil else {
            throw KeystoreError.invalidName(name)
        }
        let file = name + ".pem"
        let path = directory.appendingPathComponent(file).path
        let passphrase = ProcessInfo.processInfo.environment["INSIGNE_KEY_PASSPHRASE"]
        let pem = Array(try key.pkcs8PEM(passphrase: passphrase).utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw KeystoreError.cannotWrite(path) }
        defer { close(fd) }
        let written = pem.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == pem.count, fsync(fd) == 0 else { throw KeystoreError.cannotWrite(path) }
        return file
    }

    /// Loads the key stored as `file`.
    public func load(_ file: String) throws -> PrivateKey {
        guard !file.contains("/") else { throw KeystoreError.invalidName(file) }
        let url = directory.appendingPathComponent(file)
        guard let data = try? Data(contentsOf: url) else { throw KeystoreError.missing(url.path) }
        return try PrivateKey(
            pem: String(decoding: data, as: UTF8.self),
            passphrase: ProcessInfo.processInfo.environment["INSIGNE_KEY_PASSPHRASE"])
    }
}

/// Keystore failures.
public enum KeystoreError: Error, Sendable, CustomStringConvertible {
    case invalidName(String)
    case cannotWrite(String)
    case missing(String)

    public var description: String {
        switch self {
        case .invalidName(let n): "nom de clé invalide / invalid key name: \(n)"
        case .cannotWrite(let p): "écriture de la clé impossible / cannot write key: \(p)"
        case .missing(let p): "clé introuvable / key not found: \(p)"
        }
    }
}
