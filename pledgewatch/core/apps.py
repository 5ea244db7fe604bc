from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pledgewatch.core"
    verbose_name = "Core"
