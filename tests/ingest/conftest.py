"""Fixtures of the ingest tests: a small news page, written for these tests (no third-party text)."""

from __future__ import annotations

import pytest

#: The paragraphs of the test article, as the extracted text must give them.
PARAGRAPHS = [
    (
        "The city council of Eastbrook voted on Tuesday to close the old river bridge to cars "
        "from next spring, ending months of debate about the cost of repairing it."
    ),
    (
        "“The bridge has served this town for ninety years, but it cannot carry today’s traffic,” "
        "said Mayor Helen Adebayo, who proposed the closure in March."
    ),
    (
        "Engineers who inspected the structure last year found cracks in two of its supports. "
        "According to their report, a full repair would cost about four million pounds."
    ),
    (
        "Shop owners on the east bank were less pleased. “People will simply stop coming over,” "
        "said Tomas Lindqvist, who runs a bakery near the bridge. He said that footfall had "
        "already fallen since the speed limit was lowered."
    ),
    (
        "The council said a new crossing for buses and bicycles would be built by 2028, and that "
        "pedestrians would still be able to use the old bridge in the meantime."
    ),
]


def article_page(paragraphs: list[str] = PARAGRAPHS, *, charset: str = "utf-8") -> str:
    """An HTML news page with metadata, navigation, a sidebar, comments and a footer around the text."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="{charset}">
<title>Eastbrook votes to close river bridge to cars | The Eastbrook Courier</title>
<meta property="og:title" content="Eastbrook votes to close river bridge to cars">
<meta property="og:site_name" content="The Eastbrook Courier">
<meta name="author" content="Jane Okafor">
<meta property="article:published_time" content="2024-05-14T09:30:00Z">
</head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main>
<article>
<h1>Eastbrook votes to close river bridge to cars</h1>
<p class="byline">By Jane Okafor</p>
{body}
</article>
<aside class="related"><h2>Read more</h2><ul>
<li><a href="/a">“We were never asked,” residents say of the new car park</a></li>
<li><a href="/b">Council tax to rise by three per cent</a></li></ul></aside>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p>Reader42: This is a terrible decision and everyone knows it.</p></div>
</section>
</main>
<footer><p>Copyright 2024 The Eastbrook Courier. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body>
</html>
"""


@pytest.fixture
def page_html() -> str:
    """The test article as an HTML page in UTF-8."""
    return article_page()
