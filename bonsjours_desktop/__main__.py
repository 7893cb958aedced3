"""python -m bonsjours_desktop → cli.main()."""

import sys

from bonsjours_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
