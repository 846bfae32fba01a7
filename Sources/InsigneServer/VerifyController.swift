import Hummingbird

/// `POST /verify` (JSON report) and `GET /verify` (the employer's page).
struct VerifyController: Sendable {
    let services: ServerServices

    func register(on router: Router<AppRequestContext>) {}
}
