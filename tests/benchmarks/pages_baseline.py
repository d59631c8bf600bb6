"""The pages benchmark's baseline: the same templates, rendered from fixed in-memory data.

``capture`` requests each benchmarked URL once from the real app, in process, and keeps
what each route handed to the template (template name and context: OfferView lists,
form, pager links, ...). ``create_app`` serves those contexts again through the site's
own Jinja environment (``web.templating.templates``: same filters, i18n and context
processors) from a bare Starlette route: no database, no query parsing, no dependency
injection. Its workers run with a database URL that cannot connect, so a render that
touched the database would fail the run instead of flattering the baseline.

The real app's routes sit behind the catch-all only so that ``url_for`` in the templates
resolves the same names to the same paths.
"""

from __future__ import annotations

import os
import pickle
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from aggregator.db import session_scope
from web import templating
from web.deps import get_session

CONTEXTS_ENV = "DAOGOU_BENCH_PAGE_CONTEXTS"
NO_DATABASE = "postgresql+psycopg://nobody@127.0.0.1:9/no-database-in-the-baseline"
Captured = dict[str, tuple[str, dict[str, Any]]]  # "path?query" -> (template, context)


def url_key(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def capture(engine: Engine, urls: list[str], *, base_url: str) -> Captured:
    """Each URL through the real app (in this process, on ``engine``); returns what each
    full-page render was given. ``base_url`` makes absolute links match the server's."""
    from web.app import create_app

    with warnings.catch_warnings():  # Starlette's nudge towards httpx2 (as in pytest's config)
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    app = create_app()

    def session() -> Iterator[Session]:
        with session_scope(engine) as s:
            yield s

    app.dependency_overrides[get_session] = session
    seen: list[tuple[str, dict[str, Any]]] = []
    original = templating.templates.TemplateResponse

    def recording(request: Request, name: str, context: dict[str, Any] | None = None,
                  *args: Any, **kwargs: Any) -> Any:
        seen.append((name, {k: v for k, v in (context or {}).items() if k != "request"}))
        return original(request, name, context, *args, **kwargs)

    captured: Captured = {}
    templating.templates.TemplateResponse = recording  # type: ignore[method-assign]
    try:
        with TestClient(app, base_url=base_url) as client:
            for url in urls:
                seen.clear()
                response = client.get(url)
                if response.status_code != 200 or len(seen) != 1:
                    raise RuntimeError(f"capturing {url}: status {response.status_code}, "
                                       f"{len(seen)} template renders")
                captured[url] = seen[0]
    finally:
        del templating.templates.TemplateResponse  # the class's method again
    return captured


def save(captured: Captured, path: Path) -> None:
    # The ORM objects in the contexts are detached and fully loaded (expire_on_commit=False).
    path.write_bytes(pickle.dumps(captured, protocol=pickle.HIGHEST_PROTOCOL))


def create_app() -> Starlette:
    """uvicorn ``--factory`` entry point; contexts come from the file in CONTEXTS_ENV."""
    from web.app import create_app as site

    # Our own file, written by save() in the parent process a moment ago.
    captured: Captured = pickle.loads(Path(os.environ[CONTEXTS_ENV]).read_bytes())  # noqa: S301

    async def render(request: Request) -> Response:
        key = url_key(request.scope["path"], request.scope["query_string"].decode())
        try:
            name, context = captured[key]
        except KeyError:
            return PlainTextResponse(f"not captured: {key}", status_code=404)
        return templating.templates.TemplateResponse(request, name, dict(context))

    async def healthz(_request: Request) -> Response:
        return PlainTextResponse("ok")

    routes = [Route("/healthz", healthz), Route("/{path:path}", render), *site().routes]
    return Starlette(routes=routes)
