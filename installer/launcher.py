"""The bundle's entry point: the same ``window-desk`` command as a source install."""

import sys

from window_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
