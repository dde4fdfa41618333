from keploy_tui.cli import entry

entry()
