#!/usr/bin/env python3
"""Real-browser test of the portfolio: a trainer invites a learner, the learner creates their account, uploads a
PDF tagged to a framework item and submits it; the trainer reviews it, accepts it and awards a badge with it; the
learner then sees the badge — in headless Chromium driven by Selenium.

Starts nothing itself: the server must already run with the `dees-test` framework imported
(Tests/InteropTests/PortfolioBrowserTests.swift does both).

    .venv-browser/bin/python Tests/Browser/portfolio_browser_test.py --base URL --password PW --out DIR

Saves one PNG screenshot per step into DIR as portfolio-NN-step.png, prints one JSON summary line at the end, exits
1 on any failure (with the step and a clear message on stderr; the failing page is saved as portfolio-failure.png).
"""

import os
import sys

from selenium.webdriver.support import expected_conditions as EC

import browser_support

LEARNER = "alex.stagiaire@example.org"
LEARNER_NAME = "Alex Stagiaire"
LEARNER_PASSWORD = "une longue phrase de passe"
FRAMEWORK = "dees-test"
ITEM = "DC1.1"
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> "
       b"endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


class Run(browser_support.Run):
    prefix = "portfolio-"

    # -- the scenario ----------------------------------------------------------------------------------

    def invite(self):
        self.step = "trainer invites a learner"
        self.sign_in("admin", self.password, "/trainer")
        self.driver.get(self.url("/trainer/learners"))
        self.expect_in("Apprenants", self.text("h1"), "learners page title")
        self.find("#name").send_keys(LEARNER_NAME)
        self.find("#email").send_keys(LEARNER)
        self.submit("#invite-form")
        link = self.find("#invitation-url").get_attribute("value")
        self.expect("/invitation/" in link, f"invitation link {link!r}")
        self.shot("invitation-created")
        return link

    def accept(self, link):
        self.step = "learner accepts the invitation"
        self.driver.delete_all_cookies()
        self.driver.get(link)
        self.expect_in("Créer votre compte", self.text("h1"), "invitation page")
        self.expect_in(LEARNER, self.find("body").text, "invitation page shows the sign-in")
        self.find("#password").send_keys(LEARNER_PASSWORD)
        self.find("#confirm").send_keys(LEARNER_PASSWORD)
        self.shot("invitation-form")
        self.submit("#invitation-form")
        self.wait(EC.url_contains("/portfolio"), "the portfolio after creating the account")
        self.expect_in("Bienvenue", self.text("p.alert.ok"), "welcome notice")
        self.shot("portfolio-welcome")

    def upload(self, pdf_path):
        self.step = "learner uploads a PDF tagged to a framework item"
        self.click_and_wait(self.find("#add-file"), "choosing to add a file")
        self.find("#title").send_keys("Rapport d'activité — stage au foyer")
        self.find("#file").send_keys(pdf_path)
        self.find("#genre").send_keys("Rapport d'activité")
        self.find("#description").send_keys("Trois semaines d'accompagnement éducatif, bilan rédigé avec la tutrice.")
        search = self.find("#tag-filter")
        search.send_keys(ITEM)
        box = self.find(f"fieldset[data-framework='{FRAMEWORK}'] input[value='{FRAMEWORK}|{ITEM}']")
        other = self.find(f"fieldset[data-framework='{FRAMEWORK}'] input[value='{FRAMEWORK}|DC2.1']")
        self.expect(box.is_displayed(), f"{ITEM} is hidden by the search filter")
        self.expect(not other.is_displayed(), "the search filter did not hide DC2.1")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
        box.click()
        self.expect(box.is_selected(), f"{ITEM} checkbox not ticked")
        self.shot("evidence-form")
        self.submit("#evidence-form")
        self.wait(EC.url_contains("/portfolio?saved=1"), "the portfolio after saving")
        self.no_error("after saving the evidence")
        row = self.text("#pieces tbody tr")
        self.expect_in("Rapport d'activité — stage au foyer", row, "the new piece")
        self.expect_in(ITEM, row, "the new piece's tag")
        self.expect_in("Brouillon", row, "the new piece's state")
        self.shot("evidence-saved")

    def submit_for_review(self):
        self.step = "learner submits for review"
        self.submit("#submit-form")
        self.wait(EC.url_contains("submitted="), "the portfolio after submitting")
        self.expect_in("envoyée(s) pour examen", self.text("p.alert.ok"), "submitted notice")
        self.shot("submitted")

    def review_and_award(self):
        self.step = "trainer reviews"
        self.sign_in("admin", self.password, "/trainer")
        self.driver.get(self.url("/trainer/reviews"))
        self.click_and_wait(self.find("#reviews a"), "opening the learner")
        self.expect_in(LEARNER_NAME, self.text("h1"), "learner page")
        piece = self.find("article.piece[data-status='submitted']")
        self.expect_in(ITEM, piece.text, "the piece's tags on the review page")
        self.shot("review")

        self.step = "trainer checks the file"
        href = self.find("article.piece a[href$='/file']").get_attribute("href")
        self.expect("/evidence/" in href, f"file link {href!r}")

        self.step = "trainer accepts"
        self.submit("article.piece form.review-form", "button[value=accept]")
        self.expect_in("Examen enregistré", self.text("p.alert.ok"), "review notice")
        self.find("article.piece[data-status='accepted']", "the accepted piece")

        self.step = "trainer awards the badge with the piece"
        select = self.find("#badge")
        self.expect(select.get_attribute("value") == "bientraitance", f"badge selected: {select.get_attribute('value')!r}")
        box = self.find("#award-form input[name=evidence]")
        if not box.is_selected():
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
            box.click()
        self.find("#award-narrative").send_keys("Stage validé : relation éducative de qualité.")
        self.driver.execute_script("document.querySelector('#award-form').scrollIntoView({block: 'start'});")
        self.shot("award-form")
        self.submit("#award-form")
        self.step = "trainer checks what will be public, then confirms"
        self.find("#award-confirm-form", "the confirmation form")
        preview = self.text("#public-preview")
        self.expect_in("Ce qui sera public dans le badge", preview, "what will be public")
        self.expect_in("Preuves examinées par", preview, "the neutral evidence note")
        self.expect_in("Citées mais qui restent privées", self.text("#private-pieces"), "the piece stays private")
        self.shot("award-preview")
        self.submit("#award-confirm-form")
        self.wait(EC.url_contains("/trainer/assertions/"), "the assertion page after awarding")
        self.expect_in("Le badge a été attribué", self.text("p.alert.ok[role=status]"), "award notice")
        body = self.find("body").text
        self.expect_in(LEARNER, body, "assertion page")
        self.expect_in("Preuves examinées par", body, "the neutral evidence note on the assertion page")
        self.expect(
            not self.driver.find_elements("css selector", "a[href*='/evidence/']"),
            "no private evidence link on the assertion page",
        )
        self.shot("awarded")

    def learner_sees_badge(self):
        self.step = "learner sees the badge"
        self.sign_in(LEARNER, LEARNER_PASSWORD, "/portfolio")
        badges = self.text("#my-badges")
        self.expect_in("Bientraitance", badges, "my badges")
        row = self.text("#pieces tbody tr")
        self.expect_in("Acceptée", row, "the accepted piece")
        self.driver.execute_script("document.querySelector('#my-badges').scrollIntoView({block: 'center'});")
        self.shot("learner-badge")

        self.step = "coverage"
        self.driver.get(self.url(f"/portfolio/coverage/{FRAMEWORK}"))
        summary = self.text("#coverage-summary")
        self.expect_in("preuve acceptée : 1 sur 5", summary, "coverage summary")
        self.find("svg.chart", "the coverage chart")
        self.shot("coverage", full=True)

        self.step = "English"
        self.driver.get(self.url("/portfolio?lang=en"))
        self.expect_in("My portfolio", self.text("h1"), "English portfolio title")
        self.shot("portfolio-english", full=True)

    def scenario(self):
        pdf_path = os.path.abspath(os.path.join(self.out, "portfolio-rapport.pdf"))
        with open(pdf_path, "wb") as f:
            f.write(PDF)
        link = self.invite()
        self.accept(link)
        self.upload(pdf_path)
        self.submit_for_review()
        self.review_and_award()
        self.learner_sees_badge()


if __name__ == "__main__":
    sys.exit(browser_support.main(Run, __doc__, "portfolio browser test"))
