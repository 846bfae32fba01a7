import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import Logging
import NIOCore
import OpenBadges
import OpenBadgesHTTP
import ServiceLifecycle

/// Everything a request handler needs, built once at start.
public struct ServerServices: Sendable {
    /// Configuration.
    public let configuration: ServerConfiguration
    /// Database.
    public let db: AppDatabase
    /// Issuing operations.
    public let issuing: IssuingService
    /// Document builders and URLs.
    public let documents: DocumentFactory
    /// Hosted documents by path.
    public let resolver: PublicDocumentResolver
    /// The verifier, own documents answered from the database, others over HTTP behind the SSRF guard.
    public let verifier: Verifier
    /// Sends e-mail (queue and SMTP, or the outbox).
    let mailer: Mailer
    /// The clock of the views that depend on the date (compliance); tests replace it with a fixed instant.
    var clock: @Sendable () -> Date = { Date() }

    /// The URLs.
    public var urls: PublicURLs { documents.urls }
    /// OB 3.0 Bitstring status lists (held by the issuing service, which gives each award its entry).
    public var statusLists: StatusLists { issuing.statusLists }

    /// Opens the database and keystore under the data directory.
    public init(configuration: ServerConfiguration, db: AppDatabase? = nil) throws {
        self.configuration = configuration
        let dataDir = URL(fileURLWithPath: configuration.dataDirectory)
        try DataDirectory.secure(dataDir, logger: Logger(label: "insigne"))  // 0700, database files 0600
        let db = try db ?? AppDatabase.open(path: dataDir.appendingPathComponent(DataDirectory.databaseFile).path)
        self.db = db
        mailer = try Mailer(configuration: configuration, db: db)
        let documents = DocumentFactory(urls: PublicURLs(base: configuration.publicURL))
        self.documents = documents
        let keystore = try Keystore(directory: dataDir.appendingPathComponent("keys"))
        issuing = IssuingService(db: db, keystore: keystore, documents: documents)
        var http = HTTPLoaderConfiguration()
        http.addressPolicy = configuration.allowPrivateNetwork ? .allowAll : .publicOnly
        resolver = PublicDocumentResolver(db: db, documents: documents, carriers: CarrierCache(), issuing: issuing)
        verifier = Verifier(
            loader: DatabaseDocumentLoader(resolver: resolver, fallback: HTTPDocumentLoader(configuration: http)))
    }
}
