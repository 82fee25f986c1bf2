from thrive.testing.routes import only

ROUTES = {"audit:list": only("council_admin", "strategy_group", "system_admin")}
