"""The ASGI application: ``web.app:app``, built by ``create_app()``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from aggregator.search.tokens import warm_up
from web.errors import install_error_handlers
from web.routes import api, auth, browse, go, health, locale, me, pages, postbacks, seo, share

STATIC_DIR = Path(__file__).resolve().parent / "static"


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    warm_up()  # each worker loads the word list before it serves, not during a search
    yield


def create_app() -> FastAPI:
    app = FastAPI(lifespan=lifespan, title="daogou", version="1", docs_url="/api/docs",
                  swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
                  openapi_url="/api/v1/openapi.json", redoc_url=None)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(health.router)
    app.include_router(api.router)
    app.include_router(postbacks.router)
    app.include_router(pages.router)
    app.include_router(browse.router)
    app.include_router(seo.router)
    app.include_router(locale.router)
    app.include_router(share.router)
    go.install(app)  # a plain Starlette route: /go must stay cheap
    app.include_router(auth.router)
    app.include_router(me.pages)
    app.include_router(me.api)
    install_error_handlers(app)
    return app


app = create_app()
