import ArgumentParser
import Foundation

@main
struct Insigne: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insigne",
        abstract: "Insigne : émettre et vérifier des Open Badges 2.0 / issue and verify Open Badges 2.0.",
        subcommands: [
            ServeCommand.self, KeygenCommand.self, SignCommand.self, BakeCommand.self, UnbakeCommand.self,
            VerifyCommand.self,
            DemoCommand.self, BenchCommand.self, ServerBenchCommand.self, ReferentialCommand.self,
            CertificateCommand.self, RemindersCommand.self, OB3BackfillCommand.self, ScaleBenchCommand.self,
            BackupCommand.self,
        ])
}

/// A failure the CLI reports on stderr with exit code 2 (could not run).
struct CLIError: Error, CustomStringConvertible {
    var fr: String
    var en: String
    var description: String { "Erreur : \(fr)\nError: \(en)" }
}

/// Exits with `code` after printing `error` on stderr.
func exitWith(_ code: Int32, _ error: CustomStringConvertible) -> Never {
    FileHandle.standardError.write(Data((error.description + "\n").utf8))
    exit(code)
}

/// Reads a whole file, mapping I/O failures to a bilingual error.
func readFile(_ path: String, limit: Int = 16 * 1024 * 1024) throws -> [UInt8] {
    let url = URL(fileURLWithPath: path)
    guard let attrs = try? FileManager.default.attributesOfItem(atPath: path) else {
        throw CLIError(fr: "fichier introuvable : \(path)", en: "file not found: \(path)")
    }
    if let size = attrs[.size] as? Int, size > limit {
        throw CLIError(
            fr: "fichier trop volumineux (\(size) octets) : \(path)", en: "file too large (\(size) bytes): \(path)")
    }
    do { return [UInt8](try Data(contentsOf: url)) } catch {
        throw CLIError(fr: "lecture impossible : \(path)", en: "cannot read: \(path)")
    }
}

/// Writes a file atomically. Private files are created with mode 0600 from the start (never readable by others).
func writeFile(_ path: String, _ bytes: [UInt8], privateFile: Bool = false) throws {
    if privateFile {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw CLIError(fr: "écriture impossible : \(path)", en: "cannot write: \(path)")
        }
        defer { close(fd) }
        _ = fchmod(fd, 0o600)
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        guard ok else { throw CLIError(fr: "écriture impossible : \(path)", en: "cannot write: \(path)") }
        return
    }
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw CLIError(fr: "écriture impossible : \(path) (\(error.localizedDescription))", en: "cannot write: \(path)")
    }
}
