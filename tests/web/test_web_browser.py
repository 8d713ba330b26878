"""The app as a person uses it, in headless Chromium: paste, look, hover, tab, narrow screen.

Skipped (with the reason) when ``/usr/bin/chromium`` or Playwright is missing;
``.ci/run`` installs Chromium.
"""

from __future__ import annotations

import re

from test_web_app import HOSTILE

from accordingto.web.analyzer import example_text


def _analyze_example(page, live_url: str) -> None:
    page.goto(live_url + "/")
    page.fill("#text", example_text())
    page.click("button[type=submit]")
    page.wait_for_selector("#article-text a.q")


def test_paste_the_example_and_see_highlights(page, live_url):
    _analyze_example(page, live_url)
    assert "/analysis/a_" in page.url
    assert (
        page.locator("h1").first.inner_text() == "City council delays vote on Harbor Bridge repairs"
    )
    highlights = page.locator("#article-text a.q")
    assert highlights.count() >= 10
    # speakers are coloured differently: Ortiz's and Okafor's highlights differ
    ortiz = page.locator("#article-text a.q", has_text="We cannot ask taxpayers").first
    okafor = page.locator("#article-text a.q", has_text="Every month we wait").first
    colour = "el => getComputedStyle(el).backgroundColor"
    assert ortiz.evaluate(colour) != okafor.evaluate(colour)
    assert ortiz.evaluate(colour) not in ("rgba(0, 0, 0, 0)", "transparent")
    # the petition title is not speech and looks different
    title = page.locator("#article-text .mark-title")
    assert title.inner_text() == "“Fix Our Bridge Now”"
    assert title.evaluate("el => getComputedStyle(el).fontStyle") == "italic"
    assert (
        page.locator(".panel").inner_text().count("Riverton Gazette") >= 2
    )  # speakers and outlets
    assert page.dialogs == []


def test_hover_shows_speaker_cue_kind_confidence_and_chain(page, live_url):
    _analyze_example(page, live_url)
    page.locator("#article-text a.q", has_text="The bridge is safe for now").first.hover()
    pop = page.locator("#popover")
    pop.wait_for(state="visible")
    text = pop.inner_text()
    for expected in (
        "a city engineer",
        "direct",
        "wrote",
        "Reports\nspeech",
        "Via\nRiverton Gazette",
    ):
        assert expected in text
    assert re.search(r"Confidence\n[01]\.\d\d", text)  # calibrated: its value may change
    assert "Chain" not in text  # no row that repeats the speaker
    page.keyboard.press("Escape")
    assert pop.is_hidden()


def test_keyboard_focus_opens_the_popover(page, live_url):
    _analyze_example(page, live_url)
    first = page.locator("#article-text a.q").first
    first.focus()
    assert page.evaluate("document.activeElement.dataset.q") == first.get_attribute("data-q")
    page.locator("#popover").wait_for(state="visible")
    page.keyboard.press("Tab")  # the next quotation takes the focus and the popover
    assert page.evaluate("document.activeElement.classList.contains('q')")
    assert page.locator("#popover").is_visible()


def test_open_a_speaker_in_the_side_panel(page, live_url):
    _analyze_example(page, live_url)
    okafor = page.locator(".speakers details", has_text="Daniel Okafor")
    okafor.locator("summary").click()
    links = okafor.locator(".their-quotes a")
    assert links.count() == 3
    links.first.click()
    assert page.url.endswith("#" + links.first.get_attribute("href")[1:])
    assert "Daniel Okafor" in page.locator(".card:target .card-head").inner_text()


def test_works_without_javascript(browser, live_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_url + "/?example=1")
    page.click("button[type=submit]")
    page.wait_for_selector("#article-text a.q")
    link = page.locator("#article-text a.q").first
    assert "said" in link.get_attribute("title") or "warned" in link.get_attribute("title")
    link.click()  # a plain link to the quotation's card
    assert page.locator(".card:target").count() == 1
    context.close()


def test_narrow_screen_has_no_sideways_scrolling(browser, live_url):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    _analyze_example(page, live_url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    panel, text = (
        page.locator(".panel").bounding_box(),
        page.locator("#article-text").bounding_box(),
    )
    assert panel["y"] > text["y"] and panel["width"] <= 375  # one column: the panel below
    page.locator("#article-text a.q").nth(1).tap()  # a first tap shows the card …
    page.locator("#popover").wait_for(state="visible")
    assert "#" not in page.url  # … and stays in the text
    box = page.locator("#popover").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.locator("#article-text a.q").nth(1).tap()  # a second tap goes to the card
    page.wait_for_url("**#q_*")
    context.close()


def test_hostile_upload_runs_no_script(page, live_url, tmp_path):
    path = tmp_path / "hostile.html"
    path.write_bytes(HOSTILE)
    page.goto(live_url + "/")
    page.set_input_files("#file", str(path))
    page.click("button[type=submit]")
    page.wait_for_selector("#article-text")
    assert "Jane Doe" in page.locator("#article-text").inner_text()
    page.locator("#article-text a.q").first.hover()
    page.wait_for_timeout(200)
    assert page.dialogs == []
    assert (
        page.evaluate("document.querySelectorAll('#main script, #main iframe, #main img').length")
        == 0
    )


def test_search_a_corpus_and_open_a_speaker(page, corpus_url):
    page.goto(corpus_url + "/corpus")
    page.fill("#q", "ferry")
    page.keyboard.press("Enter")  # the search form works from the keyboard
    page.wait_for_selector(".results li")
    assert page.locator(".results li").count() == 3
    assert page.locator(".results mark.hit").first.inner_text().lower() == "ferry"
    page.locator(".results a", has_text="Lena Voss").first.click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Lena Voss"
    chart = page.locator("svg.chart")
    assert chart.get_attribute("aria-label") == "Quotations of Lena Voss per month"
    assert chart.locator("rect").count() == 3
    page.locator("a", has_text="Coast Gazette").first.click()  # on to an outlet
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Coast Gazette"
    assert page.dialogs == []


def test_provenance_page_from_search(page, corpus_url):
    page.goto(corpus_url + '/search?q="probably run"')
    page.locator(".results li a").first.click()
    page.wait_for_selector("h1")
    assert "Where this quotation comes from" in page.locator("h1").inner_text()
    assert page.locator("tr.rel-altered").count() == 2  # both earlier wordings differ from it


def test_api_docs_run_under_their_policy(page, live_url):
    """/docs and /redoc have a CSP too: their inline script runs (allowed by its hash)."""
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(live_url + "/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "accordingto" in page.locator(".swagger-ui .info .title").inner_text()
    page.goto(live_url + "/redoc")
    page.wait_for_selector("redoc h1, .api-info h1, [role=main] h1", timeout=15_000)
    # ReDoc's "powered by" logo from its CDN is blocked, as it should be; nothing else is
    assert [v for v in violations if "cdn.redoc.ly" not in v] == [], violations


def test_search_filters_in_the_form(page, corpus_url):
    page.goto(corpus_url + "/search?q=ferry")
    page.click(".search .filters summary")
    page.fill("#f-outlet", "Coast Gazette")
    page.click(".search button[type=submit]")
    page.wait_for_selector("ol.results")
    assert page.locator("ol.results li").count() == 1 and "outlet=Coast+Gazette" in page.url
    page.goto(corpus_url + "/search?q=al-Tanf+F-16")  # everyday words: no error, the form stays
    assert (
        page.locator("#q").input_value() == "al-Tanf F-16" and page.locator(".error").count() == 0
    )


def test_hover_an_event_shows_what_happened_and_who_claims_it(page, live_url):
    page.goto(live_url + "/")
    page.fill(
        "#text",
        "Russian forces shelled the port of Odesa on Monday.\n\n"
        "The mayor said Ukraine might strike back.\n",
    )
    page.click("button[type=submit]")
    page.wait_for_selector("#article-text a.ev-link")
    page.locator("#article-text a.ev-link", has_text="shelled").first.hover()
    pop = page.locator("#popover")
    pop.wait_for(state="visible")
    text = pop.inner_text()
    assert "happened" in text and "claimed by the author" in text and "Go to this event" in text
    # a possible strike is marked, in words too
    assert "hypothetical" in page.locator("#article-text").inner_text()
    assert page.dialogs == []
