from thrive.testing.routes import only

READERS = ("council_admin", "strategy_group", "system_admin")
ROUTES = {"audit:list": only(*READERS), "audit:export": only(*READERS)}
