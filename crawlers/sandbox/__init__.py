"""Local stand-in for the partner networks, used by the demo and the tests.

``create_sandbox_app(SandboxConfig(...))`` builds the Starlette app;
``python -m crawlers.sandbox`` serves it with uvicorn.
"""

from crawlers.sandbox.app import SandboxConfig, create_sandbox_app

__all__ = ["SandboxConfig", "create_sandbox_app"]
