#!/usr/bin/env python
"""Django's command-line utility; ``thrive`` is the same with a shorter name."""

from thrive.cli import main

if __name__ == "__main__":
    main()
