"""keploy-tui: run Keploy API test suites from a terminal."""

__version__ = "0.1.0"
