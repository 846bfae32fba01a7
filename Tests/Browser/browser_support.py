"""What the real-browser tests of Insigne share: headless Chromium driven by Selenium, the step helpers (wait, find,
expect, screenshots, form submits, sign-in) and the command line (--base, --password, --out; one JSON summary line;
exit 1 on failure with a screenshot of the failing page).

Imported by browser_test.py, portfolio_browser_test.py, backpack_browser_test.py and organisation_browser_test.py,
which sit next to this file (Python puts a script's own directory on sys.path).
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
CHROMIUM_ARGS = ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                 "--lang=fr-FR", "--disable-gpu", "--no-first-run", "--disable-extensions",
                 "--disable-background-networking", "--disable-sync", "--disable-component-update",
                 "--disable-default-apps", "--metrics-recording-only", "--no-default-browser-check")


class StepFailure(Exception):
    pass


class Run:
    """One scenario in one browser. Subclasses set `prefix` (of their screenshot names, so that the tests sharing the
    artifacts directory keep apart) and implement `scenario()`, which returns the extra fields of the summary."""

    prefix = ""

    @staticmethod
    def add_arguments(parser):
        """Adds a script's own command-line options; `self.options` holds them all once parsed."""

    def __init__(self, base, password, out):
        self.base = base.rstrip("/")
        self.password = password
        self.out = out
        self.step = "start"
        self.screenshots = []
        self.driver = None
        self.options = None

    # -- helpers ---------------------------------------------------------------------------------------

    def start_browser(self):
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in CHROMIUM_ARGS:
            options.add_argument(arg)
        # French first, as a French-speaking trainer's browser would send; English is then chosen with ?lang=en.
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
        """Saves `<prefix>NN-<name>.png`; `full` grows the window to the page's height (at most 4000 px) first."""
        path = os.path.join(self.out, f"{self.prefix}{len(self.screenshots) + 1:02d}-{name}.png")
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

    # -- the run ---------------------------------------------------------------------------------------

    def scenario(self):
        raise NotImplementedError

    def main(self):
        started = time.monotonic()
        self.step = "start Chromium"
        self.start_browser()
        extra = self.scenario() or {}
        return {"ok": True, **extra, "screenshots": self.screenshots, "seconds": round(time.monotonic() - started, 1)}


def main(run_class, doc, name, out_help="directory for the screenshots"):
    """The command line of a browser test: runs `run_class`, prints the JSON summary, returns the exit status.
    `name` is the test's name in the failure message ("portfolio browser test"); the failing page is saved as
    `<prefix>failure.png`."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the running server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--password", required=True, help="the admin password written at first start to DATA/first-start-credentials.txt")
    parser.add_argument("--out", required=True, help=out_help)
    run_class.add_arguments(parser)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            print(json.dumps({"ok": False, "step": "setup", "error": f"{path} missing (make deps)"}))
            return 1

    run = run_class(args.base, args.password, args.out)
    run.options = args
    try:
        summary = run.main()
    except (StepFailure, WebDriverException, OSError) as error:
        message = f"{type(error).__name__}: {error}".strip()
        print(f"{name} FAILED at step '{run.step}': {message}", file=sys.stderr)
        if run.driver is not None:
            try:
                run.driver.save_screenshot(os.path.join(args.out, f"{run.prefix}failure.png"))
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
