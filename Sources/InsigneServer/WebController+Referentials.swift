import Hummingbird

// Stub: the trainers' referential pages (import, export, alignment picker, badge generation) land here.
extension WebController {
    /// Registers the trainers' referential pages.
    func registerReferentialPages(on router: Router<AppRequestContext>) {}
}
