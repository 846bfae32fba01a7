#!/usr/bin/env python3
"""Real-browser test of Insigne: a trainer signs in, awards a badge, downloads it, and an employer
verifies the file on /verify — in headless Chromium driven by Selenium.

Starts nothing itself: the server must already run (Tests/InteropTests/BrowserTests.swift starts one).

    .venv-browser/bin/python Tests/Browser/browser_test.py --base http://127.0.0.1:PORT --password PW --out DIR

Saves one PNG screenshot per step into DIR, prints one JSON summary line at the end, exits 1 on any failure
(with the step and a clear message on stderr; a screenshot of the failing page is saved as failure.png).
"""

import os
import sys
import urllib.parse
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

import browser_support

RECIPIENT = "stagiaire.navigateur@example.org"
RECIPIENT_NAME = "Camille Navigateur"
OTHER_EMAIL = "quelqu.un.d.autre@example.org"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Run(browser_support.Run):
    def show_result(self):
        """Scrolls the verdict into view so the screenshot shows it."""
        result = self.find("#result", "the verdict (#result)")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", result)
        return result

    # -- the scenario ----------------------------------------------------------------------------------

    def home(self):
        self.step = "home page"
        self.driver.get(self.url("/"))
        self.expect_in("Badges numériques de formation", self.text("h1"), "home page title (French)")
        body = self.find("body").text
        for words in ("Vérifier un badge", "Se connecter", "Voir les référentiels"):
            self.expect_in(words, body, "home page")
        self.find("a.sign-in[href='/login']", "the header's « Se connecter » link")
        self.shot("home")

    def sign_in_page(self):
        self.step = "sign in page"
        self.driver.get(self.url("/trainer"))
        self.wait(EC.url_contains("/login"), "the redirect of /trainer to /login")
        self.expect_in("Connexion", self.text("h1"), "sign-in title (French)")
        self.shot("login")

        self.step = "sign in with a wrong password"
        self.find("#login").send_keys("admin")
        self.find("#password").send_keys("not-the-password")
        self.submit("form[action='/login']")
        error = self.text("p.alert.error[role=alert]")
        self.expect_in("Identifiant ou mot de passe incorrect", error, "wrong-password message")
        self.expect("/login" in self.driver.current_url, f"still on /login after a wrong password, got {self.driver.current_url}")
        self.shot("login-wrong-password")

        self.step = "sign in with the right password"
        login = self.find("#login")
        login.clear()
        login.send_keys("admin")
        self.find("#password").send_keys(self.password)
        self.submit("form[action='/login']")
        self.wait(EC.url_matches(r"/trainer/?(\?.*)?$"), "the trainer dashboard after sign-in")
        self.expect(not self.driver.find_elements(By.CSS_SELECTOR, "p.alert.error"),
                    "an error message is shown after signing in with the right password")
        self.expect_in("Bientraitance", self.find("body").text, "dashboard")
        self.shot("dashboard")

    def award(self):
        self.step = "award form"
        self.driver.get(self.url("/trainer/badges/bientraitance/award"))
        self.find("#email").send_keys(RECIPIENT)
        self.find("#name").send_keys(RECIPIENT_NAME)
        self.find("#narrative").send_keys("Formation « Bientraitance » suivie le 12 mars (test navigateur).")
        self.shot("award-form")

        self.step = "award submit"
        self.submit("form[action='/trainer/badges/bientraitance/award']")
        self.wait(EC.url_contains("/trainer/assertions/"), "the assertion page after awarding")
        notice = self.text("p.alert.ok[role=status]")
        self.expect_in("Le badge a été attribué", notice, "award success notice")
        body = self.find("body").text
        self.expect_in(RECIPIENT, body, "assertion page")
        self.expect_in(RECIPIENT_NAME, body, "assertion page")
        for css in ("#link-hosted", "#download-png", "#download-svg", "#link-verify"):
            self.find(css, f"link {css} on the success page")
        self.shot("awarded")
        return self.find("#download-png").get_attribute("href"), self.find("#link-verify").get_attribute("href")

    def download(self, href):
        self.step = "download the baked PNG"
        parsed = urllib.parse.urlsplit(href)
        self.expect(parsed.hostname in ("127.0.0.1", "localhost", "::1"), f"PNG link is not on loopback: {href}")
        # Loopback only: no proxy from the environment.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(href, timeout=15) as response:
            self.expect(response.status == 200, f"GET {href}: status {response.status}")
            ctype = response.headers.get("Content-Type", "")
            self.expect(ctype.startswith("image/png"), f"GET {href}: Content-Type {ctype!r}")
            data = response.read()
        self.expect(data.startswith(PNG_SIGNATURE), f"GET {href}: not a PNG file")
        self.expect(b"openbadges" in data, f"GET {href}: the PNG has no openbadges chunk")
        path = os.path.abspath(os.path.join(self.out, "badge-bientraitance.png"))
        with open(path, "wb") as f:
            f.write(data)
        return path, len(data)

    def verify(self, path, email, english=False):
        query = "?lang=en" if english else ""
        self.driver.get(self.url("/verify" + query))
        self.find("#file").send_keys(path)
        self.find("#recipient").send_keys(email)
        self.submit("#verify-form")
        return self.show_result()

    def check_verify_link(self, href):
        self.step = "verification link of the success page"
        self.driver.get(href)
        self.expect_in("/verify", self.driver.current_url, "verification link")
        self.expect_in("Vérifier un badge numérique", self.text("h1"), "verify page title (French)")
        self.shot("verify-page")

    def verify_valid(self, path):
        self.step = "verify the PNG with the right email"
        result = self.verify(path, RECIPIENT)
        outcome = result.get_attribute("data-outcome")
        headline = self.text("#verdict-title")
        self.shot("verify-valid")
        self.expect(outcome == "valid", f"verdict outcome {outcome!r} ({headline!r}), expected 'valid'")
        self.expect(headline == "Badge valide", f"verdict headline {headline!r}, expected 'Badge valide'")
        self.expect("verdict-ok" in (result.get_attribute("class") or ""), "the valid verdict is not shown in green")
        self.expect_in("Bientraitance", result.text, "valid verdict")
        return headline

    def verify_mismatch(self, path):
        self.step = "verify the PNG with another email"
        result = self.verify(path, OTHER_EMAIL)
        outcome = result.get_attribute("data-outcome")
        headline = self.text("#verdict-title")
        self.shot("verify-other-person")
        self.expect(outcome == "recipientMismatch", f"verdict outcome {outcome!r} ({headline!r}), expected 'recipientMismatch'")
        self.expect_in("non délivré à cette personne", headline, "mismatch headline")
        self.expect_in("n'a pas été délivré à l'adresse e-mail indiquée", result.text, "mismatch explanation")
        return headline

    def recheck(self):
        self.step = "check the same file against another address without choosing it again"
        self.find("#recheck-form", "the « Vérifier pour une autre adresse » form")
        self.find("#recheck-recipient").send_keys(RECIPIENT)
        self.submit("#recheck-form")
        result = self.show_result()
        outcome = result.get_attribute("data-outcome")
        headline = self.text("#verdict-title")
        self.shot("verify-recheck")
        self.expect(outcome == "valid", f"re-check outcome {outcome!r} ({headline!r}), expected 'valid'")
        self.expect_in(RECIPIENT, result.text, "re-check verdict")
        return headline

    def english(self, path):
        self.step = "English verify page"
        self.driver.get(self.url("/verify?lang=en"))
        lang = self.find("html").get_attribute("lang")
        self.expect(lang == "en", f"<html lang> is {lang!r} with ?lang=en")
        self.expect_in("Verify a digital badge", self.text("h1"), "English verify title")
        self.shot("verify-english")

        self.step = "verify in English"
        result = self.verify(path, RECIPIENT, english=True)
        outcome = result.get_attribute("data-outcome")
        headline = self.text("#verdict-title")
        self.shot("verify-valid-english")
        self.expect(outcome == "valid", f"English verdict outcome {outcome!r} ({headline!r}), expected 'valid'")
        self.expect(headline == "Valid badge", f"English verdict headline {headline!r}, expected 'Valid badge'")
        self.expect_in("It is authentic", result.text, "English valid verdict")

        self.step = "verify in English with another email"
        result = self.verify(path, OTHER_EMAIL, english=True)
        headline = self.text("#verdict-title")
        self.shot("verify-other-person-english")
        self.expect(headline == "Not issued to this person", f"English mismatch headline {headline!r}")
        self.expect_in("was not issued to the email address you entered", result.text, "English mismatch explanation")

    def scenario(self):
        self.home()
        self.sign_in_page()
        png_href, verify_href = self.award()
        path, size = self.download(png_href)
        self.check_verify_link(verify_href)
        valid = self.verify_valid(path)
        mismatch = self.verify_mismatch(path)
        self.recheck()
        self.english(path)
        return {"png": os.path.basename(path), "pngBytes": size, "valid": valid, "mismatch": mismatch}


if __name__ == "__main__":
    sys.exit(browser_support.main(Run, __doc__, "browser test", "directory for the screenshots and the downloaded badge"))
