import OpenBadges

/// The strings of the roster and compliance pages, French (first) and English; the templates read them as
/// `r.<key>` (the shared `t.<key>` table stays for the layout).
enum RosterText {
    static let texts: [String: LocalizedText] = [
        "peopleTitle": LocalizedText(fr: "Personnes de l'établissement", en: "People of the establishment"),
        "peopleIntro": LocalizedText(
            fr: "Les personnes qui doivent détenir les badges obligatoires de l'établissement. Celles qui ont quitté "
                + "l'établissement restent dans l'historique mais ne sont plus comptées.",
            en: "The people expected to hold the establishment's mandatory badges. Those who left stay in the "
                + "history but are no longer counted."),
        "complianceLink": LocalizedText(fr: "Voir la conformité", en: "See compliance"),
        "search": LocalizedText(fr: "Rechercher (nom, adresse, identifiant)", en: "Search (name, address, id)"),
        "searchButton": LocalizedText(fr: "Rechercher", en: "Search"),
        "showLeft": LocalizedText(fr: "Inclure les personnes parties", en: "Include people who left"),
        "firstName": LocalizedText(fr: "Prénom", en: "First name"),
        "lastName": LocalizedText(fr: "Nom", en: "Last name"),
        "email": LocalizedText(fr: "Courriel", en: "Email"),
        "emails": LocalizedText(fr: "Adresses électroniques", en: "Email addresses"),
        "emailsHelp": LocalizedText(
            fr:
                "Une adresse par ligne ; la première est l'adresse principale. Un badge attribué à l'une d'elles compte.",
            en: "One address per line; the first is the main one. A badge awarded to any of them counts."),
        "externalID": LocalizedText(fr: "Identifiant (facultatif)", en: "Identifier (optional)"),
        "externalIDColumn": LocalizedText(fr: "Identifiant", en: "Identifier"),
        "asOf": LocalizedText(fr: "situation au", en: "as of"),
        "joined": LocalizedText(fr: "Arrivée", en: "Joined"),
        "state": LocalizedText(fr: "État", en: "State"),
        "present": LocalizedText(fr: "Présent(e)", en: "Present"),
        "left": LocalizedText(fr: "A quitté l'établissement", en: "Left the establishment"),
        "markLeft": LocalizedText(fr: "A quitté l'établissement", en: "Left the establishment"),
        "markBack": LocalizedText(fr: "Revenu", en: "Came back"),
        "edit": LocalizedText(fr: "Modifier", en: "Edit"),
        "save": LocalizedText(fr: "Enregistrer", en: "Save"),
        "addTitle": LocalizedText(fr: "Ajouter une personne", en: "Add a person"),
        "add": LocalizedText(fr: "Ajouter", en: "Add"),
        "editTitle": LocalizedText(fr: "Modifier une personne", en: "Edit a person"),
        "importTitle": LocalizedText(fr: "Importer un fichier CSV", en: "Import a CSV file"),
        "importHelp": LocalizedText(
            fr: "Export des utilisateurs de Moodle (username,firstname,lastname,email,…) ou fichier « Prénom;Nom;"
                + "Courriel » (UTF-8, UTF-16 ou Windows-1252 ; séparateur virgule, point-virgule ou tabulation). "
                + "Une personne déjà connue par son adresse est mise à jour, les autres sont ajoutées.",
            en: "Moodle's user export (username,firstname,lastname,email,…) or a \"firstname;lastname;email\" file "
                + "(UTF-8, UTF-16 or Windows-1252; comma, semicolon or tab separated). A person already known by "
                + "address is updated, the others are added."),
        "csvFile": LocalizedText(fr: "Fichier CSV", en: "CSV file"),
        "csvPaste": LocalizedText(fr: "ou collez son contenu", en: "or paste its content"),
        "import": LocalizedText(fr: "Importer", en: "Import"),
        "reportTitle": LocalizedText(fr: "Résultat de l'import", en: "Import result"),
        "added": LocalizedText(fr: "Ajoutées :", en: "Added:"),
        "updated": LocalizedText(fr: "Mises à jour :", en: "Updated:"),
        "unchanged": LocalizedText(fr: "Inchangées :", en: "Unchanged:"),
        "refused": LocalizedText(fr: "Refusées :", en: "Refused:"),
        "line": LocalizedText(fr: "Ligne", en: "Line"),
        "reason": LocalizedText(fr: "Motif", en: "Reason"),
        "noPeople": LocalizedText(fr: "Personne pour l'instant.", en: "Nobody yet."),
        "people": LocalizedText(fr: "personnes", en: "people"),
        "page": LocalizedText(fr: "page", en: "page"),
        "previous": LocalizedText(fr: "Précédente", en: "Previous"),
        "next": LocalizedText(fr: "Suivante", en: "Next"),
        "pagination": LocalizedText(fr: "Pages", en: "Pages"),
        "back": LocalizedText(fr: "Retour à la liste", en: "Back to the list"),
        "complianceTitle": LocalizedText(fr: "Conformité", en: "Compliance"),
        "badge": LocalizedText(fr: "Badge", en: "Badge"),
        "allStates": LocalizedText(fr: "Tous les états", en: "All states"),
        "show": LocalizedText(fr: "Afficher", en: "Show"),
        "issuedOn": LocalizedText(fr: "Obtenu le", en: "Obtained on"),
        "expires": LocalizedText(fr: "Expire le", en: "Expires on"),
        "award": LocalizedText(fr: "Badge", en: "Award"),
        "seeAward": LocalizedText(fr: "voir", en: "view"),
        "exportCSV": LocalizedText(fr: "Télécharger (CSV, Excel)", en: "Download (CSV, Excel)"),
        "exportJSON": LocalizedText(fr: "API JSON", en: "JSON API"),
        "chartTitle": LocalizedText(fr: "Répartition par état", en: "Breakdown by state"),
        "noBadges": LocalizedText(
            fr: "Aucune classe de badge pour cet établissement ni ses organisations parentes.",
            en: "No badge class for this establishment or its parent organisations."),
        "emptyRoster": LocalizedText(
            fr: "Personne n'est encore inscrit sur la liste de l'établissement : ajoutez les personnes ou importez un "
                + "fichier CSV pour voir qui détient ce badge.",
            en: "Nobody is on the establishment's list yet: add people or import a CSV file to see who holds this "
                + "badge."),
        "noMatch": LocalizedText(
            fr: "Aucune personne ne correspond à ces critères.", en: "Nobody matches these criteria."),
        "managePeople": LocalizedText(fr: "Gérer les personnes", en: "Manage people"),
    ]

    static let french: [String: String] = texts.mapValues(\.fr)
    static let english: [String: String] = texts.mapValues(\.en)

    /// The table in the page's language.
    static func table(_ english: Bool) -> [String: String] { english ? self.english : french }
}
