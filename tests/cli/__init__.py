"""psi-ps tests (a package, so its conftest does not shadow tests/python's)."""
