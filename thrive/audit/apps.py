from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "thrive.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from thrive.audit import rules  # noqa: F401  # lazy: registers the policy rules
