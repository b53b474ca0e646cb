"""``python -m chiso``: see chiso.cli."""
import sys

from chiso.cli import main

if __name__ == "__main__":
    sys.exit(main())
