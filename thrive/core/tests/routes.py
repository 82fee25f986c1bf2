from thrive.testing.routes import Expect, public

ROUTES = {
    "core:home": public(),
    "core:healthz": public(),
    "core:accessibility": public(),
    "core:privacy": public(),
}

__all__ = ["ROUTES", "Expect"]
