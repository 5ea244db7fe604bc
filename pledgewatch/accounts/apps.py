from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pledgewatch.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from pledgewatch.accounts import signals  # noqa: F401
