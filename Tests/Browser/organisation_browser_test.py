#!/usr/bin/env python3
"""Real-browser test of an organisation at work, with real e-mail: the administrator invites a trainer, who chooses a
password from the invitation e-mail, meets the role rules, edits and awards the demo badge; the recipient's e-mail
leads to the hosted badge and, through its claim link, to a new backpack; the trainer then resets a forgotten
password through the e-mail — in headless Chromium driven by Selenium.

Starts nothing itself: the server must already run with INSIGNE_SMTP_URL pointing at an SMTP server that writes each
message it accepts to MAILDIR/NNNN.eml (Tests/Interop/smtp_server.py); Tests/InteropTests/
OrganisationBrowserTests.swift starts both.

    .venv-browser/bin/python Tests/Browser/organisation_browser_test.py --base URL --password PW --out DIR --mail MAILDIR

Saves one PNG screenshot per step into DIR as organisation-NN-step.png, prints one JSON summary line at the end,
exits 1 on any failure (with the step and a clear message on stderr; the failing page is saved as
organisation-failure.png).
"""

import email
import email.policy
import os
import re
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

import browser_support

ISSUER = "mutuelle-vivre-ensemble"  # the demo badge's issuer (Foyers La Maison is its establishment)
BADGE = "bientraitance"
TRAINER = "formatrice@example.org"
TRAINER_NAME = "Camille Formatrice"
TRAINER_PASSWORD = "une phrase de passe pour Camille"
NEW_PASSWORD = "une autre phrase, choisie après l'oubli"
RECIPIENT = "lea@example.org"
RECIPIENT_NAME = "Léa Stagiaire"
RECIPIENT_PASSWORD = "le sac à badges de Léa"
DESCRIPTION = "Formation obligatoire à la bientraitance des personnes accompagnées (7 heures, étude de cas finale)."


class Run(browser_support.Run):
    prefix = "organisation-"

    @staticmethod
    def add_arguments(parser):
        parser.add_argument("--mail", required=True, help="the directory where the SMTP test server writes messages")

    # -- e-mail ----------------------------------------------------------------------------------------

    def __init__(self, *args):
        super().__init__(*args)
        self.read = set()  # the message files already used
        self.mails = []  # (to, subject) of every message used, for the summary

    def mail(self, to, subject_part, timeout=30):
        """Waits for an unread message to `to` whose subject contains `subject_part`; returns its plain-text part."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name in sorted(os.listdir(self.options.mail)):
                if not name.endswith(".eml") or name in self.read:
                    continue
                with open(os.path.join(self.options.mail, name), "rb") as f:
                    message = email.message_from_binary_file(f, policy=email.policy.default)
                if to not in str(message["To"]) or subject_part not in str(message["Subject"]):
                    continue
                self.read.add(name)
                self.mails.append({"to": to, "subject": str(message["Subject"])})
                body = message.get_body(preferencelist=("plain",))
                self.expect(body is not None, f"message {name} has no text part")
                text = body.get_content()
                self.expect("Auto-Submitted" in message, f"message {name} has no Auto-Submitted header")
                return text
            time.sleep(0.2)
        raise browser_support.StepFailure(
            f"no e-mail to {to} about {subject_part!r} within {timeout} s (read: {sorted(self.read)})")

    def link(self, text, path):
        """The first link of this server in `text` whose path starts with `path`."""
        match = re.search(re.escape(self.base + path) + r"[^\s<>\"')]*", text)
        self.expect(match is not None, f"no {path}… link in the message: {text[:600]!r}")
        return match.group(0)

    # -- the scenario ----------------------------------------------------------------------------------

    def invite_trainer(self):
        self.step = "the administrator invites a trainer"
        self.sign_in("admin", self.password, "/trainer")
        self.click_and_wait(self.find(f"a[href='/trainer/issuers/{ISSUER}/members']", "the members link"),
                            "opening the members page")
        self.expect_in("Membres de l'équipe", self.text("h1"), "members page title")
        self.find("#name").send_keys(TRAINER_NAME)
        self.find("#email").send_keys(TRAINER)
        Select(self.find("#role")).select_by_value("trainer")
        self.submit("#member-form")
        self.no_error("members page after inviting")
        row = self.text("#members")
        self.expect_in(TRAINER, row, "members table")
        self.expect_in("invité", row, "the new member's state")
        self.expect(not self.driver.find_elements(By.CSS_SELECTOR, "#invitation-url"),
                    "the invitation link is shown although mail goes to the SMTP server")
        self.shot("members-invited", full=True)

    def accept_invitation(self):
        self.step = "the trainer opens the invitation e-mail"
        text = self.mail(TRAINER, "Invitation")
        self.expect_in("Formateur", text, "the invitation e-mail's role")
        link = self.link(text, "/staff/invitation/")
        self.driver.delete_all_cookies()
        self.driver.get(link)
        self.expect_in("Rejoindre l'équipe", self.text("h1"), "invitation page title")
        self.expect_in(TRAINER, self.text("#staff-invitation-form") + self.text("section"), "invitation page")
        self.find("#password").send_keys(TRAINER_PASSWORD)
        self.find("#confirm").send_keys(TRAINER_PASSWORD)
        self.shot("invitation")
        self.submit("#staff-invitation-form")
        self.wait(EC.url_contains("/trainer"), "the dashboard after choosing the password")
        self.no_error("dashboard after the invitation")
        return link

    def trainer_meets_the_rules(self, link):
        self.step = "the trainer may award but not edit"
        body = self.find("main").text
        self.expect_in("Formateur", body, "the dashboard's roles")
        self.find(f"a[href='/trainer/badges/{BADGE}/award']", "the award button")
        edits = self.driver.find_elements(By.CSS_SELECTOR, f"a[href='/trainer/badges/{BADGE}/edit']")
        self.expect(not edits, "a trainer is offered to edit the badge")
        self.shot("trainer-dashboard", full=True)
        self.driver.get(self.url(f"/trainer/badges/{BADGE}/edit"))
        self.expect_in("rôle de responsable", self.find("main").text, "the refusal names the role needed")
        self.shot("trainer-may-not-edit")
        self.driver.get(link)
        self.expect(self.driver.find_elements(By.CSS_SELECTOR, "#staff-invitation-form") == [],
                    "the invitation link works twice")

        self.step = "the administrator makes the trainer a manager"
        self.sign_in("admin", self.password, "/trainer")
        self.driver.get(self.url(f"/trainer/issuers/{ISSUER}/members"))
        self.find("#name").send_keys(TRAINER_NAME)
        self.find("#email").send_keys(TRAINER)
        Select(self.find("#role")).select_by_value("manager")
        self.submit("#member-form")
        self.no_error("members page after adding the manager role")
        self.expect_in("Responsable", self.text("#members"), "members table")
        self.shot("members-manager", full=True)
        text = self.mail(TRAINER, "Nouveau rôle")
        self.expect_in("Responsable", text, "the new role e-mail")

    def edit_and_award(self):
        self.step = "the manager edits the badge"
        self.sign_in(TRAINER, TRAINER_PASSWORD, "/trainer")
        self.click_and_wait(self.find(f"a[href='/trainer/badges/{BADGE}/edit']", "the edit link"), "opening the editor")
        description = self.find("#description")
        description.clear()
        description.send_keys(DESCRIPTION)
        self.shot("edit-badge", full=True)
        self.submit(f"form[action='/trainer/badges/{BADGE}/edit']")
        self.no_error("after editing the badge")

        self.step = "the manager awards the badge"
        self.driver.get(self.url(f"/trainer/badges/{BADGE}/award"))
        self.find("#email").send_keys(RECIPIENT)
        self.find("#name").send_keys(RECIPIENT_NAME)
        self.submit(f"form[action='/trainer/badges/{BADGE}/award']")
        self.wait(EC.url_contains("/trainer/assertions/"), "the award's page")
        self.no_error("the award's page")
        self.shot("awarded", full=True)

    def recipient(self):
        self.step = "the recipient's e-mail leads to the badge"
        text = self.mail(RECIPIENT, "badge")
        hosted = self.link(text, "/assertions/")
        claim = self.link(text, "/claim/")
        self.driver.delete_all_cookies()
        self.driver.get(hosted)
        page = self.find("main").text
        self.expect_in("Bientraitance", page, "the hosted badge")
        self.expect_in("7 heures, étude de cas finale", page, "the edited description on the hosted badge")
        self.shot("hosted-badge", full=True)

        self.step = "the recipient claims the badge into a new backpack"
        self.driver.get(claim)
        self.expect_in("Bientraitance", self.text("h1"), "claim page title")
        self.expect_in("Créer mon sac à badges", self.text("#claim"), "claim page")
        self.find("#claim-account-form #name").send_keys(RECIPIENT_NAME)
        self.find("#claim-account-form #password").send_keys(RECIPIENT_PASSWORD)
        self.find("#claim-account-form #confirm").send_keys(RECIPIENT_PASSWORD)
        self.driver.execute_script("window.scrollTo(0, 0)")
        self.shot("claim", full=True)
        self.submit("#claim-account-form")
        self.no_error("after creating the backpack")
        if "/backpack" not in self.driver.current_url:
            self.driver.get(self.url("/backpack"))
        cards = self.driver.find_elements(By.CSS_SELECTOR, "#badges li.backpack-badge")
        self.expect(len(cards) == 1, f"expected the badge in the backpack, got {len(cards)} cards")
        self.expect_in("Bientraitance", cards[0].text, "the backpack's badge")
        self.shot("backpack", full=True)

    def forgotten_password(self):
        self.step = "the trainer signs out"
        self.sign_in(TRAINER, TRAINER_PASSWORD, "/trainer")
        self.submit("form.logout")
        self.wait(lambda d: "/trainer" not in d.current_url, "the page after signing out")

        self.step = "the trainer asks for a new password"
        self.driver.get(self.url("/login"))
        self.click_and_wait(self.find("a[href='/login/forgot']", "the forgotten password link"),
                            "opening « Mot de passe oublié ? »")
        self.find("#email").send_keys(TRAINER)
        self.submit("#forgot-form")
        self.find("p.alert.ok", "the confirmation")
        self.shot("forgot-sent")

        self.step = "the reset e-mail's link sets a new password"
        text = self.mail(TRAINER, "Nouveau mot de passe")
        link = self.link(text, "/password/reset/")
        self.driver.delete_all_cookies()
        self.driver.get(link)
        self.find("#password").send_keys(NEW_PASSWORD)
        self.find("#confirm").send_keys(NEW_PASSWORD)
        self.shot("reset")
        self.submit("#reset-form")
        self.no_error("after choosing the new password")
        self.wait(lambda d: "/password/reset" not in d.current_url, "the page after the reset")
        self.expect(self.driver.find_elements(By.CSS_SELECTOR, "form.logout"), "not signed in after the reset")
        self.shot("after-reset", full=True)
        self.mail(TRAINER, "mot de passe a été modifié")

        self.step = "the old password is refused, the new one works"
        self.driver.delete_all_cookies()
        self.driver.get(self.url("/login"))
        self.find("#login").send_keys(TRAINER)
        self.find("#password").send_keys(TRAINER_PASSWORD)
        self.submit("form[action='/login']")
        self.expect("/login" in self.driver.current_url, f"signed in with the old password ({self.driver.current_url})")
        self.find("p.alert.error", "the refusal of the old password")
        self.shot("old-password-refused")
        self.sign_in(TRAINER, NEW_PASSWORD, "/trainer")
        self.shot("signed-in-new-password")

    def scenario(self):
        self.invite_trainer()
        link = self.accept_invitation()
        self.trainer_meets_the_rules(link)
        self.edit_and_award()
        self.recipient()
        self.forgotten_password()
        return {"mails": self.mails}


if __name__ == "__main__":
    sys.exit(browser_support.main(Run, __doc__, "organisation browser test"))
