"""Realistic but invented rosters in DSA's export layouts, for the demo, tests and benchmarks.

Real member lists are private, so nothing real can stand in. Every address uses example.org
/ example.net, every phone number the fictional 555-01xx range.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from typing import IO

CURRENT_HEADER = [
    "first_name", "middle_name", "last_name", "email", "do_not_call", "p2ptext_optout",
    "best_phone", "mobile_phone", "home_phone", "work_phone", "join_date", "xdate",
    "membership_type", "monthly_dues_status", "yearly_dues_status", "membership_status",
    "memb_status_letter", "union_member", "union_name", "union_local", "accommodations", "race",
    "student_yes_no", "student_school_name", "mailing_pref", "address1", "address2", "city",
    "state", "zip", "country", "actionkit_id", "dsa_chapter", "ydsa_chapter",
    "new_member_past_month", "list_date",
]  # fmt: skip
# Before 2022-04-25 (research/voting.md 2.4).
LEGACY_HEADER = [
    "AK_ID", "DSA_ID", "first_name", "middle_name", "last_name", "suffix", "Address_Line_1",
    "Address_Line_2", "City", "State", "Zip", "Mobile_Phone", "Home_Phone", "Work_Phone", "Email",
    "Mail_preference", "Do_Not_Call", "Join_Date", "Xdate", "Memb_status", "membership_type",
    "monthly_status", "membership_status", "union_member", "union_name", "union_local",
    "student_yes_no", "student_school_name", "YDSA Chapter", "chapter",
]  # fmt: skip

FIRST = [
    "Maria", "James", "Aaliyah", "Wei", "Jose", "Emily", "DeShawn", "Priya", "Michael", "Fatima",
    "Chris", "Guadalupe", "Hannah", "Kwame", "Olivia", "Luis", "Sofia", "Tyrone", "Mei", "Daniel",
    "Ana", "Jamal", "Rebecca", "Nguyen", "Sarah", "Omar", "Rosa", "Ethan", "Keisha", "Samuel",
    "Leah", "Carlos", "Grace", "Andre", "Isabel", "Noah", "Yesenia", "Patrick", "Amara", "Ruth",
]  # fmt: skip
LAST = [
    "Garcia", "Smith", "Johnson", "Nguyen", "Williams", "Brown", "Martinez", "Jones", "Lee",
    "Hernandez", "Davis", "Lopez", "Wilson", "Patel", "Anderson", "Thomas", "Kim", "Jackson",
    "Rodriguez", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen",
    "King", "Wright", "Scott", "Torres", "Hill", "Green", "Adams", "Baker", "Nelson", "O'Brien",
    "Mitchell", "Perez", "Campbell",
]  # fmt: skip
STREETS = [
    "Main St",
    "Oak Ave",
    "Elm St",
    "Maple Ave",
    "Union St",
    "Lincoln Ave",
    "Park Pl",
    "Washington Blvd",
    "Grand Ave",
    "Lake St",
    "Cedar Rd",
    "Mill St",
]
UNIONS = [
    ("SEIU", "1199"),
    ("NNU", ""),
    ("AFT", "2"),
    ("CWA", "1180"),
    ("UAW", "2320"),
    ("AFSCME", "37"),
    ("ATU", "1181"),
    ("UNITE HERE", "100"),
]


def member_rows(
    n: int,
    *,
    seed: int = 1,
    chapter: str = "Lakeshore",
    city: str = "Chicago",
    state: str = "IL",
    zip_prefix: str = "606",
    list_date: date = date(2026, 11, 1),
    id_start: int = 100_000,
) -> list[dict[str, str]]:
    """n members as dicts keyed by the current export's headers."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        joined = list_date - timedelta(days=rng.randint(10, 3000))
        kind = rng.choices(["monthly", "yearly", "income-based", "one-time"], [55, 30, 10, 5])[0]
        standing = rng.choices(["Member in Good Standing", "Member", "Lapsed"], [70, 15, 15])[0]
        expiry = {
            "Member in Good Standing": list_date + timedelta(days=rng.randint(5, 360)),
            "Member": list_date - timedelta(days=rng.randint(1, 360)),
            "Lapsed": list_date - timedelta(days=rng.randint(366, 1500)),
        }[standing]
        union = rng.random() < 0.3
        union_name, union_local = rng.choice(UNIONS) if union else ("", "")
        phone = f"312-555-01{rng.randint(0, 99):02d}"
        rows.append(
            {
                "first_name": first,
                "middle_name": rng.choice(["", "", "", "A", "J", "M", "R"]),
                "last_name": last,
                "email": f"{first}.{last}.{id_start + i}@example.org".lower().replace("'", ""),
                "do_not_call": rng.choices(["FALSE", "TRUE"], [95, 5])[0],
                "p2ptext_optout": rng.choices(["FALSE", "TRUE"], [90, 10])[0],
                "best_phone": phone,
                "mobile_phone": phone,
                "home_phone": "",
                "work_phone": "",
                "join_date": joined.isoformat(),
                "xdate": expiry.isoformat(),
                "membership_type": kind,
                "monthly_dues_status": ("active" if standing != "Lapsed" else "lapsed")
                if kind == "monthly"
                else "",
                "yearly_dues_status": ("active" if standing != "Lapsed" else "lapsed")
                if kind == "yearly"
                else "",
                "membership_status": standing,
                "memb_status_letter": "L" if standing == "Lapsed" else "M",
                "union_member": "Yes, current union member" if union else "No",
                "union_name": union_name,
                "union_local": union_local,
                "accommodations": "",
                "race": "",
                "student_yes_no": rng.choices(["No", "Yes"], [85, 15])[0],
                "student_school_name": "",
                "mailing_pref": rng.choice(["Yes", "No"]),
                "address1": f"{rng.randint(100, 9999)} {rng.choice(STREETS)}",
                "address2": rng.choice(["", "", "", f"Apt {rng.randint(1, 40)}"]),
                "city": city,
                "state": state,
                "zip": f"{zip_prefix}{rng.randint(0, 99):02d}",
                "country": "United States",
                "actionkit_id": str(id_start + i),
                "dsa_chapter": f"{chapter} DSA",
                "ydsa_chapter": "",
                "new_member_past_month": "1" if (list_date - joined).days < 31 else "0",
                "list_date": list_date.isoformat(),
            }
        )
    return rows


def write_current(out: IO[str], rows: list[dict[str, str]], *, header: bool = True) -> None:
    writer = csv.DictWriter(out, fieldnames=CURRENT_HEADER, lineterminator="\r\n")
    if header:
        writer.writeheader()
    writer.writerows(rows)


def write_legacy(out: IO[str], rows: list[dict[str, str]]) -> None:
    """The same members in the older AK_ID layout ("Expired" for lapsed, as those lists had)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(LEGACY_HEADER)
    for r in rows:
        writer.writerow([
            r["actionkit_id"], "", r["first_name"], r["middle_name"], r["last_name"], "",
            r["address1"], r["address2"], r["city"], r["state"], r["zip"], r["mobile_phone"],
            r["home_phone"], r["work_phone"], r["email"], r["mailing_pref"], r["do_not_call"],
            r["join_date"] + " 00:00:00", r["xdate"] + " 00:00:00", r["memb_status_letter"],
            r["membership_type"], r["monthly_dues_status"],
            "Expired" if r["membership_status"] == "Lapsed" else r["membership_status"],
            r["union_member"], r["union_name"], r["union_local"], r["student_yes_no"],
            r["student_school_name"], r["ydsa_chapter"], r["dsa_chapter"],
        ])  # fmt: skip
