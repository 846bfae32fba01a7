import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// The data directory holds password hashes, learners' names and addresses, and the signing keys: only the service's
/// user may read it. Created 0700 with the database files 0600, and corrected at start on older installs.
enum DataDirectory {
    /// The database file name inside the data directory.
    static let databaseFile = "insigne.sqlite"
    /// The owner-only files the service keeps at the top of the data directory.
    static let privateFiles = [
        databaseFile, databaseFile + "-wal", databaseFile + "-shm", FirstStartCredentials.fileName,
    ]

    /// Creates the directory (0700) if needed, then narrows the modes of the directory and of its private files that
    /// are readable by others, with one warning per file corrected. Returns the paths corrected.
    @discardableResult
    static func secure(_ directory: URL, logger: Logger) throws -> [String] {
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var corrected: [String] = []
        let targets =
            [(directory.path, mode_t(0o700))]
            + privateFiles.map { (directory.appendingPathComponent($0).path, mode_t(0o600)) }
        for (path, wanted) in targets {
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            let mode = info.st_mode & 0o777
            guard mode & 0o077 != 0 else { continue }
            guard chmod(path, wanted) == 0 else {
                logger.warning(
                    "impossible de restreindre les droits de \(path) / could not restrict the mode of \(path) (errno \(errno))"
                )
                continue
            }
            logger.warning(
                "droits de \(path) corrigés : \(String(mode, radix: 8)) → \(String(wanted, radix: 8)) / mode of \(path) corrected: \(String(mode, radix: 8)) → \(String(wanted, radix: 8))"
            )
            corrected.append(path)
        }
        return corrected
    }
}

/// The first-start admin secrets (sign-in password, API token): never written to the log. They go to an owner-only
/// file in the data directory, whose path is logged, and to the terminal only when standard output is one.
enum FirstStartCredentials {
    static let fileName = "first-start-credentials.txt"

    /// Writes `message` to `<data>/first-start-credentials.txt` (0600), logs its path, prints `message` only when
    /// `terminal` is true. Returns the file's path.
    @discardableResult
    static func publish(
        _ message: String, dataDirectory: URL, logger: Logger, terminal: Bool = isatty(STDOUT_FILENO) == 1
    ) throws -> String {
        let path = dataDirectory.appendingPathComponent(fileName).path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        defer { close(fd) }
        _ = fchmod(fd, 0o600)  // an older file with a wider mode
        let bytes = Array((message + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
            written += n
        }
        logger.notice(
            "identifiants de première installation (admin) dans \(path) / first-start admin credentials in \(path)")
        if terminal { FileHandle.standardOutput.write(Data((message + "\n").utf8)) }
        return path
    }
}

extension ServerConfiguration {
    /// The SQLite database file under the data directory (`insigne backup` reads it).
    public var databasePath: String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent(DataDirectory.databaseFile).path
    }
}
