#!/usr/bin/env python3
"""Real-browser test of the compliance view (issue 14): on the demo data of a fresh `insigne serve`, the admin opens
Foyers La Maison's compliance page for Bientraitance, sees the four states and their counts, filters by « expiré »,
downloads the CSV export (the file is checked), opens the roster page, imports a small CSV file and sees the new
people counted as « jamais obtenu » — in headless Chromium driven by Selenium.

Starts nothing itself: the server must already run on a fresh data directory (Tests/InteropTests/
ComplianceBrowserTests.swift starts it).

    .venv-browser/bin/python Tests/Browser/compliance_browser_test.py --base URL --password PW --out DIR

Saves one PNG screenshot per step into DIR as compliance-NN-step.png and the downloaded export as
compliance-export.csv, prints one JSON summary line at the end, exits 1 on any failure (with the step and a clear
message on stderr; the failing page is saved as compliance-failure.png).
"""

import glob
import os
import shutil
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

import browser_support

ISSUER = "foyers-la-maison"
BADGE = "bientraitance"
PAGE = f"/trainer/issuers/{ISSUER}/compliance"
# The demo roster (Demo/DemoSeeder+Roster.swift): 4 up to date, 2 expiring soon, 2 expired, 2 never obtained.
DEMO_COUNTS = {"valid": 4, "expiringSoon": 2, "expired": 2, "missing": 2}
LABELS = {"valid": "à jour", "expiringSoon": "expire bientôt", "expired": "expiré", "missing": "jamais obtenu"}
IMPORT = ("Prénom;Nom;Courriel\r\n"
          "Jeanne;Rivière;jeanne.riviere@foyers-la-maison.fr\r\n"
          "Karim;Benali;karim.benali@foyers-la-maison.fr\r\n"
          "Camille;Bernard-Roy;camille.bernard@foyers-la-maison.fr\r\n"
          "Paul;Sansadresse;paul@\r\n")


class Run(browser_support.Run):
    prefix = "compliance-"

    def counts(self):
        """The counts next to each state's tag in the page's summary."""
        out = {}
        for item in self.driver.find_elements(By.CSS_SELECTOR, "#state-counts li"):
            key = item.get_attribute("data-state")
            out[key] = int(item.find_element(By.TAG_NAME, "strong").text)
        return out

    def rows(self):
        return [r.text for r in self.driver.find_elements(By.CSS_SELECTOR, "#compliance-people tbody tr")]

    def open_page(self):
        self.step = "open the compliance page from the establishments list"
        self.sign_in("admin", self.password, "/trainer")
        self.driver.get(self.url("/trainer/issuers"))
        link = self.find(f"a[href='{PAGE}']", "the compliance link of Foyers La Maison")
        self.click_and_wait(link, "opening the compliance page")
        self.expect_in("Conformité", self.text("h1"), "compliance page title")
        self.expect_in("Foyers La Maison", self.text("h1"), "compliance page title")
        self.step = "choose Bientraitance"
        Select(self.find("#badge")).select_by_value(BADGE)
        Select(self.find("#state")).select_by_value("")
        self.submit("form.search")
        self.expect_in("Bientraitance", self.text("#chart-title"), "chart title")
        counts = self.counts()
        self.expect(counts == DEMO_COUNTS, f"counts {counts}, expected {DEMO_COUNTS}")
        bars = self.driver.find_elements(By.CSS_SELECTOR, "svg.compliance-chart rect")
        self.expect(len(bars) == 4, f"{len(bars)} bars in the chart")
        chart = self.find("svg.compliance-chart").text
        self.expect_in("4 (40 %)", chart, "the chart's count and share of « à jour »")
        self.expect(len(self.rows()) == 10, f"{len(self.rows())} rows, expected the 10 people of the demo roster")
        body = self.find("body").text
        for label in LABELS.values():
            self.expect_in(label, body, "compliance page")
        self.shot("page", full=True)

    def filter_expired(self):
        self.step = "filter by « expiré »"
        Select(self.find("#state")).select_by_value("expired")
        self.submit("form.search")
        self.wait(EC.url_contains("state=expired"), "the filtered page")
        rows = self.rows()
        self.expect(len(rows) == 2, f"expired rows: {rows}")
        self.expect(any("Michel, Nathan" in r for r in rows), f"Michel, Nathan among {rows}")
        self.expect(all("expiré" in r for r in rows), f"every row expired: {rows}")
        self.shot("expired", full=True)
        Select(self.find("#state")).select_by_value("")
        self.submit("form.search")

    def download_csv(self):
        self.step = "download the CSV export"
        folder = os.path.join(self.out, "compliance-downloads")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": folder})
        link = self.find("#export-csv", "the CSV download link")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", link)
        link.click()
        files = []
        for _ in range(100):
            files = [f for f in glob.glob(os.path.join(folder, "*")) if not f.endswith(".crdownload")]
            if files:
                break
            time.sleep(0.1)
        self.expect(len(files) == 1, f"downloaded files: {files}")
        name = os.path.basename(files[0])
        self.expect(name.startswith(f"conformite-{ISSUER}-{BADGE}-") and name.endswith(".csv"), f"file name {name}")
        data = open(files[0], "rb").read()
        path = os.path.join(self.out, "compliance-export.csv")
        shutil.move(files[0], path)
        shutil.rmtree(folder, ignore_errors=True)
        self.expect(data.startswith(b"\xef\xbb\xbf"), "the CSV starts with a UTF-8 BOM (for Excel)")
        lines = data[3:].decode("utf-8").split("\r\n")
        self.expect(lines[0] == "Nom;Prénom;Courriel;État;Obtenu le;Expire le", f"header {lines[0]!r}")
        rows = [line.split(";") for line in lines[1:] if line]
        self.expect(len(rows) == 10, f"{len(rows)} rows in the CSV")
        for key, n in DEMO_COUNTS.items():
            got = sum(1 for r in rows if r[3] == LABELS[key])
            self.expect(got == n, f"CSV: {got} « {LABELS[key]} », expected {n}")
        nathan = next((r for r in rows if r[2] == "nathan.michel@foyers-la-maison.fr"), None)
        self.expect(nathan is not None and nathan[:2] == ["Michel", "Nathan"], f"Nathan's row {nathan}")
        self.expect(len(nathan[5]) == 10 and nathan[5][2] == "/", f"a JJ/MM/AAAA expiry date: {nathan[5]!r}")
        return name

    def import_roster(self):
        self.step = "open the roster page"
        self.click_and_wait(self.find(f"a[href='/trainer/issuers/{ISSUER}/people']"), "opening the roster")
        self.expect_in("Personnes", self.text("h1"), "roster page title")
        self.shot("roster", full=True)
        self.step = "import a small CSV file"
        path = os.path.abspath(os.path.join(self.out, "compliance-import.csv"))
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(IMPORT)
        self.find("#csv").send_keys(path)
        self.submit("form[action$='/people/import']")
        report = self.text("section[aria-labelledby=report-title] p[role=status]")
        self.expect_in("Ajoutées : 2", report, "import report")
        self.expect_in("Mises à jour : 1", report, "import report")
        self.expect_in("Refusées : 1", report, "import report")
        self.expect_in("paul@", self.find("section[aria-labelledby=report-title]").text, "the refused line")
        self.shot("imported", full=True)
        self.step = "the new people count as « jamais obtenu »"
        self.driver.get(self.url(f"{PAGE}?badge={BADGE}&state=missing"))
        counts = self.counts()
        self.expect(counts.get("missing") == 4 and counts.get("valid") == 4, f"counts after the import {counts}")
        self.expect_in("Benali, Karim", " ".join(self.rows()), "the missing people")
        self.shot("after-import", full=True)

    def english(self):
        self.step = "English"
        self.driver.get(self.url(f"{PAGE}?badge={BADGE}&lang=en"))
        self.expect_in("Compliance", self.text("h1"), "English title")
        self.expect_in("expiring soon", self.find("body").text, "English states")
        self.shot("english", full=True)

    def scenario(self):
        self.open_page()
        self.filter_expired()
        name = self.download_csv()
        self.import_roster()
        self.english()
        return {"download": name}


if __name__ == "__main__":
    sys.exit(browser_support.main(Run, __doc__, "compliance browser test"))
