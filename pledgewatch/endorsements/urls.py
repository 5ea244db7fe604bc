"""/c/<slug>/pipeline/...: the board, stages and gates; the gates' evidence; by-law and talking
points. Each area keeps its own URL module."""

from pledgewatch.endorsements import urls_bylaw, urls_evidence, urls_pipeline

app_name = "endorsements"

urlpatterns = [*urls_pipeline.urlpatterns, *urls_evidence.urlpatterns, *urls_bylaw.urlpatterns]
