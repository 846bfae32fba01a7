import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import TestSupport
import Testing

@testable import InsigneServer

/// The verification report JSON Schema (`Schemas/ob2/verification-report.schema.json`).
let reportSchema: JSONSchemaValidator? = try? JSONSchemaValidator(
    schemaFile: TestPaths.schemas.appendingPathComponent("ob2/verification-report.schema.json"))

func expectSchemaValid(_ report: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let validator = try #require(reportSchema, sourceLocation: sourceLocation)
    let violations = validator.validate(report)
    #expect(violations.isEmpty, "\(violations)", sourceLocation: sourceLocation)
}
