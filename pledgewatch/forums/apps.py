from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "pledgewatch.forums"
    verbose_name = "Forums and organizations"
