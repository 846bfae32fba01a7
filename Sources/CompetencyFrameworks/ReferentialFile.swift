import Foundation

/// A referential file whose format is sniffed: JSON when it starts with `{`, Moodle CSV otherwise.
public enum ReferentialFile {
    /// The two file formats.
    public enum Format: String, Sendable { case csv, json }

    /// The format of `data` (a leading UTF-8 BOM and white space are skipped).
    public static func format(of data: Data) -> Format {
        for b in data.prefix(64).drop(while: { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }) {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { continue }
            return b == UInt8(ascii: "{") ? .json : .csv
        }
        return .csv
    }

    /// Parses a CSV or JSON referential.
    public static func parse(_ data: Data, format: Format? = nil) throws(ReferentialError) -> CompetencyFramework {
        switch format ?? self.format(of: data) {
        case .csv: try MoodleCompetencyCSV.parse(data)
        case .json: try CompetencyFrameworkJSON.decode(data)
        }
    }
}
