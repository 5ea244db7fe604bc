from __future__ import annotations

import pytest

from pledgewatch.chapters.models import AbstentionRule, Chapter, Threshold


@pytest.mark.parametrize(
    ("threshold", "yes", "no", "abstain", "passes"),
    [
        (Threshold.TWO_THIRDS, 2, 1, 0, True),  # exactly 2/3
        (Threshold.TWO_THIRDS, 199, 101, 0, False),  # 66.33%
        (Threshold.MAJORITY, 5, 5, 0, False),  # a tie is not a majority
        (Threshold.MAJORITY, 6, 5, 0, True),
        (Threshold.SIXTY, 3, 2, 0, True),  # exactly 60%
        (Threshold.SIXTY, 59, 41, 0, False),
        (Threshold.THREE_QUARTERS, 3, 1, 0, True),
        (Threshold.TWO_THIRDS, 0, 0, 0, False),  # nobody voted
        (Threshold.TWO_THIRDS, 0, 0, 10, False),  # only abstentions
    ],
)
def test_threshold_arithmetic_at_the_boundaries(threshold, yes, no, abstain, passes):
    chapter = Chapter(endorsement_threshold=threshold)
    assert chapter.threshold_met(yes=yes, no=no, abstain=abstain) is passes


def test_abstentions_count_against_only_when_the_by_laws_say_so():
    # NYC-DSA: 60% of yes+no, abstentions not counted.
    chapter = Chapter(endorsement_threshold=Threshold.SIXTY)
    assert chapter.threshold_met(yes=6, no=4, abstain=5) is True
    chapter.abstention_rule = AbstentionRule.AGAINST
    assert chapter.threshold_met(yes=6, no=4, abstain=5) is False


@pytest.mark.parametrize(
    ("percent", "cast", "eligible", "met"),
    [(5, 5, 100, True), (5, 4, 100, False), (10, 90, 898, True), (10, 89, 898, False),
     (0, 0, 10, True), (10, 0, 0, False)],
)  # fmt: skip
def test_quorum_is_a_share_of_eligible_members(percent, cast, eligible, met):
    chapter = Chapter(quorum_percent=percent)
    assert chapter.quorum_met(ballots_cast=cast, eligible=eligible) is met


def test_timezone_must_be_a_real_zone(chapter):
    from django.core.exceptions import ValidationError

    chapter.timezone = "America/Gotham"
    with pytest.raises(ValidationError):
        chapter.full_clean()
