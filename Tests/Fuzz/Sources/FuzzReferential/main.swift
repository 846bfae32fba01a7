import CompetencyFrameworks
import Foundation

/// Competency framework imports: Moodle CSV and the JSON form, then export and re-import of what was accepted.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReferential(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    _ = try? MoodleCompetencyCSV.parse(bytes)
    _ = try? CompetencyFrameworkJSON.decode(bytes)
    if let framework = try? ReferentialFile.parse(bytes) {
        _ = try? MoodleCompetencyCSV.parse(MoodleCompetencyCSV.export(framework))
        _ = try? CompetencyFrameworkJSON.decode(CompetencyFrameworkJSON.encode(framework))
    }
    return 0
}
