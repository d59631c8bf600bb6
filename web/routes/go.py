"""``/go/{code}``: record the click, then 302 to the partner URL carrying its sub-id.

Not a FastAPI route: dependency injection, validation and a per-request session cost
more than everything else here (DESIGN.md: a bare Starlette route answers ~12k
redirects/s, through FastAPI's DI ~6k), and so, measured, does the rest of FastAPI's
stack (telemetry, body limit, exception middleware, a router of ~60 routes): GET and
HEAD /go/{code} are answered by ``GoFirst`` in front of it all. The work is in
:class:`aggregator.affiliate.tracker.ClickTracker`; clicks are stored by group commit
and this route answers only once its click's transaction has committed.

Answers, all ``Cache-Control: no-store`` (every tap must reach us to be counted):
- a known code: 302 to the partner URL (checked against the partner's allowed hosts),
  or to the site's product page when the offer cannot be followed;
- an unknown code: 302 to the home page;
- the database not taking the click: 503 with Retry-After, never an unrecorded 302.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from aggregator.affiliate.click_writer import ClickNotStored
from aggregator.affiliate.tracker import ClickTracker
from aggregator.affiliate.visitors import PURPOSE_HEADERS

# The partner sees that a visitor came from this site (some networks check that traffic
# comes from the publisher's registered site) but not the path, which holds the code.
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "strict-origin-when-cross-origin"}
STATE_KEY = "click_tracker"
PREFIX = "/go/"


async def go(request: Request) -> Response:
    tracker: ClickTracker = getattr(request.app.state, STATE_KEY)
    client = request.client
    agent = purpose = None
    for name, value in request.scope["headers"]:  # one pass, no Headers object
        if name == b"user-agent":
            agent = value.decode("latin-1")
        elif name in PURPOSE_HEADERS:
            purpose = value.decode("latin-1")
    try:
        visit = await tracker.visit(code=request.path_params["code"], method=request.method,
                                    ip=client.host if client else "", user_agent=agent,
                                    purpose=purpose)
    except ClickNotStored:
        return PlainTextResponse("Busy: please try again.", status_code=503,
                                 headers={**HEADERS, "Retry-After": "1"})
    if visit.click_id is None:
        location = str(request.app.url_path_for("home"))
    elif visit.partner_url is not None:
        location = visit.partner_url
    else:
        location = str(request.app.url_path_for("product_page", product_id=visit.product_id))
    return RedirectResponse(location, status_code=302, headers=HEADERS)


class GoFirst:
    """Pure ASGI wrapper answering GET/HEAD /go/{code} ahead of the whole FastAPI stack
    (its telemetry, body-limit and exception middleware, router and per-route
    machinery), which costs more than the rest of a click; every other request passes
    through untouched. The same endpoint is also a named route, for
    ``url_for("go", code=...)`` and other methods' 405. An error here reaches uvicorn,
    which logs it and answers 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            code = _code_of(scope)
            if code is not None:
                scope["path_params"] = {"code": code}
                response = await go(Request(scope, receive))
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _code_of(scope: Scope) -> str | None:
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root):]
    if not path.startswith(PREFIX):
        return None
    code = path[len(PREFIX):]
    return code if code and "/" not in code else None


def install(app: Starlette, tracker: ClickTracker | None = None) -> None:
    """Add the route (GET and HEAD), its shortcut and the app's tracker (tests pass
    their own, or replace ``app.state.click_tracker`` before the first request)."""
    setattr(app.state, STATE_KEY, tracker or ClickTracker())
    app.add_route(PREFIX + "{code}", go, methods=["GET", "HEAD"], name="go")
    # Starlette builds its middleware stack on the first request, by calling this: the
    # shortcut goes outside everything, including middleware added after this call.
    build = app.build_middleware_stack

    def build_with_go_first() -> ASGIApp:
        return GoFirst(build())

    app.build_middleware_stack = build_with_go_first  # type: ignore[method-assign]
