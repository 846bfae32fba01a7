#!/usr/bin/env python3
"""Real-browser test of the backpack: a trainer invites a learner and awards them a badge; the learner creates their
account, sees the badge in "Mes badges", downloads the ZIP of everything, checks the LinkedIn link, imports a badge
file, opens their public page — in headless Chromium driven by Selenium.

Starts nothing itself: the server must already run (Tests/InteropTests/BackpackBrowserTests.swift starts it).

    .venv-browser/bin/python Tests/Browser/backpack_browser_test.py --base URL --password PW --out DIR

Saves one PNG screenshot per step into DIR as backpack-NN-step.png, prints one JSON summary line at the end, exits
1 on any failure (with the step and a clear message on stderr; the failing page is saved as backpack-failure.png).
"""

import base64
import os
import sys
from urllib.parse import parse_qs, urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

import browser_support

LEARNER = "camille.stagiaire@example.org"
LEARNER_NAME = "Camille Stagiaire"
LEARNER_PASSWORD = "une longue phrase de passe"


class Run(browser_support.Run):
    prefix = "backpack-"

    # -- the scenario ----------------------------------------------------------------------------------

    def fetch(self, path):
        """GET with the browser's session; returns (status, content type, bytes)."""
        result = self.driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            fetch(arguments[0], {credentials: 'same-origin'}).then(async r => {
                const bytes = new Uint8Array(await r.arrayBuffer());
                let s = '';
                for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
                done([r.status, r.headers.get('content-type') || '', btoa(s)]);
            }).catch(e => done([0, String(e), '']));
        """, path)
        return result[0], result[1], base64.b64decode(result[2])

    def invite_and_award(self):
        self.step = "trainer invites a learner and awards a badge"
        self.sign_in("admin", self.password, "/trainer")
        self.driver.get(self.url("/trainer/learners"))
        self.find("#name").send_keys(LEARNER_NAME)
        self.find("#email").send_keys(LEARNER)
        self.submit("#invite-form")
        link = self.find("#invitation-url").get_attribute("value")
        self.expect("/invitation/" in link, f"invitation link {link!r}")
        for _ in range(2):
            self.driver.get(self.url("/trainer/badges/bientraitance/award"))
            self.find("#email").send_keys(LEARNER)
            self.find("#name").send_keys(LEARNER_NAME)
            self.submit("form[action='/trainer/badges/bientraitance/award']")
            self.wait(EC.url_contains("/trainer/assertions/"), "the assertion page after awarding")
        return link

    def accept(self, link):
        self.step = "learner accepts the invitation"
        self.driver.delete_all_cookies()
        self.driver.get(link)
        self.find("#password").send_keys(LEARNER_PASSWORD)
        self.find("#confirm").send_keys(LEARNER_PASSWORD)
        self.submit("#invitation-form")
        self.wait(EC.url_contains("/portfolio"), "the portfolio after creating the account")

    def backpack(self):
        self.step = "learner opens the backpack"
        self.click_and_wait(self.find("header nav a[href='/backpack']"), "opening My badges")
        self.expect_in("Mes badges", self.text("h1"), "backpack title")
        cards = self.driver.find_elements(By.CSS_SELECTOR, "#badges li.backpack-badge")
        self.expect(len(cards) == 2, f"expected 2 badges, got {len(cards)}")
        self.expect_in("Bientraitance", cards[0].text, "first badge")
        self.expect_in("valide", cards[0].text, "first badge's state")
        image = self.find("#badges li.backpack-badge img")
        loaded = self.driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image)
        self.expect(loaded, "the badge image did not load")
        self.shot("backpack", full=True)

        self.step = "learner downloads the ZIP"
        href = self.find("#export-zip").get_attribute("href")
        status, ctype, data = self.fetch(href)
        self.expect(status == 200 and ctype == "application/zip", f"ZIP answer {status} {ctype!r}")
        self.expect(data[:2] == b"PK" and len(data) > 1000, f"ZIP bytes {data[:8]!r} ({len(data)} bytes)")
        with open(os.path.join(self.out, "backpack-badges.zip"), "wb") as f:
            f.write(data)

        self.step = "LinkedIn link"
        linkedin = self.find("#badges li.backpack-badge a.linkedin")
        url = urlparse(linkedin.get_attribute("href"))
        query = parse_qs(url.query)
        self.expect(url.netloc == "www.linkedin.com" and url.path == "/profile/add", f"LinkedIn link {url!r}")
        self.expect(query.get("startTask") == ["CERTIFICATION_NAME"], f"startTask {query.get('startTask')}")
        self.expect(query.get("name") == ["Bientraitance"], f"name {query.get('name')}")
        self.expect(query.get("organizationName") == ["Mutuelle Vivre Ensemble"], f"org {query.get('organizationName')}")
        self.expect("/assertions/" in query.get("certUrl", [""])[0], f"certUrl {query.get('certUrl')}")
        self.expect(linkedin.get_attribute("target") == "_blank", "LinkedIn opens in a new tab")

        self.step = "learner downloads a baked PNG"
        png_href = self.find("#badges li.backpack-badge a[href$='badge.png']").get_attribute("href")
        status, ctype, png = self.fetch(png_href)
        self.expect(status == 200 and png[:4] == b"\x89PNG", f"PNG answer {status} {ctype!r}")
        path = os.path.abspath(os.path.join(self.out, "backpack-badge.png"))
        with open(path, "wb") as f:
            f.write(png)
        return path

    def import_file(self, path):
        self.step = "learner imports a badge file"
        self.click_and_wait(self.find("#import-link"), "opening the import page")
        self.expect_in("Importer un badge", self.text("h1"), "import page title")
        self.find("#file").send_keys(path)
        self.shot("import-form")
        self.submit("#import-form")
        self.wait(EC.url_contains("/backpack?imported=1"), "the backpack after importing")
        self.expect_in("Badge vérifié et ajouté", self.text("p.alert.ok"), "import notice")
        cards = self.driver.find_elements(By.CSS_SELECTOR, "#badges li.backpack-badge")
        # The file is a badge issued here to the learner: still one card per badge, marked as also imported.
        self.expect(len(cards) == 2, f"expected 2 badges after the import, got {len(cards)}")
        self.expect_in("aussi importé", self.text("#badges"), "the imported copy's card")
        self.find("#badges form[action$='/reverify']", "the re-verify button of the imported badge")
        self.shot("imported", full=True)

    def public_page(self):
        self.step = "learner opens a public page"
        self.submit("#public-form")
        self.wait(EC.url_contains("public=on"), "the backpack after opening the public page")
        public = self.find("#public-url").get_attribute("value")
        self.expect("/backpacks/" in public, f"public URL {public!r}")
        self.driver.delete_all_cookies()
        self.driver.get(public)
        self.expect_in(LEARNER_NAME, self.text("h1"), "public page title")
        body = self.find("body").text
        self.expect(LEARNER not in body, "the public page shows the email address")
        self.shot("public-page", full=True)

        self.step = "English"
        self.sign_in(LEARNER, LEARNER_PASSWORD, "/portfolio")
        self.driver.get(self.url("/backpack?lang=en"))
        self.expect_in("My badges", self.text("h1"), "English backpack title")
        self.shot("backpack-english", full=True)
        self.driver.get(self.url("/backpack/emails"))
        self.expect_in("My email addresses", self.text("h1"), "English addresses title")
        self.shot("emails-english", full=True)
        self.driver.get(self.url("/backpack/emails?lang=fr"))

    def scenario(self):
        link = self.invite_and_award()
        self.accept(link)
        path = self.backpack()
        self.import_file(path)
        self.public_page()


if __name__ == "__main__":
    sys.exit(browser_support.main(Run, __doc__, "backpack browser test"))
