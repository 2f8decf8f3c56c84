"""`python -m ttcm.cli …`: the same as the `ttcm` console script."""

from ttcm.cli.main import main

raise SystemExit(main())
