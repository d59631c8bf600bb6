"""The ASGI application: ``web.app:app``, built by ``create_app()``."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from web.errors import install_error_handlers
from web.routes import api, browse, health, locale, pages, seo

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app() -> FastAPI:
    app = FastAPI(title="daogou", version="1", docs_url="/api/docs",
                  swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
                  openapi_url="/api/v1/openapi.json", redoc_url=None)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(health.router)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(browse.router)
    app.include_router(seo.router)
    app.include_router(locale.router)
    install_error_handlers(app)
    return app


app = create_app()
