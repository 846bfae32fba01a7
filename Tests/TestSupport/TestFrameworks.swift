import CompetencyFrameworks

/// Small competency frameworks built in code, for tests that need referential items without parsing a CSV.
public enum TestFrameworks {
    /// A five-item DEES-like extract (id number `DEES-TEST`, stored under the slug `dees-test`): DC1 → DC1.1, DC1.2;
    /// DC2 → DC2.1.
    public static let deesExtract = CompetencyFramework(
        idNumber: "DEES-TEST", shortName: "DEES (extrait de test)", scaleValues: ["Non acquis", "Acquis"],
        scaleConfiguration: "",
        competencies: [
            Competency(idNumber: "DC1", shortName: "Accompagnement social et éducatif spécialisé"),
            Competency(idNumber: "DC1.1", parentIDNumber: "DC1", shortName: "Relation éducative"),
            Competency(idNumber: "DC1.2", parentIDNumber: "DC1", shortName: "Projet personnalisé"),
            Competency(idNumber: "DC2", shortName: "Conception et conduite d'un projet éducatif"),
            Competency(idNumber: "DC2.1", parentIDNumber: "DC2", shortName: "Diagnostic éducatif"),
        ])
}
