"""``accordingto serve``: a local web app that shows who said what, one article or a corpus.

>>> from accordingto.web import WebSettings, create_app
>>> app = create_app(WebSettings())          # doctest: +SKIP
>>> # uvicorn.run(app, host="127.0.0.1", port=8000)

See ``docs/web.md``.
"""

from .app import create_app
from .settings import WebSettings

__all__ = ["WebSettings", "create_app"]
