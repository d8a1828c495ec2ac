"""Allow ``python -m pozirk_reader``."""

from pozirk_reader.cli.commands import main

raise SystemExit(main())
