#!/usr/bin/env python3
"""Command-line entry point; see `python build.py --help`."""

from productenboek.cli import main, quick_exit

if __name__ == "__main__":
    quick_exit(main())
