from django.apps import AppConfig


class ChaptersConfig(AppConfig):
    name = "pledgewatch.chapters"
    verbose_name = "Chapters"
