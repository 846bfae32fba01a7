import OpenBadges

/// The signed-in pages' strings, French (first) and English, one `LocalizedText` per key.
enum WebText {
    /// Every string of the signed-in pages (trainers, learners), by key: the templates read them as `t.<key>`.
    static let texts: [String: LocalizedText] = [
        "skipToContent": LocalizedText(fr: "Aller au contenu", en: "Skip to content"),
        "trainerSpace": LocalizedText(fr: "Espace formateurs", en: "Trainers"),
        "mainNav": LocalizedText(fr: "Navigation principale", en: "Main navigation"),
        "navDashboard": LocalizedText(fr: "Tableau de bord", en: "Dashboard"),
        "navAssertions": LocalizedText(fr: "Badges attribués", en: "Awarded badges"),
        "navIssuers": LocalizedText(fr: "Émetteurs", en: "Issuers"),
        "navNewBadge": LocalizedText(fr: "Nouveau badge", en: "New badge"),
        "navReferentials": LocalizedText(fr: "Référentiels", en: "Referentials"),
        "navLearners": LocalizedText(fr: "Apprenants", en: "Learners"),
        "navReviews": LocalizedText(fr: "Preuves à examiner", en: "Evidence to review"),
        "rosterPeople": LocalizedText(fr: "Personnes", en: "People"),
        "rosterCompliance": LocalizedText(fr: "Conformité", en: "Compliance"),
        "navPortfolio": LocalizedText(fr: "Mon portfolio", en: "My portfolio"),
        "navMyData": LocalizedText(fr: "Mes données", en: "My data"),
        "navBackpack": LocalizedText(fr: "Mes badges", en: "My badges"),
        "learnerSpace": LocalizedText(fr: "Espace apprenant", en: "Learners"),
        "otherLanguage": LocalizedText(fr: "English", en: "Français"),
        "signOut": LocalizedText(fr: "Se déconnecter", en: "Sign out"),
        "footer": LocalizedText(
            fr: "Insigne — badges numériques Open Badges 2.0 de la Mutuelle Vivre Ensemble.",
            en: "Insigne — Open Badges 2.0 digital badges of Mutuelle Vivre Ensemble."),
        "backToDashboard": LocalizedText(fr: "Retour au tableau de bord", en: "Back to the dashboard"),
        "signInTitle": LocalizedText(fr: "Connexion", en: "Sign in"),
        "navAccount": LocalizedText(fr: "Mon compte", en: "My account"),
        // Passwords (sign-in, « mot de passe oublié », first start).
        "forgotLink": LocalizedText(fr: "Mot de passe oublié ?", en: "Forgot your password?"),
        "forgotTitle": LocalizedText(fr: "Mot de passe oublié", en: "Forgotten password"),
        "forgotIntro": LocalizedText(
            fr:
                "Indiquez l'adresse électronique de votre compte : un lien pour choisir un nouveau mot de passe y sera envoyé.",
            en: "Type your account's email address: a link to choose a new password will be sent to it."),
        "forgotEmail": LocalizedText(fr: "Adresse électronique", en: "Email address"),
        "forgotSend": LocalizedText(fr: "Recevoir un lien", en: "Send me a link"),
        "forgotAfter": LocalizedText(
            fr:
                "Rien reçu ? Vérifiez l'adresse, ou demandez à l'administrateur du service quelle adresse votre compte porte.",
            en: "Nothing came? Check the address, or ask the service's administrator which address your account has."),
        "backToSignIn": LocalizedText(fr: "Retour à la connexion", en: "Back to sign-in"),
        "resetTitle": LocalizedText(fr: "Choisir un nouveau mot de passe", en: "Choose a new password"),
        "resetGoneTitle": LocalizedText(fr: "Lien expiré ou déjà utilisé", en: "Link expired or already used"),
        "resetGone": LocalizedText(
            fr:
                "Ce lien n'est plus valable : il a déjà servi, ou il a expiré (il vaut 1 heure), ou un lien plus récent l'a remplacé.",
            en:
                "This link is no longer valid: it was already used, or it expired (it lasts 1 hour), or a newer link replaced it."
        ),
        "resetAskAgain": LocalizedText(fr: "Demander un nouveau lien", en: "Ask for a new link"),
        "newPassword": LocalizedText(fr: "Nouveau mot de passe", en: "New password"),
        "passwordHelp": LocalizedText(
            fr: "Au moins \(Portfolio.minPasswordLength) caractères. Une petite phrase se retient facilement.",
            en: "At least \(Portfolio.minPasswordLength) characters. A short sentence is easy to remember."),
        "typeAgain": LocalizedText(fr: "Retapez-le", en: "Type it again"),
        "resetEndsSessions": LocalizedText(
            fr: "Toutes les sessions ouvertes sur ce compte seront fermées ; vous serez connecté(e) ici.",
            en: "Every session open on this account will be closed; you will be signed in here."),
        "resetSave": LocalizedText(fr: "Enregistrer et se connecter", en: "Save and sign in"),
        "setupBanner": LocalizedText(
            fr: "Première installation : choisissez le mot de passe administrateur",
            en: "First start: choose the administrator password"),
        "signInIntro": LocalizedText(
            fr:
                "Pour les formateurs et les équipes qui attribuent les badges, et pour les apprenants (portfolio, badges).",
            en: "For trainers and staff who award badges, and for learners (portfolio, badges)."),
        "login": LocalizedText(fr: "Identifiant ou adresse électronique", en: "Login or email address"),
        "password": LocalizedText(fr: "Mot de passe", en: "Password"),
        "signIn": LocalizedText(fr: "Se connecter", en: "Sign in"),
        "badCredentials": LocalizedText(
            fr: "Identifiant ou mot de passe incorrect.", en: "Incorrect login or password."),
        "signedOut": LocalizedText(fr: "Vous êtes déconnecté(e).", en: "You are signed out."),
        "signedOutLearner": LocalizedText(
            fr:
                "Vous êtes déconnecté(e). Pour retrouver votre portfolio et vos badges, reconnectez-vous avec votre adresse électronique et votre mot de passe.",
            en:
                "You are signed out. To get back to your portfolio and your badges, sign in again with your email address and password."
        ),
        "signedOutStaff": LocalizedText(
            fr: "Vous êtes déconnecté(e) de l'espace formateurs. À bientôt !",
            en: "You are signed out of the trainers' space. See you soon!"),
        "backHome": LocalizedText(fr: "Retour à l'accueil", en: "Back to the home page"),
        "home": LocalizedText(fr: "Accueil", en: "Home"),
        "dashboardTitle": LocalizedText(fr: "Tableau de bord", en: "Dashboard"),
        "hello": LocalizedText(fr: "Bonjour", en: "Hello"),
        "dashboardIntro": LocalizedText(
            fr: "Choisissez un badge à attribuer, une personne à la fois ou à partir d'un fichier CSV.",
            en: "Pick a badge to award, one person at a time or from a CSV file."),
        "noIssuer": LocalizedText(
            fr: "Votre compte n'est rattaché à aucun émetteur : contactez l'administrateur.",
            en: "Your account is not linked to an issuer: contact the administrator."),
        "badge": LocalizedText(fr: "Badge", en: "Badge"),
        "activeAwards": LocalizedText(fr: "Attribués", en: "Awarded"),
        "revokedAwards": LocalizedText(fr: "Révoqués", en: "Revoked"),
        "actions": LocalizedText(fr: "Actions", en: "Actions"),
        "awardOne": LocalizedText(fr: "Attribuer", en: "Award"),
        "awardBulk": LocalizedText(fr: "Attribuer par CSV", en: "Award from CSV"),
        "seeAwards": LocalizedText(fr: "Voir les attributions", en: "See awards"),
        "editAlignment": LocalizedText(fr: "Compétences", en: "Competencies"),
        "noBadges": LocalizedText(
            fr: "Aucune classe de badge pour cet émetteur.", en: "No badge class for this issuer yet."),
        "newBadge": LocalizedText(fr: "Créer une classe de badge", en: "Create a badge class"),
        "issuersTitle": LocalizedText(fr: "Émetteurs", en: "Issuers"),
        "issuerName": LocalizedText(fr: "Nom", en: "Name"),
        "identifier": LocalizedText(fr: "Identifiant", en: "Identifier"),
        "contact": LocalizedText(fr: "Site et contact", en: "Website and contact"),
        "badgeCount": LocalizedText(fr: "Badges", en: "Badges"),
        "partOf": LocalizedText(fr: "Établissement de", en: "Establishment of"),
        "newBadgeTitle": LocalizedText(fr: "Nouvelle classe de badge", en: "New badge class"),
        "fixErrors": LocalizedText(fr: "Corrigez les champs signalés.", en: "Please correct the fields marked below."),
        "issuer": LocalizedText(fr: "Émetteur", en: "Issuer"),
        "required": LocalizedText(fr: "(obligatoire)", en: "(required)"),
        "badgeName": LocalizedText(fr: "Nom du badge", en: "Badge name"),
        "badgeID": LocalizedText(fr: "Identifiant dans l'adresse", en: "Identifier in the URL"),
        "badgeIDHelp": LocalizedText(
            fr: "Lettres minuscules, chiffres et tirets, 63 caractères au plus. Laissé vide, il est déduit de "
                + "l'émetteur et du nom (par exemple foyers-la-maison-bientraitance).",
            en:
                "Lowercase letters, digits and dashes, 63 characters at most. Left empty, it is derived from the issuer "
                + "and the name (for example foyers-la-maison-bientraitance)."),
        "description": LocalizedText(fr: "Description", en: "Description"),
        "criteria": LocalizedText(fr: "Critères d'obtention", en: "Criteria"),
        "criteriaURL": LocalizedText(
            fr: "Page des critères (adresse, facultatif)", en: "Criteria page (URL, optional)"),
        "tags": LocalizedText(fr: "Mots-clés", en: "Tags"),
        "tagsHelp": LocalizedText(fr: "Séparés par des virgules.", en: "Separated by commas."),
        "validity": LocalizedText(fr: "Durée de validité", en: "Validity"),
        "validityOther": LocalizedText(
            fr: "Autre durée (ISO 8601, si « autre »)", en: "Other duration (ISO 8601, with \"other\")"),
        "validityHelp": LocalizedText(
            fr: "Chaque badge attribué expire à sa date d'attribution plus cette durée (P18M : 18 mois, P6W : "
                + "6 semaines, P90D : 90 jours). Un changement ne vaut que pour les attributions suivantes.",
            en: "Each awarded badge expires at its award date plus this duration (P18M: 18 months, P6W: 6 weeks, "
                + "P90D: 90 days). A change applies to later awards only."),
        "reminders": LocalizedText(fr: "Rappels avant expiration (jours)", en: "Reminders before expiry (days)"),
        "remindersHelp": LocalizedText(
            fr: "Par exemple 90, 30, 7 : les titulaires et les formateurs sont prévenus ces jours-là.",
            en: "For example 90, 30, 7: holders and trainers are told on those days."),
        "image": LocalizedText(fr: "Image du badge", en: "Badge image"),
        "imageHelp": LocalizedText(
            fr: "PNG ou SVG, carré, 2 Mo au plus (2048 × 2048 pixels au plus).",
            en: "PNG or SVG, square, 2 MiB at most (2048 × 2048 pixels at most)."),
        "createBadge": LocalizedText(fr: "Créer la classe de badge", en: "Create the badge class"),
        "awardTitle": LocalizedText(fr: "Attribuer un badge", en: "Award a badge"),
        "recipientEmail": LocalizedText(
            fr: "Adresse électronique du ou de la bénéficiaire", en: "Recipient's email address"),
        "recipientName": LocalizedText(fr: "Nom du ou de la bénéficiaire", en: "Recipient's name"),
        "recipientNameHelp": LocalizedText(
            fr: "Pour vos listes seulement : le nom ne figure pas dans le badge publié.",
            en: "For your lists only: the name is not part of the published badge."),
        "narrative": LocalizedText(fr: "Commentaire", en: "Narrative"),
        "narrativeHelp": LocalizedText(
            fr: "Publié dans le badge : contexte de la formation, sans donnée sensible.",
            en: "Published in the badge: training context, no sensitive data."),
        "evidenceURL": LocalizedText(fr: "Preuve (adresse, facultatif)", en: "Evidence (URL, optional)"),
        "expires": LocalizedText(fr: "Date d'expiration", en: "Expiry date"),
        "expiresHelp": LocalizedText(
            fr: "Facultatif ; le badge expire à la fin de ce jour (heure de Paris).",
            en: "Optional; the badge expires at the end of that day (Paris time)."),
        "awardSubmit": LocalizedText(fr: "Attribuer le badge", en: "Award the badge"),
        "orBulk": LocalizedText(fr: "ou attribuer à partir d'un fichier CSV", en: "or award from a CSV file"),
        "bulkTitle": LocalizedText(fr: "Attribution par fichier CSV", en: "Award from a CSV file"),
        "steps": LocalizedText(fr: "Étapes", en: "Steps"),
        "step1": LocalizedText(fr: "1. Fichier", en: "1. File"),
        "step2": LocalizedText(fr: "2. Vérification", en: "2. Check"),
        "step3": LocalizedText(fr: "3. Attribution", en: "3. Award"),
        "csvFile": LocalizedText(fr: "Fichier CSV", en: "CSV file"),
        "csvPaste": LocalizedText(fr: "ou collez le contenu du fichier", en: "or paste the file's content"),
        "csvHelp": LocalizedText(
            fr:
                "Première ligne : les noms de colonnes, en français ou en anglais : Courriel (obligatoire ; ou E-mail, Adresse électronique, Mail), Prénom, Nom (ou Nom complet), Date d'expiration (JJ/MM/AAAA), Preuve (adresse web ou texte), Commentaire. L'export des utilisateurs de Moodle est accepté tel quel. Séparateur virgule, point-virgule ou tabulation ; fichier en UTF-8, UTF-16 ou Windows-1252 (« CSV » d'Excel).",
            en:
                "First line: the column names, in French or English: email (required), firstname, lastname (or name), expires (DD/MM/YYYY or YYYY-MM-DD), evidence (web address or text), narrative. Moodle's user export is accepted as is. Comma, semicolon or tab separator; UTF-8, UTF-16 or Windows-1252 (Excel's « CSV ») file."
        ),
        "csvTemplate": LocalizedText(fr: "Télécharger le modèle (CSV)", en: "Download the template (CSV)"),
        "csvTemplateHelp": LocalizedText(
            fr: "à remplir dans Excel ou LibreOffice, puis à enregistrer en CSV et à déposer ici.",
            en: "fill it in with Excel or LibreOffice, save it as CSV and upload it here."),
        "csvEncoding": LocalizedText(fr: "Encodage", en: "Encoding"),
        "encodingAutomatic": LocalizedText(fr: "automatique", en: "automatic"),
        "encodingWindows1252": LocalizedText(fr: "Windows-1252 (Excel)", en: "Windows-1252 (Excel)"),
        "previewSubmit": LocalizedText(fr: "Vérifier le fichier", en: "Check the file"),
        "previewTitle": LocalizedText(fr: "Vérification du fichier", en: "File check"),
        "batchTitle": LocalizedText(fr: "Attribution en cours", en: "Awarding"),
        "rowsRead": LocalizedText(fr: "lignes lues", en: "rows read"),
        "rowsValid": LocalizedText(fr: "valides", en: "valid"),
        "rowsInvalid": LocalizedText(fr: "en erreur (ignorées)", en: "with errors (skipped)"),
        "confirmHelp": LocalizedText(
            fr:
                "Rien n'a encore été attribué. Les lignes en erreur seront ignorées ; vous pourrez les corriger et renvoyer le fichier : les badges déjà attribués ne le seront pas deux fois.",
            en:
                "Nothing has been awarded yet. Rows with errors are skipped; you can fix them and upload the file again: badges already awarded are never awarded twice."
        ),
        "confirmSubmit": LocalizedText(fr: "Confirmer l'attribution", en: "Confirm the award"),
        "uploadAgain": LocalizedText(fr: "Envoyer un autre fichier", en: "Upload another file"),
        "nothingToAward": LocalizedText(
            fr: "Aucune ligne valide : rien à attribuer.", en: "No valid row: nothing to award."),
        "inProgress": LocalizedText(fr: "Attribution en cours", en: "Awarding"),
        "finished": LocalizedText(fr: "Terminé", en: "Done"),
        "refreshing": LocalizedText(fr: "Cette page se met à jour toute seule.", en: "This page refreshes itself."),
        "createdCount": LocalizedText(fr: "badge(s) attribué(s)", en: "badge(s) awarded"),
        "existingCount": LocalizedText(fr: "déjà attribué(s) auparavant", en: "already awarded before"),
        "renewedCount": LocalizedText(
            fr: "renouvelé(s) (badge expiré ou expirant bientôt)", en: "renewed (badge expired or expiring soon)"),
        "renewedRow": LocalizedText(fr: "Renouvelé", en: "Renewed"),
        "rowsCaption": LocalizedText(fr: "Lignes du fichier", en: "File rows"),
        "line": LocalizedText(fr: "Ligne", en: "Line"),
        "email": LocalizedText(fr: "Adresse électronique", en: "Email"),
        "name": LocalizedText(fr: "Nom", en: "Name"),
        "status": LocalizedText(fr: "État", en: "Status"),
        "invalid": LocalizedText(fr: "Erreur", en: "Error"),
        "valid": LocalizedText(fr: "Valide", en: "Valid"),
        "awarded": LocalizedText(fr: "Attribué", en: "Awarded"),
        "alreadyAwarded": LocalizedText(fr: "Déjà attribué", en: "Already awarded"),
        "failed": LocalizedText(fr: "Échec", en: "Failed"),
        "view": LocalizedText(fr: "voir", en: "view"),
        "assertionsTitle": LocalizedText(fr: "Badges attribués", en: "Awarded badges"),
        "searchLabel": LocalizedText(fr: "Adresse ou nom", en: "Email or name"),
        "allBadges": LocalizedText(fr: "Tous les badges", en: "All badges"),
        "state": LocalizedText(fr: "État", en: "Status"),
        "stateAll": LocalizedText(fr: "Tous", en: "All"),
        "stateActive": LocalizedText(fr: "Valides", en: "Active"),
        "stateRevoked": LocalizedText(fr: "Révoqués", en: "Revoked"),
        "search": LocalizedText(fr: "Rechercher", en: "Search"),
        "results": LocalizedText(fr: "résultat(s)", en: "result(s)"),
        "page": LocalizedText(fr: "page", en: "page"),
        "recipient": LocalizedText(fr: "Bénéficiaire", en: "Recipient"),
        "issuedOn": LocalizedText(fr: "Attribué le", en: "Issued on"),
        "revokedState": LocalizedText(fr: "Révoqué", en: "Revoked"),
        "activeState": LocalizedText(fr: "Valide", en: "Active"),
        "noResults": LocalizedText(fr: "Aucun badge attribué ne correspond.", en: "No awarded badge matches."),
        "pagination": LocalizedText(fr: "Pages", en: "Pages"),
        "previous": LocalizedText(fr: "Précédents", en: "Previous"),
        "firstPage": LocalizedText(fr: "Première page", en: "First page"),
        "next": LocalizedText(fr: "Suivants", en: "Next"),
        "assertionTitle": LocalizedText(fr: "Badge attribué", en: "Awarded badge"),
        "awardedNotice": LocalizedText(
            fr: "Le badge a été attribué. Son image, sa page publique et son attestation sont ci-dessous.",
            en: "The badge has been awarded. Its image, public page and certificate are below."),
        "revokedNotice": LocalizedText(fr: "Le badge a été révoqué.", en: "The badge has been revoked."),
        "resendTitle": LocalizedText(fr: "Prévenir à nouveau la personne", en: "Notify the recipient again"),
        "resendHelp": LocalizedText(
            fr:
                "La personne reçoit à nouveau le message d'attribution, avec un nouveau lien pour ranger le badge dans son sac à badges.",
            en:
                "The recipient receives the award message again, with a new link to add the badge to their backpack."),
        "resendSubmit": LocalizedText(fr: "Renvoyer la notification", en: "Resend the notification"),
        "noExpiry": LocalizedText(fr: "Sans expiration", en: "Does not expire"),
        "evidence": LocalizedText(fr: "Preuves", en: "Evidence"),
        "linksTitle": LocalizedText(fr: "Liens et téléchargements", en: "Links and downloads"),
        "hostedAssertion": LocalizedText(
            fr: "Badge publié (assertion hébergée)", en: "Published badge (hosted assertion)"),
        "downloadPNG": LocalizedText(fr: "Télécharger l'image PNG du badge", en: "Download the badge PNG"),
        "downloadSVG": LocalizedText(fr: "Télécharger l'image SVG du badge", en: "Download the badge SVG"),
        "downloadCertificate": LocalizedText(fr: "Télécharger l'attestation PDF", en: "Download the PDF certificate"),
        "verifyPage": LocalizedText(fr: "Page de vérification (employeurs)", en: "Verification page (employers)"),
        "ob3Downloads": LocalizedText(
            fr: "Format Open Badges 3.0 (portefeuilles numériques) :", en: "Open Badges 3.0 format (digital wallets):"),
        "revokedTitle": LocalizedText(fr: "Badge révoqué", en: "Badge revoked"),
        "revokedBy": LocalizedText(fr: "Révoqué par", en: "Revoked by"),
        "reason": LocalizedText(fr: "Motif", en: "Reason"),
        "reasonLabel": LocalizedText(fr: "Motif :", en: "Reason:"),
        "batchDoneTitle": LocalizedText(fr: "Attribution terminée", en: "Award finished"),
        "revokeTitle": LocalizedText(fr: "Révoquer ce badge", en: "Revoke this badge"),
        "renewTitle": LocalizedText(fr: "Renouveler ce badge", en: "Renew this badge"),
        "renewHelp": LocalizedText(
            fr: "Attribue à la même personne un nouveau badge daté d'aujourd'hui, lié à celui-ci ; celui-ci n'est "
                + "pas révoqué et expire à sa propre date.",
            en: "Awards the same person a new badge dated today, linked to this one; this one is not revoked and "
                + "expires on its own date."),
        "renewSubmit": LocalizedText(fr: "Renouveler", en: "Renew"),
        "renewedNotice": LocalizedText(
            fr: "Badge renouvelé : voici le nouveau badge.", en: "Badge renewed: here is the new badge."),
        "renewalOfLabel": LocalizedText(fr: "Renouvellement", en: "Renewal"),
        "renewalOfText": LocalizedText(fr: "Renouvelle le badge du", en: "Renews the badge of"),
        "renewedByLabel": LocalizedText(fr: "Renouvelé", en: "Renewed"),
        "renewedByText": LocalizedText(fr: "Renouvelé le", en: "Renewed on"),
        "revokeHelp": LocalizedText(
            fr:
                "La révocation est définitive et publique : le motif apparaît dans la liste de révocation de l'émetteur.",
            en: "Revocation is final and public: the reason appears in the issuer's revocation list."),
        "revokeSubmit": LocalizedText(fr: "Révoquer le badge", en: "Revoke the badge"),
        // Editing badge classes and issuers.
        "edit": LocalizedText(fr: "Modifier", en: "Edit"),
        "archivedMark": LocalizedText(fr: "archivée", en: "archived"),
        "editBadgeTitle": LocalizedText(fr: "Modifier la classe de badge", en: "Edit the badge class"),
        "editBadgeHelp": LocalizedText(
            fr: "Les badges déjà attribués restent valides ; leur page et leur image montreront la nouvelle version.",
            en: "Badges already awarded stay valid; their page and image will show the new version."),
        "newImage": LocalizedText(fr: "Nouvelle image (facultatif)", en: "New image (optional)"),
        "newImageHelp": LocalizedText(
            fr: "PNG ou SVG carré (largeur = hauteur), 2 Mo au plus. Laissez vide pour garder l'image actuelle.",
            en: "Square PNG or SVG (width = height), 2 MiB at most. Leave empty to keep the current image."),
        "saveChanges": LocalizedText(fr: "Enregistrer les modifications", en: "Save changes"),
        "archiveTitle": LocalizedText(fr: "Archiver", en: "Archive"),
        "archiveHelp": LocalizedText(
            fr: "Une classe archivée n'est plus attribuée (ni ici, ni en lot, ni par l'API) ; "
                + "les badges déjà attribués restent valides et la classe reste listée.",
            en: "An archived badge class can no longer be awarded (here, in bulk or through the API); "
                + "badges already awarded stay valid and the class stays listed."),
        "archiveConfirm": LocalizedText(
            fr: "Je confirme : ne plus attribuer ce badge.", en: "I confirm: stop awarding this badge."),
        "archive": LocalizedText(fr: "Archiver la classe de badge", en: "Archive the badge class"),
        "archivedNotice": LocalizedText(
            fr: "Cette classe de badge est archivée : elle n'est plus attribuée.",
            en: "This badge class is archived: it is no longer awarded."),
        "unarchiveHelp": LocalizedText(
            fr: "Remettre la classe en service permet de l'attribuer à nouveau.",
            en: "Bringing the badge class back into use lets you award it again."),
        "unarchive": LocalizedText(fr: "Remettre en service", en: "Bring back into use"),
        "deleteTitle": LocalizedText(fr: "Supprimer", en: "Delete"),
        "deleteHelp": LocalizedText(
            fr: "Cette classe n'a jamais été attribuée : elle peut être supprimée définitivement.",
            en: "This badge class was never awarded: it can be deleted for good."),
        "deleteConfirm": LocalizedText(
            fr: "Je confirme la suppression définitive.", en: "I confirm the permanent deletion."),
        "deleteBadge": LocalizedText(fr: "Supprimer la classe de badge", en: "Delete the badge class"),
        "cannotDelete": LocalizedText(
            fr: "Cette classe a déjà été attribuée : elle ne peut pas être supprimée, archivez-la plutôt.",
            en: "This badge class has been awarded: it cannot be deleted, archive it instead."),
        "editIssuerTitle": LocalizedText(fr: "Modifier l'émetteur", en: "Edit the issuer"),
        "issuerWebsite": LocalizedText(fr: "Site web", en: "Website"),
        "issuerEmail": LocalizedText(fr: "Adresse de contact", en: "Contact e-mail"),
        "issuerLogo": LocalizedText(fr: "Logo (facultatif)", en: "Logo (optional)"),
        "removeLogo": LocalizedText(fr: "Retirer le logo", en: "Remove the logo"),
        // Roles and members (issue 11 point 1).
        "yourRoles": LocalizedText(fr: "Vos rôles :", en: "Your roles:"),
        "members": LocalizedText(fr: "Membres de l'équipe", en: "Staff members"),
    ]

    /// The French table, resolved once.
    static let french = Language.fr.resolve(texts)
    /// The English table, resolved once.
    static let english = Language.en.resolve(texts)

    /// The strings in `language` (`PageEnv.t`).
    static func table(_ language: Language) -> [String: String] { language.english ? english : french }
}
