"""Allow ``python -m pozirk_reader``."""

from pozirk_reader.cli import main

raise SystemExit(main())
