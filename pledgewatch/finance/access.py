"""The only way views reach finance data: through request.chapter (see chapters.access), so an
id from another chapter is a 404."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from pledgewatch.finance.models import (
    ChapterPolicy,
    ConflictOrganization,
    FinanceImport,
    Finding,
    NeverFlagEntry,
    StoredFiling,
)
from pledgewatch.finance.services import get_or_create_policy


def get_import_for(request: HttpRequest, pk: int) -> FinanceImport:
    chapter = request.chapter  # type: ignore[attr-defined]
    return get_object_or_404(
        FinanceImport.objects.select_related("candidate", "uploaded_by").filter(
            candidate__chapter=chapter
        ),
        pk=pk,
    )


def get_finding_for(request: HttpRequest, pk: int) -> Finding:
    chapter = request.chapter  # type: ignore[attr-defined]
    return get_object_or_404(
        Finding.objects.select_related("candidate", "contribution__stored_filing").filter(
            candidate__chapter=chapter
        ),
        pk=pk,
    )


def get_filing_for(request: HttpRequest, pk: int) -> StoredFiling:
    chapter = request.chapter  # type: ignore[attr-defined]
    return get_object_or_404(StoredFiling.objects.filter(candidate__chapter=chapter), pk=pk)


def get_policy_for(request: HttpRequest) -> ChapterPolicy:
    """The chapter's conflict policy, made from the shipped default on first use."""
    return get_or_create_policy(request.chapter, by=request.user)  # type: ignore[attr-defined]


def get_organization_for(request: HttpRequest, pk: int) -> ConflictOrganization:
    chapter = request.chapter  # type: ignore[attr-defined]
    return get_object_or_404(
        ConflictOrganization.objects.select_related("policy").filter(policy__chapter=chapter),
        pk=pk,
    )


def get_never_flag_for(request: HttpRequest, pk: int) -> NeverFlagEntry:
    chapter = request.chapter  # type: ignore[attr-defined]
    return get_object_or_404(
        NeverFlagEntry.objects.select_related("policy").filter(policy__chapter=chapter), pk=pk
    )
