"""The language switcher: ``GET /lang/{code}?next=/path`` remembers the choice in a cookie.

Pages keep one language-neutral URL each (see web.templating.LocalizedTemplates); the
cookie beats Accept-Language on every later request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from web import i18n

router = APIRouter(include_in_schema=False)


@router.get("/lang/{code}", name="set_language")
def set_language(request: Request, code: str,
                 next_path: Annotated[str, Query(alias="next")] = "/") -> Response:
    locale = i18n.locale_from_tag(code)
    if locale is None:
        raise HTTPException(404)
    # 303: the browser follows with a GET to the page it came from, and only ever to a
    # path on this site (safe_next), so the switcher cannot be used as an open redirect.
    response = RedirectResponse(i18n.safe_next(next_path), status_code=303,
                                headers={"cache-control": "no-store"})
    response.set_cookie(i18n.COOKIE_NAME, locale, max_age=i18n.COOKIE_MAX_AGE, path="/",
                        samesite="lax", secure=request.url.scheme == "https")
    return response
