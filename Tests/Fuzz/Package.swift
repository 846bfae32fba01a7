// swift-tools-version: 6.0
import PackageDescription

// Coverage-guided fuzzing (libFuzzer) of every parser of untrusted input. Not part of the main package: its
// executables only link with `-sanitize=fuzzer`. The library targets are the main package's own sources (the
// folders under Sources/ are symbolic links to ../../../Sources/<Module>), so nothing external is resolved and
// Hummingbird is never built with the sanitizers. Build and run through the main Makefile: `make fuzz`
// (FUZZ_SECONDS per target, default 60) or `make fuzz-smoke` (a few seconds each, part of `make test`).
//
//   swift build --package-path Tests/Fuzz --scratch-path .build-fuzz/build -c debug \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xcc -fsanitize=fuzzer-no-link,address

let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("FuzzPDF", ["OpenBadges"]),
    ("FuzzPNG", ["OpenBadges", "OpenBadgesPNG"]),
    ("FuzzSVG", ["OpenBadges"]),
    ("FuzzJWS", ["OpenBadges"]),
    ("FuzzJSON", ["OpenBadges"]),
    ("FuzzCSV", ["CSVText"]),
    ("FuzzReferential", ["CompetencyFrameworks"]),
    ("FuzzMultipart", ["MultipartParsing"]),
    ("FuzzVerifier", ["OpenBadges"]),
    ("FuzzNQuads", ["LinkedData"]),
    ("FuzzJSONLD", ["LinkedData"]),
    ("FuzzOB3", ["OpenBadges"]),
    ("FuzzOB3Schema", ["OpenBadges"]),
]

let package = Package(
    name: "InsigneFuzz",
    platforms: [.macOS(.v14)],
    targets: [
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl"),
        .target(name: "CPNGShims", linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("z")]),
        .target(name: "COpenSSLSetup", linkerSettings: [.linkedLibrary("crypto")]),
        .target(name: "OpenBadgesCrypto", dependencies: ["COpenSSL", "COpenSSLSetup"]),
        .target(name: "OpenBadgesPNG", dependencies: ["CPNGShims"]),
        .target(
            name: "OpenBadges", dependencies: ["OpenBadgesCrypto", "OpenBadgesPNG", "LinkedData"],
            resources: [.copy("Schemas")]),
        .target(name: "CSVText"),
        .target(name: "CompetencyFrameworks", dependencies: ["OpenBadges", "CSVText"]),
        .target(name: "MultipartParsing"),
        .target(name: "LinkedData", dependencies: ["OpenBadgesCrypto"], resources: [.copy("Contexts")]),
    ]
        + fuzzTargets.map { .executableTarget(name: $0.name, dependencies: $0.dependencies) },
    swiftLanguageModes: [.v6]
)
