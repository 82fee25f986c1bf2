"""Organisation pages, one module per part of the register."""
