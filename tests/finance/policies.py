"""A small policy in the shipped format, for rule tests independent of the default list."""

from __future__ import annotations

from pledgewatch.finance.policy import Policy

SMALL = {
    "name": "test policy",
    "version": "test",
    "thresholds": {"committee_min": 0, "individual_over": 200, "employee_review_over": 1000},
    "executive_occupation_pattern": (
        r"\b(CEO|CFO|COO|CHIEF\b.*\bOFFICER|PRESIDENT|VICE PRESIDENT|VP|EVP|SVP|CHAIRMAN"
        r"|GENERAL COUNSEL|LOBBYIST)\b"
    ),
    "never_flag": [
        {
            "name": "National Nurses United",
            "aliases": ["NATIONAL NURSES UNITED", "CALIFORNIA NURSES ASSOCIATION"],
            "fec_committee_ids": ["C00280388"],
            "reason": "health-worker union",
        }
    ],
    "organizations": [
        {
            "name": "UnitedHealth Group",
            "industry": "insurer",
            "tier": 1,
            "brands": ["UnitedHealthcare", "Optum", "OptumRx"],
            "aliases": ["UNITEDHEALTH", "UNITED HEALTHCARE", "UNITEDHEALTH GROUP"],
            "fec_committee_ids": ["C00274431"],
        },
        {
            "name": "Pfizer",
            "industry": "pharma",
            "tier": 1,
            "aliases": ["PFIZER"],
            "fec_committee_ids": ["C00016683"],
        },
        {
            "name": "Johnson & Johnson",
            "industry": "pharma",
            "tier": 1,
            "aliases": ["JOHNSON & JOHNSON", "JANSSEN"],
            "fec_committee_ids": ["C00010983"],
        },
        {
            "name": "HCA Healthcare",
            "industry": "hospital_system",
            "tier": 2,
            "aliases": ["HCA HEALTHCARE", "HOSPITAL CORPORATION OF AMERICA"],
            "fec_committee_ids": ["C00067231"],
        },
        {
            "name": "American Association of Neurological Surgeons",
            "industry": "medical_society",
            "tier": 3,
            "aliases": ["AMERICAN ASSOCIATION OF NEUROLOGICAL SURGEONS"],
            "fec_committee_ids": ["C00413955"],
        },
    ],
}


def small_policy() -> Policy:
    return Policy.from_dict(SMALL)
