"""The conflict policy as data: organizations, their names and PACs, tiers, and thresholds.

A policy is plain data (JSON in the shape of data/m4a_default_policy.json, or a chapter's
edited copy from the database) compiled once into lookups the matching rules use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from cleanco import basename

from pledgewatch.finance.records import Prefilter, SourceError

DEFAULT_POLICY_PATH = Path(__file__).parent / "data" / "m4a_default_policy.json"
TIERS = {1: "conflict", 2: "review", 3: "informational"}

# Words too common in employer and committee names to let a row through a bulk prefilter on
# their own (a spelling made only of these is matched as a phrase instead).
COMMON_WORDS = frozenset(
    """
OF THE AND & FOR AT IN ON A AN INC LLC LLP LP LTD CO CORP CORPORATION COMPANY COMPANIES GROUP
HOLDINGS INTERNATIONAL NATIONAL AMERICAN AMERICA AMERICAS UNITED US USA FEDERAL STATE STATES
HEALTH HEALTHCARE CARE MEDICAL MEDICINE HOSPITAL HOSPITALS CLINIC CENTER CENTERS SYSTEM SYSTEMS
SERVICE SERVICES SOLUTIONS MANAGEMENT PARTNERS ASSOCIATES ASSOCIATION COUNCIL FEDERATION
INSTITUTE SOCIETY COLLEGE UNIVERSITY BLUE CROSS SHIELD PLAN PLANS INSURANCE LIFE MUTUAL
FINANCIAL CAPITAL TRUST FUND PAC COMMITTEE POLITICAL ACTION EMPLOYEES EMPLOYEE GOOD GOVERNMENT
NEW YORK TEXAS CALIFORNIA FLORIDA NORTH SOUTH EAST WEST CENTRAL GREATER NORTHERN SOUTHERN
CORPORATE ENTERPRISES INDUSTRIES PHARMACEUTICAL PHARMACEUTICALS PHARMA LABS LABORATORIES
SCIENCES THERAPEUTICS BIO DRUG DRUGS NET STA
""".split()
)
# Postal codes (and all one- and two-letter words): "BLUE CROSS BLUE SHIELD OF NC" must not let
# every row with NC in a name through (nor "AMERICA'S" -> "AMERICA S" every S).
STATE_CODES = frozenset(
    """
AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM
NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP
""".split()
)


def _distinctive(word: str) -> bool:
    """Whether one word is rare enough to let a row through a bulk prefilter on its own."""
    return len(word) > 2 and word not in COMMON_WORDS and word not in STATE_CODES


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Uppercase words separated by single spaces, '&' kept as a word: the form both names and
    aliases take before whole-word matching. "Pfizer, Inc." -> "PFIZER INC";
    "JOHNSON&JOHNSON" -> "JOHNSON & JOHNSON". Legal suffixes stay: matching is on whole words
    inside the name, so they do no harm, and cutting them loses words that matter
    ("HEALTH CARE SERVICE CORPORATION", "BCBS OF SC").
    """
    text = text.upper().replace("&", " & ")
    return " ".join(re.sub(r"[^A-Z0-9& ]+", " ", text).split())


def company_basename(text: str) -> str:
    """A company name without its legal suffix (cleanco), normalized: for comparing spellings
    ("PFIZER, INC." and "Pfizer Inc" are both "PFIZER"), never for deciding a match."""
    norm = normalize(text)
    return normalize(basename(norm)) or norm


@dataclass
class Organization:
    name: str
    tier: int
    industry: str = ""
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)
    brands: list[str] = field(default_factory=list)
    subsidiaries: list[str] = field(default_factory=list)
    former_names: list[str] = field(default_factory=list)
    fec_committee_ids: list[str] = field(default_factory=list)
    pahcf_member: bool = False
    sources: list[dict[str, str]] = field(default_factory=list)

    @property
    def match_names(self) -> list[str]:
        """Every spelling that identifies this organization, normalized."""
        names = [self.name, *self.aliases, *self.brands, *self.subsidiaries, *self.former_names]
        return sorted({n for n in (normalize(x) for x in names) if n})


@dataclass
class NeverFlag:
    name: str
    aliases: list[str] = field(default_factory=list)
    fec_committee_ids: list[str] = field(default_factory=list)
    reason: str = ""
    sources: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Thresholds:
    committee_min: Decimal = Decimal(0)  # committee/organization money above this is flagged
    individual_over: Decimal = Decimal(200)  # an executive's net total per cycle above this
    employee_review_over: Decimal = Decimal(1000)  # an ordinary employee's, for review


@dataclass
class Policy:
    name: str
    organizations: list[Organization]
    executive_occupation_pattern: str
    never_flag: list[NeverFlag] = field(default_factory=list)
    thresholds: Thresholds = field(default_factory=Thresholds)
    version: str = ""
    description: str = ""

    # --- loading ----------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, origin: str = "policy") -> Policy:
        if not isinstance(data, dict):
            raise SourceError(
                "not a conflict policy in Pledgewatch's format (expected a JSON object with "
                "name, organizations and executive_occupation_pattern)",
                path=origin,
            )
        try:
            thresholds = Thresholds(
                **{k: Decimal(str(v)) for k, v in data.get("thresholds", {}).items()}
            )
            orgs = [Organization(**o) for o in data["organizations"]]
            never = [NeverFlag(**n) for n in data.get("never_flag", [])]
            policy = cls(
                name=data["name"],
                version=str(data.get("version", "")),
                description=data.get("description", ""),
                organizations=orgs,
                never_flag=never,
                thresholds=thresholds,
                executive_occupation_pattern=data["executive_occupation_pattern"],
            )
            re.compile(policy.executive_occupation_pattern)
        except (KeyError, TypeError, ValueError, ArithmeticError, re.error) as exc:
            raise SourceError(f"not a conflict policy in Pledgewatch's format ({exc})",
                              path=origin) from None  # fmt: skip
        for org in orgs:
            if org.tier not in TIERS:
                raise SourceError(f"{org.name}: tier must be 1, 2 or 3", path=origin)
        return policy

    @classmethod
    def from_json(cls, path: str | Path) -> Policy:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SourceError("no such policy file", path=str(path)) from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SourceError(f"not valid JSON ({exc})", path=str(path)) from None
        return cls.from_dict(data, origin=str(path))

    @classmethod
    def default(cls) -> Policy:
        return cls.from_json(DEFAULT_POLICY_PATH)

    # --- compiled lookups -------------------------------------------------------------------

    @cached_property
    def by_committee(self) -> dict[str, Organization]:
        return {cid.upper(): org for org in self.organizations for cid in org.fec_committee_ids}

    @cached_property
    def by_name(self) -> dict[str, Organization]:
        """Normalized spelling -> organization (a longer spelling wins over a shorter one)."""
        table: dict[str, Organization] = {}
        for org in self.organizations:
            for name in org.match_names:
                table.setdefault(name, org)
        return table

    @cached_property
    def name_regex(self) -> re.Pattern[str]:
        """Any known spelling as whole words inside a normalized name, longest first."""
        names = sorted(self.by_name, key=len, reverse=True)
        return re.compile(r"(?<![A-Z0-9&])(" + "|".join(map(re.escape, names)) + r")(?![A-Z0-9&])")

    @cached_property
    def never_ids(self) -> set[str]:
        return {cid.upper() for n in self.never_flag for cid in n.fec_committee_ids}

    @cached_property
    def never_regex(self) -> re.Pattern[str] | None:
        names = sorted(
            {normalize(a) for n in self.never_flag for a in [n.name, *n.aliases]} - {""},
            key=len,
            reverse=True,
        )
        if not names:
            return None
        return re.compile(r"(?<![A-Z0-9&])(" + "|".join(map(re.escape, names)) + r")(?![A-Z0-9&])")

    @cached_property
    def executive_regex(self) -> re.Pattern[str]:
        return re.compile(self.executive_occupation_pattern, re.IGNORECASE)

    @cached_property
    def _name_cache(self) -> dict[str, tuple[Organization, str] | None]:
        return {}

    def find_name(self, text: str) -> tuple[Organization, str] | None:
        """The organization a name or employer string refers to, and the spelling matched.

        Remembered per string: real files repeat the same employers thousands of times."""
        if not text:
            return None
        cache = self._name_cache
        if text not in cache:
            found = self.name_regex.search(normalize(text))
            cache[text] = None if found is None else (self.by_name[found.group(1)], found.group(1))
        return cache[text]

    def is_never_flagged(self, *texts: str, committee_id: str = "") -> NeverFlag | None:
        if committee_id and committee_id.upper() in self.never_ids:
            return next(n for n in self.never_flag if committee_id.upper() in
                        {c.upper() for c in n.fec_committee_ids})  # fmt: skip
        if self.never_regex is None:
            return None
        for text in texts:
            if text and (entry := self._never_by_text(text)):
                return entry
        return None

    @cached_property
    def _never_cache(self) -> dict[str, NeverFlag | None]:
        return {}

    def _never_by_text(self, text: str) -> NeverFlag | None:
        cache = self._never_cache
        if text not in cache:
            found = self.never_regex.search(normalize(text)) if self.never_regex else None
            cache[text] = None
            if found:
                cache[text] = next(
                    n for n in self.never_flag
                    if found.group(1) in {normalize(a) for a in [n.name, *n.aliases]}
                )  # fmt: skip
        return cache[text]

    @cached_property
    def _executive_cache(self) -> dict[str, bool]:
        return {}

    def is_executive(self, occupation: str) -> bool:
        cache = self._executive_cache
        if occupation not in cache:
            cache[occupation] = bool(occupation and self.executive_regex.search(occupation))
        return cache[occupation]

    def prefilter(self) -> Prefilter:
        """What a bulk scan lets through to the rules: the PAC ids; one distinctive word of each
        spelling (its longest uncommon word); and, as a regex on raw text, the spellings made
        only of common words. Permissive by design: the rules decide."""
        words: set[str] = set()
        phrases: set[str] = set()
        for name in self.by_name:
            distinctive = [w for w in name.split() if _distinctive(w)]
            if distinctive:
                words.add(max(distinctive, key=len))
            else:
                phrases.add(r"[^A-Za-z0-9]*".join(re.escape(t) for t in name.split()))
        pattern = ""
        if phrases:
            pattern = r"\b(" + "|".join(sorted(phrases, key=len, reverse=True)) + r")\b"
        return Prefilter(
            committee_ids=frozenset(self.by_committee), pattern=pattern, words=frozenset(words)
        )
