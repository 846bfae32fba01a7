import Dispatch
import Foundation
import OpenBadges

/// The whole verifier input path (`POST /verify`, `insigne verify`, backpack import): bytes → detect (PNG, SVG, PDF,
/// JWS, JSON, URL) → extract → split → checks, with a loader that knows no document (every fetch answers 404).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVerifier(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let done = DispatchSemaphore(value: 0)
    Task {
        let verifier = Verifier(loader: StaticDocumentLoader())
        let options = VerificationOptions(now: Date(timeIntervalSince1970: 1_798_761_600))
        let report = await verifier.verify(.data(bytes), options: options)
        if report.verdict == .valid { fatalError("random bytes verified as a valid badge") }
        done.signal()
    }
    done.wait()
    return 0
}
