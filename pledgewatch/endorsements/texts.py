"""Fixed texts of the endorsement pipeline: the model rescission by-law a chapter starts from,
and DSA's five healthcare principles for the talking points packet.

The principles are quoted word for word from DSA's Medicare for All campaign; do not edit them
here (tests compare them with the research notes). The model by-law is our own text, written in
the spirit of the public precedent credited at its end; each chapter edits it before adopting.
"""

from __future__ import annotations

from dataclasses import dataclass

from pledgewatch.chapters.models import Chapter

# --- DSA's five principles -------------------------------------------------------------------

PRINCIPLES_SOURCE_URL = "https://medicareforall.dsausa.org/blog/medicare-for-all-and-nothing-less"
PRINCIPLES_SOURCE_TITLE = "Medicare for All and Nothing Less (DSA Medicare for All campaign)"
PRINCIPLES_INTRO = "Our Medicare for All advocacy is built around five simple principles:"


@dataclass(frozen=True)
class Principle:
    number: int
    name: str
    text: str


PRINCIPLES: tuple[Principle, ...] = (
    Principle(
        1,
        "A single health program",
        "Everyone will be covered by one health insurance program, administered by the federal "
        "government, and have equal access to all medical services and treatments.",
    ),
    Principle(
        2,
        "Comprehensive coverage",
        "All services requiring a medical professional will be fully covered. You go to the "
        "doctor of your choice. Dental, vision, mental health, and pharmaceuticals are all "
        "included.",
    ),
    Principle(
        3,
        "Free at the point of service",
        "All healthcare costs will be financed through tax contributions based on ability to "
        "pay: no copays, no fees, no deductibles and no premiums. Ever.",
    ),
    Principle(
        4,
        "Universal coverage",
        "Coverage for all United States residents \u2014 non-citizens included.",
    ),
    Principle(
        5,
        "Jobs",
        "A jobs initiative and severance for those affected by the transition to government-run "
        "healthcare.",
    ),
)

# --- The model rescission by-law -------------------------------------------------------------

BYLAW_PRECEDENT_TITLE = (
    "Philly DSA Resolution 2:18:4, \u201cEstablish the Right to Rescind Endorsement\u201d"
)
BYLAW_PRECEDENT_URL = "https://www.phillydsa.org/resolution_2_18_4"

_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()


def count_words(n: int) -> str:
    """A count as a by-law writes it: "five (5)"; past twenty, the digits alone."""
    if 0 <= n < len(_NUMBER_WORDS):
        return f"{_NUMBER_WORDS[n]} ({n})"
    return f"{n:,}"


def model_bylaw_text(chapter: Chapter) -> str:
    """The model resolution, with the chapter's name and its petition size filled in."""
    name = chapter.name
    size = chapter.rescission_petition_size
    members = "member" if size == 1 else "members"
    paragraphs = [
        "Resolution: Establish the Right to Rescind an Endorsement",
        f"Whereas {name} endorses candidates for public office so that they will fight for "
        "Medicare for All and for working people, not for the industries that profit from our "
        "illness;",
        "Whereas every campaign regularly files reports of its contributions with the election "
        "authorities, and those filings are public;",
        "Whereas a candidate who takes money from donors whose interests conflict with the "
        "platform the chapter endorsed cannot be trusted to keep that platform once elected, and "
        "an endorsement the chapter cannot withdraw lends our members' work and name to that "
        "money;",
        "Therefore be it resolved:",
        f"1. Conflicting donations. As a condition of its endorsement, every candidate {name} "
        "endorses publicly refuses contributions from donors whose interests conflict with the "
        "candidate's stated platform and with Medicare for All, as the chapter's conflict policy "
        "lists them (among them health insurers, pharmaceutical companies, for-profit hospital "
        "systems, and their trade associations and political action committees).",
        "2. Petition. If such a contribution appears in an endorsed candidate's campaign-finance "
        f"filings, no fewer than {count_words(size)} {members} of {name} in good standing may "
        "petition the chapter to publicly rescind the endorsement. The petition names the filing "
        "and the contribution.",
        "3. Response. The chapter tells the candidate of the petition and invites a written "
        "response, which is shared with the members before they vote.",
        "4. Vote. The chapter holds a vote of its members in good standing on the petition within "
        "thirty (30) days of receiving it, under the same rules it uses to decide an endorsement.",
        "5. Public rescission. If the vote carries, the chapter publicly rescinds the endorsement, "
        "publishes its reasons with the filing that prompted the petition, and ends all support "
        "for the campaign.",
        "6. Notice. The chapter gives every candidate a copy of this resolution before it votes on "
        "their endorsement.",
        f"This resolution is modelled on {BYLAW_PRECEDENT_TITLE} ({BYLAW_PRECEDENT_URL}).",
    ]
    return "\n\n".join(paragraphs) + "\n"
