import Foundation
import InsigneStore

/// Makes the OB 3.0 forms of bulk awards after their batch is stored (issue 15 point 1): a bulk award is signed and
/// stored as OB 2.0 at once and listed as pending (`ob3Pending`, in the award's transaction); this one task then makes
/// the forms one by one, and a server started again resumes the list. Until its form is made, an award's OB 3.0 URLs
/// make it on the first GET, as they do for awards from before OB 3.0; its status-list index, reserved with the form,
/// already carries a revocation made meanwhile.
actor OB3FormMaker {
    private var running = false
    private var again = false

    /// Starts making the pending forms in the background (once more after the current pass when already running).
    nonisolated func kick(_ issuing: IssuingService) {
        Task { await self.run(issuing) }
    }

    /// Makes every pending form, and returns when none is left (or, when a pass is already running, at once: that
    /// pass goes round once more).
    func run(_ issuing: IssuingService) async {
        if running {
            again = true
            return
        }
        running = true
        repeat {
            again = false
            _ = await issuing.makePendingOB3Forms()
        } while again
        running = false
    }
}

extension IssuingService {
    /// Makes the OB 3.0 form of every award listed as pending, oldest first; returns how many were made. An award
    /// whose form cannot be made (its issuer is gone…) leaves the list: its first GET tries again.
    public func makePendingOB3Forms(pass: Int = 100) async -> Int {
        var made = 0
        while !Task.isCancelled {
            guard let ids = try? await db.pendingOB3Forms(limit: pass), !ids.isEmpty else { break }
            for id in ids where (try? await issueOB3(assertionID: id, actor: "system"))?.created == true {
                made += 1
            }
            guard (try? await db.clearPendingOB3Forms(ids)) != nil else { break }
        }
        return made
    }

    /// Starts making the pending OB 3.0 forms in the background (after a batch, at start-up).
    public func resumeOB3Forms() {
        ob3Maker.kick(self)
    }
}
