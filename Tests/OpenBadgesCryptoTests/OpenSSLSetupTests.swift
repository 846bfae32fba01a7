import Foundation
import OpenBadgesCrypto
import Testing

/// OpenSSL must not free its state at exit while other threads may still use it: a run of the unit tests crashed
/// after its last test, a background task drawing random bytes through a lock OpenSSL's exit handler had freed.
@Suite struct OpenSSLSetupTests {
    static let probeVariable = "INSIGNE_OPENSSL_EXIT_PROBE"

    @Test func theExitCleanupIsDisabledBeforeAnyUse() {
        #expect(OpenSSLSetup.exitCleanupDisabled)
    }

    /// This test binary, run again for `exitProbe` alone: threads sign, hash and draw random bytes while it exits.
    @Test func aProcessExitingWhileThreadsUseOpenSSLExitsCleanly() throws {
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        for _ in 0..<10 {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["--testing-library", "swift-testing", "--filter", "OpenSSLSetupTests/exitProbe"]
            // A crash must end the child at once, not wait on Swift's backtracer.
            process.environment = ProcessInfo.processInfo.environment.merging([
                Self.probeVariable: "1", "SWIFT_BACKTRACE": "enable=no",
            ]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 0)
        }
    }

    /// Does nothing unless run by the test above: then it starts busy threads and exits the process under them.
    @Test func exitProbe() throws {
        guard ProcessInfo.processInfo.environment[Self.probeVariable] == "1" else { return }
        let key = try PrivateKey.generate(.ed25519)
        for i in 0..<3 {
            Thread.detachNewThread {
                while true {
                    switch i {
                    case 0: _ = try? SecureRandom.bytes(count: 16)
                    case 1: _ = SHA256Digest.hash(Array("probe".utf8))
                    default: _ = try? key.signature(for: [1, 2, 3], algorithm: .edDSA)
                    }
                }
            }
        }
        usleep(20_000)
        exit(0)
    }
}
