from keploy_tui.cli import main

raise SystemExit(main())
