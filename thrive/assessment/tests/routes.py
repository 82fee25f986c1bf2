from thrive.testing.routes import Expect

ROUTES: dict = {}

__all__ = ["ROUTES", "Expect"]
