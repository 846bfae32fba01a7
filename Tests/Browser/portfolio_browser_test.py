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

import argparse
import json
import os
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
LEARNER = "alex.stagiaire@example.org"
LEARNER_NAME = "Alex Stagiaire"
LEARNER_PASSWORD = "une longue phrase de passe"
FRAMEWORK = "dees-test"
ITEM = "DC1.1"
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> "
       b"endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


class StepFailure(Exception):
    pass


class Run:
    def __init__(self, base, password, out):
        self.base = base.rstrip("/")
        self.password = password
        self.out = out
        self.step = "start"
        self.screenshots = []
        self.driver = None

    # -- helpers ---------------------------------------------------------------------------------------

    def start_browser(self):
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                    "--lang=fr-FR", "--disable-gpu", "--no-first-run", "--disable-extensions",
                    "--disable-background-networking", "--disable-sync", "--disable-component-update",
                    "--disable-default-apps", "--metrics-recording-only", "--no-default-browser-check"):
            options.add_argument(arg)
        options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_window_size(1280, 900)
        self.driver.set_page_load_timeout(30)

    def url(self, path):
        return self.base + path

    def wait(self, condition, what, timeout=15):
        try:
            return WebDriverWait(self.driver, timeout).until(condition)
        except TimeoutException:
            raise StepFailure(f"timed out waiting for {what} (page {self.driver.current_url!r}, "
                              f"title {self.driver.title!r})")

    def find(self, css, what=None):
        return self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, css)), what or css)

    def text(self, css):
        return self.find(css).text.strip()

    def expect(self, condition, message):
        if not condition:
            raise StepFailure(message)

    def expect_in(self, needle, haystack, where):
        if needle not in haystack:
            raise StepFailure(f"{where}: expected to contain {needle!r}, got {haystack[:400]!r}")

    def shot(self, name, full=False):
        path = os.path.join(self.out, f"portfolio-{len(self.screenshots) + 1:02d}-{name}.png")
        if full:
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.set_window_size(1280, min(max(900, height), 4000))
        ok = self.driver.save_screenshot(path)
        if full:
            self.driver.set_window_size(1280, 900)
        if not ok:
            raise StepFailure(f"could not save screenshot {path}")
        self.screenshots.append(os.path.basename(path))

    def click_and_wait(self, element, what):
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        old = self.driver.find_element(By.TAG_NAME, "html")
        element.click()

        def replaced(_driver):
            # Chromium reports a node of a replaced document either as stale or as an inspector error.
            try:
                old.is_enabled()
                return False
            except WebDriverException:
                return True

        self.wait(replaced, f"the page after {what}", timeout=30)

    def submit(self, form_css, button_css="button[type=submit]"):
        self.click_and_wait(self.find(f"{form_css} {button_css}", f"submit button of {form_css}"), f"submitting {form_css}")

    def no_error(self, where):
        errors = self.driver.find_elements(By.CSS_SELECTOR, "p.alert.error")
        self.expect(not errors, f"{where}: error shown: {errors[0].text if errors else ''}")

    def sign_in(self, login, password, landing):
        self.driver.delete_all_cookies()
        self.driver.get(self.url("/login"))
        self.find("#login").send_keys(login)
        self.find("#password").send_keys(password)
        self.submit("form[action='/login']")
        self.wait(EC.url_contains(landing), f"{landing} after signing in as {login}")

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
        self.wait(EC.url_contains("/trainer/assertions/"), "the assertion page after awarding")
        self.expect_in("Le badge a été attribué", self.text("p.alert.ok[role=status]"), "award notice")
        body = self.find("body").text
        self.expect_in(LEARNER, body, "assertion page")
        self.find("a[href*='/evidence/']", "the evidence link on the assertion page")
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

    def main(self):
        started = time.monotonic()
        self.step = "start Chromium"
        self.start_browser()
        pdf_path = os.path.abspath(os.path.join(self.out, "portfolio-rapport.pdf"))
        with open(pdf_path, "wb") as f:
            f.write(PDF)
        link = self.invite()
        self.accept(link)
        self.upload(pdf_path)
        self.submit_for_review()
        self.review_and_award()
        self.learner_sees_badge()
        return {"ok": True, "screenshots": self.screenshots, "seconds": round(time.monotonic() - started, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the running server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--password", required=True, help="the admin password printed at first start")
    parser.add_argument("--out", required=True, help="directory for the screenshots")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            print(json.dumps({"ok": False, "step": "setup", "error": f"{path} missing (make deps)"}))
            return 1

    run = Run(args.base, args.password, args.out)
    try:
        summary = run.main()
    except (StepFailure, WebDriverException, OSError) as error:
        message = f"{type(error).__name__}: {error}".strip()
        print(f"portfolio browser test FAILED at step '{run.step}': {message}", file=sys.stderr)
        if run.driver is not None:
            try:
                run.driver.save_screenshot(os.path.join(args.out, "portfolio-failure.png"))
            except WebDriverException:
                pass
        print(json.dumps({"ok": False, "step": run.step, "error": message[:1000], "screenshots": run.screenshots}))
        return 1
    finally:
        if run.driver is not None:
            try:
                run.driver.quit()
            except WebDriverException:
                pass
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
