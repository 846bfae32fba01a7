import Foundation
import Logging
import ServiceLifecycle

/// Runs the reminders job with the server: a minute after the start, then every 24 hours, until the graceful
/// shutdown. Logs counts only, never an address. A run stopped by a restart resumes at the next one without
/// sending anything twice (see `Reminders`).
struct RemindersWorker: Service {
    let services: ServerServices
    var logger: Logger
    /// Seconds before the first run.
    var firstDelay: Double = 60
    /// Seconds between two runs.
    var interval: Double = 86_400

    func run() async throws {
        var delay = firstDelay
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let nanoseconds = UInt64(delay * 1_000_000_000)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(nanoseconds: nanoseconds) }
            if Task.isCancelled || Task.isShuttingDownGracefully { return }
            await runOnce()
            delay = interval
        }
    }

    /// One run at the services' clock, logged as counts.
    func runOnce() async {
        do {
            let sent = try await Reminders(services: services).run(now: services.clock())
            let reminders = sent.filter { $0.kind == .reminder }.count
            logger.info(
                "reminders sent",
                metadata: ["reminders": "\(reminders)", "digests": "\(sent.count - reminders)"])
        } catch {
            logger.warning("reminders: run failed, next run tomorrow", metadata: ["error": "\(type(of: error))"])
        }
    }
}
