// swift-tools-version: 6.0
import PackageDescription

// Module layout (dependencies point down):
//   COpenSSL, CPNGShims        C glue over system OpenSSL 3 and libpng (no C type leaves these + the next layer)
//   COpenSSLSetup              OpenSSL told at load time not to free its state at exit (threads may still use it)
//   OpenBadgesCrypto           keys, PEM, RS256/ES256/EdDSA, SHA-256, CSPRNG over OpenSSL
//   OpenBadgesPNG              PNG chunk reader/writer, CRC-32, iTXt, libpng image validation
//   LinkedData                 pure: JSON-LD 1.1 to RDF with bundled contexts only, RDFC-1.0, N-Quads (+ digests)
//   OpenBadges                 pure core: JSON, OB 2.0 model, JWS, baking, verifier, issuing, OB 3.0 (Data Integrity,
//                              JSON Schema validator + the bundled official OB 3.0 schemas)
//   OpenBadgesHTTP             HTTP DocumentLoader with SSRF guard (sockets + OpenSSL TLS)
//   OpenBadgesPDF              certificate PDF (libharu + libqrencode through CLibHaru, CQREncode)
//   CSVText                    pure: RFC 4180 CSV reader and writer (Foundation only)
//   MultipartParsing           pure: strict multipart/form-data parser (Foundation only; fuzzed on its own)
//   CompetencyFrameworks       pure: competency referentials, Moodle CSV import/export, JSON form
//   InsigneStore               GRDB database, records, keystore
//   InsigneServer              Hummingbird service: hosted documents, API, pages, portfolios
//   InsigneCLI                 the `insigne` command
let package = Package(
    name: "Insigne",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "insigne", targets: ["InsigneCLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.1"),
        // Already resolved through Hummingbird; named here so the mail worker can be one of the server's services.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "CPNGShims",
            linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("z")]
        ),
        .target(
            name: "COpenSSLSetup",
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        .target(
            name: "OpenBadgesCrypto",
            dependencies: ["COpenSSL", "COpenSSLSetup"]
        ),
        .target(
            name: "OpenBadgesPNG",
            dependencies: ["CPNGShims"]
        ),
        .target(
            name: "LinkedData",
            dependencies: ["OpenBadgesCrypto"],
            resources: [.copy("Contexts")]
        ),
        .target(
            name: "OpenBadges",
            dependencies: ["OpenBadgesCrypto", "OpenBadgesPNG", "LinkedData"],
            resources: [.copy("Schemas")]
        ),
        .target(
            name: "OpenBadgesHTTP",
            dependencies: ["OpenBadges", "COpenSSL"]
        ),
        .systemLibrary(name: "CLibHaru", providers: [.apt(["libhpdf-dev"])]),
        .systemLibrary(name: "CQREncode", providers: [.apt(["libqrencode-dev"])]),
        .target(
            name: "OpenBadgesPDF",
            dependencies: ["OpenBadges", "CLibHaru", "CQREncode"]
        ),
        .target(name: "CSVText"),
        .target(name: "MultipartParsing"),
        .target(
            name: "CompetencyFrameworks",
            dependencies: ["OpenBadges", "CSVText"]
        ),
        .target(
            name: "InsigneStore",
            dependencies: [
                "OpenBadges", "CompetencyFrameworks", "OpenBadgesCrypto", "OpenBadgesPNG",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "InsigneServer",
            dependencies: [
                "OpenBadges", "OpenBadgesCrypto", "OpenBadgesPNG", "OpenBadgesHTTP", "OpenBadgesPDF", "InsigneStore",
                "CompetencyFrameworks", "CSVText", "MultipartParsing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Templates"), .copy("Static"), .copy("Seed")]
        ),
        .executableTarget(
            name: "InsigneCLI",
            dependencies: [
                "OpenBadges", "OpenBadgesHTTP", "OpenBadgesCrypto", "OpenBadgesPNG", "OpenBadgesPDF", "InsigneStore",
                "InsigneServer", "CompetencyFrameworks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "OpenBadges", "OpenBadgesCrypto", "OpenBadgesPNG", "OpenBadgesHTTP", "CompetencyFrameworks",
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "OpenBadgesCryptoTests", dependencies: ["OpenBadgesCrypto", "TestSupport"]),
        .testTarget(name: "OpenBadgesPNGTests", dependencies: ["OpenBadgesPNG", "TestSupport"]),
        .testTarget(name: "LinkedDataTests", dependencies: ["LinkedData", "TestSupport"]),
        .testTarget(name: "OpenBadgesTests", dependencies: ["OpenBadges", "LinkedData", "TestSupport"]),
        .testTarget(name: "OpenBadgesHTTPTests", dependencies: ["OpenBadgesHTTP", "TestSupport"]),
        .testTarget(name: "OpenBadgesPDFTests", dependencies: ["OpenBadgesPDF", "TestSupport"]),
        .testTarget(name: "CSVTextTests", dependencies: ["CSVText", "TestSupport"]),
        .testTarget(name: "CompetencyFrameworksTests", dependencies: ["CompetencyFrameworks", "TestSupport"]),
        .testTarget(name: "InsigneStoreTests", dependencies: ["InsigneStore", "TestSupport"]),
        .testTarget(
            name: "InsigneServerTests",
            dependencies: [
                "InsigneServer", "InsigneStore", "OpenBadgesPDF", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            exclude: ["Screenshots"]
        ),
        .testTarget(
            name: "InteropTests",
            dependencies: [
                "OpenBadges", "OpenBadgesHTTP", "LinkedData", "TestSupport", "InsigneServer", "InsigneStore",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
