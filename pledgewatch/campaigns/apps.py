from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "pledgewatch.campaigns"
    verbose_name = "Issue campaigns"
