"""The bundled demo API that the sample suites and the tests run against."""

from keploy_tui.demo.auth import (
    API_KEY_HEADER,
    API_KEY_PARAM,
    DEMO_API_KEY,
    DEMO_PASSWORD,
    DEMO_TOKEN,
    DEMO_USERNAME,
)
from keploy_tui.demo.server import DemoServer, serve_forever

__all__ = [
    "API_KEY_HEADER",
    "API_KEY_PARAM",
    "DEMO_API_KEY",
    "DEMO_PASSWORD",
    "DEMO_TOKEN",
    "DEMO_USERNAME",
    "DemoServer",
    "serve_forever",
]
