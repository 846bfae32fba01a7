import Foundation
import GRDB

/// The full-text search over award recipients and the award counts per badge class, both kept by triggers in the
/// transaction that writes the award (migration `v9-scale2`), so neither a search nor a dashboard reads every award.
extension AppDatabase {
    /// The character that marks where an address or a name word begins in the `starts` column: a 1–2 character
    /// query is a prefix, found as the trigram "marker + query".
    static let searchMarker = "\u{1}"

    /// `assertionSearch`: a contentless FTS5 table with the trigram tokenizer (case-insensitive, any substring of
    /// 3 characters or more), one row per award with the award's rowid. `email` and `name` hold the recipient;
    /// `starts` holds the address and every name word, each preceded by two markers. Contentless: the index keeps
    /// no copy of the text (an erased address leaves nothing readable), and the triggers remove an award's entries
    /// with its old values. A rowid changes only with a VACUUM, which Insigne never runs (after one, drop and redo
    /// this migration's search part: `rebuildAwardSearch`).
    static func createAwardSearch(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE VIRTUAL TABLE assertionSearch USING fts5(
                    email, name, starts, content = '', tokenize = 'trigram');
                CREATE TRIGGER assertionSearch_insert AFTER INSERT ON assertion BEGIN
                    INSERT INTO assertionSearch (rowid, email, name, starts)
                    VALUES (new.rowid, new.recipientEmail, new.recipientName, \(startsSQL("new")));
                END;
                CREATE TRIGGER assertionSearch_delete AFTER DELETE ON assertion BEGIN
                    INSERT INTO assertionSearch (assertionSearch, rowid, email, name, starts)
                    VALUES ('delete', old.rowid, old.recipientEmail, old.recipientName, \(startsSQL("old")));
                END;
                CREATE TRIGGER assertionSearch_update AFTER UPDATE OF recipientEmail, recipientName ON assertion BEGIN
                    INSERT INTO assertionSearch (assertionSearch, rowid, email, name, starts)
                    VALUES ('delete', old.rowid, old.recipientEmail, old.recipientName, \(startsSQL("old")));
                    INSERT INTO assertionSearch (rowid, email, name, starts)
                    VALUES (new.rowid, new.recipientEmail, new.recipientName, \(startsSQL("new")));
                END;
                """)
        try rebuildAwardSearch(db)
    }

    /// Fills the search index anew from the awards.
    static func rebuildAwardSearch(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO assertionSearch (assertionSearch) VALUES ('delete-all')")
        try db.execute(
            sql: """
                INSERT INTO assertionSearch (rowid, email, name, starts)
                SELECT rowid, recipientEmail, recipientName, \(startsSQL("assertion")) FROM assertion
                """)
    }

    /// The `starts` value of a row: "⁂⁂address ⁂⁂Word ⁂⁂Word" with the marker.
    private static func startsSQL(_ row: String) -> String {
        "char(1, 1) || \(row).recipientEmail || ' ' || char(1, 1) || "
            + "replace(coalesce(\(row).recipientName, ''), ' ', ' ' || char(1, 1))"
    }

    /// `awardCount`: every badge class's number of awards and of revoked awards, kept by triggers on `assertion`
    /// (insert, delete, change of state or badge class).
    static func createAwardCounts(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE awardCount (
                    badgeClassID TEXT PRIMARY KEY NOT NULL REFERENCES badgeClass(id) ON DELETE CASCADE,
                    total INTEGER NOT NULL, revoked INTEGER NOT NULL);
                INSERT INTO awardCount (badgeClassID, total, revoked)
                SELECT badgeClassID, COUNT(*), COUNT(revokedAt) FROM assertion GROUP BY badgeClassID;
                CREATE TRIGGER awardCount_insert AFTER INSERT ON assertion BEGIN
                    \(countUpsert("new", sign: 1))
                END;
                CREATE TRIGGER awardCount_delete AFTER DELETE ON assertion BEGIN
                    \(countUpsert("old", sign: -1))
                END;
                CREATE TRIGGER awardCount_update AFTER UPDATE OF badgeClassID, revokedAt ON assertion
                WHEN old.badgeClassID IS NOT new.badgeClassID OR (old.revokedAt IS NULL) <> (new.revokedAt IS NULL)
                BEGIN
                    \(countUpsert("old", sign: -1))
                    \(countUpsert("new", sign: 1))
                END;
                """)
    }

    /// Adds (`sign` 1) or removes (-1) one award of `row` to its badge class's counts.
    private static func countUpsert(_ row: String, sign: Int) -> String {
        """
        INSERT INTO awardCount (badgeClassID, total, revoked)
        VALUES (\(row).badgeClassID, \(sign), \(sign) * (\(row).revokedAt IS NOT NULL))
        ON CONFLICT (badgeClassID) DO UPDATE SET total = total + excluded.total, revoked = revoked + excluded.revoked;
        """
    }
}

/// What a user typed in a search box, as an FTS5 query on `assertionSearch` that cannot be read as FTS syntax.
public enum AwardSearch {
    /// The FTS5 expression for `typed`: the text as one quoted phrase (quotes doubled; control characters, which no
    /// address or name holds, dropped). Three characters or more: that substring of the address or the name, case
    /// ignored; one or two: an address or a name word beginning with them. Nil when nothing is left to search.
    public static func matchExpression(_ typed: String) -> String? {
        let text = String(
            String.UnicodeScalarView(typed.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        let length = text.unicodeScalars.count
        guard length > 0 else { return nil }
        let marker = AppDatabase.searchMarker
        let phrase = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        switch length {
        case 1: return "starts : \"\(marker)\(marker)" + phrase.dropFirst()
        case 2: return "starts : \"\(marker)" + phrase.dropFirst()
        default:
            // An address: its part up to "@" first, which few awards share (the domain is in every award's
            // trigrams), then the whole text; the same matches, found without reading the domain's long lists.
            if let at = text.firstIndex(of: "@"), text[..<at].unicodeScalars.count >= 3,
                text.index(after: at) < text.endIndex
            {
                let local = "\"" + text[...at].replacingOccurrences(of: "\"", with: "\"\"") + "\""
                return "{email name} : " + local + " AND {email name} : " + phrase
            }
            return "{email name} : " + phrase
        }
    }
}
