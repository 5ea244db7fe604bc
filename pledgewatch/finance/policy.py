"""The conflict policy as data: organizations, their names and PACs, tiers, and thresholds.

A policy is plain data (JSON in the shape of data/m4a_default_policy.json, or a chapter's
edited copy from the database) compiled once into lookups the matching rules use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from cleanco import basename

from pledgewatch.finance.records import Prefilter, SourceError

DEFAULT_POLICY_PATH = Path(__file__).parent / "data" / "m4a_default_policy.json"
TIERS = {1: "conflict", 2: "review", 3: "informational"}


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

    def find_name(self, text: str) -> tuple[Organization, str] | None:
        """The organization a name or employer string refers to, and the spelling matched."""
        if not text:
            return None
        found = self.name_regex.search(normalize(text))
        if found is None:
            return None
        return self.by_name[found.group(1)], found.group(1)

    def is_never_flagged(self, *texts: str, committee_id: str = "") -> NeverFlag | None:
        if committee_id and committee_id.upper() in self.never_ids:
            return next(n for n in self.never_flag if committee_id.upper() in
                        {c.upper() for c in n.fec_committee_ids})  # fmt: skip
        if self.never_regex is None:
            return None
        for text in texts:
            found = text and self.never_regex.search(normalize(text))
            if found:
                spelled = found.group(1)
                return next(
                    n for n in self.never_flag
                    if spelled in {normalize(a) for a in [n.name, *n.aliases]}
                )  # fmt: skip
        return None

    def prefilter(self) -> Prefilter:
        """A permissive regex for raw (unnormalized) text in bulk scans, plus the PAC ids."""
        words = set()
        for name in self.by_name:
            tokens = [re.escape(t) for t in name.split()]
            words.add(r"[^A-Za-z0-9]*".join(tokens))
        pattern = r"\b(" + "|".join(sorted(words, key=len, reverse=True)) + r")\b"
        return Prefilter(committee_ids=frozenset(self.by_committee), pattern=pattern)
