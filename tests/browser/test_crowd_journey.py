"""Issue 8's journey in a real browser: a volunteer signs up in Finnish with consent; an
official sets up two-step sign-in (an authenticator app; the code is computed here as a phone
would) when the calls first ask for it, creates a call for their area, sees the reach and sends
it; the message arrives in
the test SMTP server; the volunteer taps "coming" in it; the official's headcount shows it
without a reload (Server-Sent Events); the official stands down and the volunteer is told.
Every page on the way is checked with axe-core."""

from __future__ import annotations

import re
import time
from typing import Any

from tests.browser.conftest import (
    AUTHENTICATOR_SECRETS,
    DEMO_PASSWORD,
    authenticator_code,
    axe_violations,
    format_violations,
    log_in,
)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
EMAIL = "aino.vapaaehtoinen@example.org"
OFFICIAL = "official@demo.example"


def check_accessibility(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n" + format_violations(violations)


def click_label(page: Any, selector: str) -> None:
    field = page.locator(selector)
    page.locator(f"label[for='{field.get_attribute('id')}']").click()
    assert field.is_checked()


def wait_for_mail(sink: Any, address: str, count: int, seconds: float = 30) -> list[Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        messages = sink.to(address)
        if len(messages) >= count:
            return messages
        time.sleep(0.2)
    raise AssertionError(f"{address} got {len(sink.to(address))} messages, expected {count}")


def test_the_crowd_journey(server: str, page_in: Any, mail_sink: Any) -> None:
    # 1. a resident volunteers on their phone, in Finnish, with consent
    phone = page_in("fi", **PHONE)
    phone.goto(server + "/crowds/join/")
    check_accessibility(phone, "sign-up")
    assert phone.locator("html").get_attribute("lang") == "fi"
    phone.locator("#id_name").fill("Aino")
    phone.locator("#id_email").fill(EMAIL)
    click_label(phone, "#id_channels_0")
    phone.locator("#id_areas").select_option(label="Kallio (Helsinki)")
    phone.locator("main form button[type='submit']").click()
    phone.wait_for_load_state()
    # without the consent nothing is stored and the page says why
    assert phone.locator(".hds-checkbox__error-text").count() == 1
    check_accessibility(phone, "sign-up with an error")
    click_label(phone, "#id_consent")
    phone.locator("main form button[type='submit']").click()
    phone.wait_for_url(re.compile(r"/crowds/v/"))
    check_accessibility(phone, "volunteer page")

    # 2. an official creates a call for Kallio, sees the reach, sends it
    official = page_in("fi")
    log_in(official, server, OFFICIAL)
    official.goto(server + "/crowds/calls/new/")
    # the calls need two-step sign-in: the official sets up an authenticator app on the way
    official.wait_for_url(re.compile(r"/two-step/"))
    check_accessibility(official, "two-step explanation")
    official.locator("main a[href$='/accounts/2fa/totp/activate/']").click()
    official.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    official.locator("input[name='password']").fill(DEMO_PASSWORD)
    official.locator("main form button[type='submit']").click()
    official.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    check_accessibility(official, "authenticator set-up")
    AUTHENTICATOR_SECRETS[OFFICIAL] = official.locator("#authenticator_secret").input_value()
    official.locator("input[name='code']").fill(authenticator_code(OFFICIAL))
    official.locator("main form button[type='submit']").click()
    official.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    check_accessibility(official, "recovery codes")
    official.goto(server + "/crowds/calls/new/")
    check_accessibility(official, "new call")
    official.locator("#id_title").fill("Myrsky kaatoi puita Kalliossa")
    official.locator("#id_instructions_fi").fill("Tuo sahat ja hanskat. Kokoontuminen puistossa.")
    official.locator("#id_areas").select_option(label="Kallio (Helsinki)")
    official.locator("#id_needed").fill("1")
    official.locator("button[value='estimate']").click()
    official.wait_for_load_state()
    reach = int(official.locator(".crowds-reach__total").inner_text().split()[0])
    assert reach >= 1
    official.locator("button[value='save']").click()
    official.wait_for_url(re.compile(r"/crowds/calls/\d+/$"))
    check_accessibility(official, "draft call with its reach")
    click_label(official, "#send-confirm")
    official.locator("form[action$='/send/'] button[type='submit']").click()
    official.wait_for_load_state()
    official.wait_for_selector(".crowds-live[data-events]")
    check_accessibility(official, "headcount")
    official.evaluate("window.__notReloaded = true")
    assert official.locator("[data-count='coming']").inner_text() == "0"

    # 3. the message arrives in the SMTP server, in Finnish, with one-tap links
    message = wait_for_mail(mail_sink, EMAIL, 1)[0]
    body = message.get_content()
    assert "Tuo sahat ja hanskat" in body
    link = re.search(r"(http://\S+\?a=coming)", body).group(1)
    assert link.startswith(server)

    # 4. the volunteer opens the link and taps "coming" (the page never answers by itself)
    phone.goto(link)
    assert phone.locator(".crowds-current").count() == 0
    phone.locator("button[value='coming']").click()
    phone.wait_for_selector(".crowds-current")
    assert phone.locator(".hds-notification--success").count() == 1
    check_accessibility(phone, "answered")

    # 5. the official's headcount shows it without a reload
    official.wait_for_function(
        "document.querySelector(\"[data-count='coming']\").textContent.trim() === '1'",
        timeout=10_000,
    )
    assert official.evaluate("window.__notReloaded") is True
    assert "Aino" in official.locator("#headcount").inner_text()

    # 6. the official stands down; the volunteer is told
    official.locator("button[formaction$='/stand-down/']").click()
    official.wait_for_load_state()
    check_accessibility(official, "stood down")
    stand_down = wait_for_mail(mail_sink, EMAIL, 2)[1]
    assert "Työ on tehty" in stand_down.get_content()

    # 7. the official turns the authenticator app off again (the demo account is shared by the
    # other journeys, which sign in without it); the call pages close to them at once
    official.goto(server + "/accounts/2fa/totp/deactivate/")
    if "/reauthenticate/" in official.url:
        official.locator("input[name='password']").fill(DEMO_PASSWORD)
        official.locator("main form button[type='submit']").first.click()
        official.wait_for_url(re.compile(r"/accounts/2fa/totp/deactivate/"))
    check_accessibility(official, "turning the authenticator app off")
    official.locator("main form button[type='submit']").first.click()
    official.wait_for_url(re.compile(r"/accounts/2fa/$"))
    del AUTHENTICATOR_SECRETS[OFFICIAL]
    official.goto(server + "/crowds/")
    official.wait_for_url(re.compile(r"/two-step/"))
