from django.apps import AppConfig


class EndorsementsConfig(AppConfig):
    name = "pledgewatch.endorsements"
    verbose_name = "Endorsements"
