from keploy_tui.console import entry

entry()
