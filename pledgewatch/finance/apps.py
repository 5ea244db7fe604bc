from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "pledgewatch.finance"
    verbose_name = "Campaign finance"
