from thrive.testing.routes import Expect, public, signed_in

ROUTES = {
    "core:home": public(),
    "core:healthz": public(),
    "core:accessibility": public(),
    "core:privacy": public(),
    "core:tasks": signed_in(),
}

__all__ = ["ROUTES", "Expect"]
