"""Smoke test: Playwright drives Debian's chromium against a page served on localhost."""

INDEX = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <link rel="icon" href="data:,">
  <title>Before</title>
</head>
<body>
  <h1>Smoke test</h1>
  <button id="go" type="button" onclick="document.title = 'Clicked'">Click me</button>
</body>
</html>
"""


def test_click_sets_title(tmp_path, browser, serve_site):
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    base_url = serve_site(tmp_path)

    page = browser.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        response = page.goto(base_url + "index.html")
        assert response is not None and response.ok
        assert page.title() == "Before"
        page.click("#go")
        page.wait_for_function("document.title === 'Clicked'", timeout=5000)
        assert page.title() == "Clicked"
    finally:
        page.close()
    assert errors == []
