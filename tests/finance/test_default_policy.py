"""The shipped default conflict policy, checked against the real FEC files in ../shared/data.

pledgewatch/finance/data/m4a_default_policy.json is data, so these tests check the data: its
shape, that it covers the seed list of health-industry PACs, that every committee id exists in
the FEC committee master, that no alias is a bare surname or a generic word, that the hard
negatives stay unmatched and that real spellings from the FEC files land on the intended
organization. No database is used. The resolution rule modelled here is the documented one
(README beside the JSON): never-flag entries first, then the alias that starts leftmost, the
longest one on a tie; aliases are whole words (\\b...\\b), case-insensitive.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from functools import cache
from pathlib import Path

import pytest

from tests.finance.conftest import BULK, SHARED_DATA

REPO = Path(__file__).resolve().parents[2]
POLICY_PATH = REPO / "pledgewatch" / "finance" / "data" / "m4a_default_policy.json"
SEED_CSV = SHARED_DATA / "seed_conflict_committees_from_cm20_2019-03.csv"
TRUNCATED_AT = 38  # FEC bulk files cut EMPLOYER and OCCUPATION at 38 characters

TOP_KEYS = {
    "name", "version", "description", "thresholds", "executive_occupation_pattern",
    "never_flag", "organizations",
}  # fmt: skip
ORG_KEYS = {
    "name", "parent", "industry", "tier", "former_names", "brands", "subsidiaries", "aliases",
    "fec_committee_ids", "pahcf_member", "sources",
}  # fmt: skip
NEVER_KEYS = {"name", "aliases", "fec_committee_ids", "reason", "sources"}
INDUSTRIES = {
    "insurer", "pbm", "pharma", "biotech", "trade_group", "hospital_system",
    "hospital_association", "wholesaler", "pharmacy", "device", "lab", "dialysis",
    "physician_group", "medical_society",
}  # fmt: skip

# Seed tiers changed on purpose (README, "Tier changes"): Magellan Health is a managed-care
# company with a PBM, owned by Centene since 2022, not a provider.
TIER_CHANGES = {"C00247262": 1}

# Bare surnames, generic words and ambiguous acronyms that must never be an alias on their own.
BANNED_ALIASES = {
    "JOHNSON", "LILLY", "ELI", "MOLINA", "KAISER", "UNITED", "BLUE", "ABBOTT", "BAXTER",
    "ROCHE", "GILEAD", "VERTEX", "SHIRE", "JANSSEN", "DEPUY", "UPJOHN", "MALLINCKRODT",
    "ASCENSION", "TENET", "ENVISION", "STEWARD", "GENESIS", "HORIZON", "INDEPENDENCE",
    "EMPIRE", "PRIME", "PREMIER", "MAGELLAN", "QUEST", "CARDINAL", "EDWARDS", "INTUITIVE",
    "SELECT", "PROSPECT", "UNITY", "MERCY", "MISSION", "SUNSHINE", "CONVIVA", "CAMBIA",
    "CAPITAL", "CAPITAL BLUE", "HEALTH", "HEALTHCARE", "HEALTH CARE", "CARE", "MEDICAL",
    "PHARMA", "PHARMACEUTICALS", "BIO", "INSURANCE", "HOSPITAL", "AMERICAN", "NATIONAL",
    "COMMUNITY", "UNIVERSAL", "HEALTH NET", "UNITED HEALTH", "HEALTH CARE SERVICE", "UHS", "UHC",
    "CHS", "BD", "BMS", "MSD", "J&J", "PCMA", "ASCA", "AMPAC", "FEDPAC", "ADPAC", "HOSPAC",
    "CNA", "MNA", "AMA", "AHA", "AFT", "HAP", "ENDO", "SPARK", "KITE", "PAR", "LAB",
}  # fmt: skip

# Real strings from the FEC files (EMPLOYER in itcont, or committee/connected-org names in
# cm.txt) that look like a listed organization but are not one.
REAL_EMPLOYER_NEGATIVES = [
    "STEPTOE & JOHNSON, LLP", "HAUSMANN JOHNSON INSURANCE", "DON JOHNSON MOTORS INC",
    "JOHNSON CATTLE CO", "RUTGERS ROBERT WOOD JOHNSON MEDICAL SC", "UNITY HEALTHCARE LLC",
    "UNITY HEALTH CARE", "UNITED HEALTH PARTNERS", "UNITED HOSPITAL", "KAISER RANCH",
    "KAISERAIR INC.", "KAISER", "CHS INC.", "COMMUNITY SYSTEMS, INC.", "ABBOTT & COBB INC.",
    "BD HOTELS", "NYC BD OF ED", "BECTON ENTERPRISES", "BMS REALTY", "JETBLUE AIRWAYS CORPORATION",
    "BLUEPRINT STUDIOS", "BLUE WATER INDUSTRIES", "CITY OF BLUE LAKE", "BLUESTEIN AND ASSOCIATES",
    "MAGELLAN MIDSTREAM HOLDINGS GP", "PURDUE UNIVERSITY", "HORIZON AIR", "HORIZON AG",
    "HORIZON CAPITAL RESE", "HORIZONS MENTAL HEALTH CENTER", "NEW HORIZONS HEALTH", "INVARIANT",
    "ZIMMER RADIO MID MISSOURI INC", "DAY & ZIMMERMANN, INC.", "ENVISION", "SCREENVISION MEDIA",
    "ROCHESTER GENERAL HOSPITAL", "INDEPENDENCE TITLE COMPANY", "EMPIRE STATE REALTY TRUST",
    "RE/MAX INLAND EMPIRE", "GENESIS FINANCIAL & INSURANCE SERVICES", "GENESIS MEDICAL CENTER",
    "BRISTOL FIRE DEPT.", "EPSWCVS", "BERKSHIRE HATHAWAY ENERGY", "WILSHIRE BENEFITS GROUP INC",
    "HAMPSHIRE COLLEGE", "NEBRASKA HEALTH NETWORK", "PROVIDENCE HEALTH AND SERVICES",
    "SHASTA COMMUNITY HEALTH CENTER", "INCYTE PATHOLOGY-BELLEVUE BRANCH",
    "MERIT MEDICAL SYSTEMS INC", "STATE FARM INSURANCE",
]  # fmt: skip
REAL_COMMITTEE_NEGATIVES = [
    "ALEXANDER AND BALDWIN INC FEDPAC",
    "AIR METHODS CORPORATION POLITICAL ACTION COMMITTEE (AMPAC)",
    "ARIZONA DAIRYMEN POLITICAL ACTION COMMITTEE (ADPAC)",
    "UNITED HEALTH SERVICES PAC, INC.",
    "FIRST HORIZON NATIONAL CORPORATION FEDERAL PAC",
    "BLUE HORIZON PAC",
    "BLUE DOG POLITICAL ACTION COMMITTEE",
    "INDEPENDENT COMMUNITY BANKERS OF AMERICA POLITICAL ACTION COMMITTEE",
    "AMERICAN VETERINARY MEDICAL ASSOCIATION POLITICAL ACTION COMMITTEE",
    "AMERICAN NURSES ASSOCIATION PAC",
    "ZOETIS GOOD GOVERNMENT FUND",
]
# Made-up but plausible strings: people with a company's surname or first name, and namesakes.
SYNTHETIC_NEGATIVES = [
    "MOLINA, MARIA", "MOLINA CONSTRUCTION", "COHEN, ELI", "ELI COHEN", "LILLY PULITZER",
    "JOHNSON CONTROLS", "KAISER FAMILY FOUNDATION", "KAISER ALUMINUM", "UNITED AIRLINES",
    "BLUE APRON", "VERTEX INC", "GILEAD BAPTIST CHURCH", "ROCHE BROS. SUPERMARKETS",
    "ASCENSION PARISH SCHOOL BOARD", "MALLINCKRODT INSTITUTE OF RADIOLOGY",
    "W.E. UPJOHN INSTITUTE FOR EMPLOYMENT RESEARCH", "BAXTER AUTO PARTS",
    "CNA FINANCIAL CORPORATION", "PRIME HEALTHCARE SERVICES", "MERCY HEALTH",
    "MISSION HEALTH COMMUNITIES", "QUEST SOFTWARE",
    "CARDINAL GLASS INDUSTRIES", "SELECT COMFORT", "PROSPECT CAPITAL", "STEWARD PARTNERS",
    "TENET PARTNERS", "ENVISION OPTICAL", "J&J SNACK FOODS", "CONVIVA INC", "THE SHIRE",
    "PROFESSIONAL CONVENTION MANAGEMENT ASSOCIATION", "MSD OF WAYNE TOWNSHIP",
    "ENDODONTIC ASSOCIATES", "HOME HEALTH CARE SERVICE", "AMERICAN HEALTH CARE ASSOCIATION",
]  # fmt: skip
HARD_NEGATIVES = REAL_EMPLOYER_NEGATIVES + REAL_COMMITTEE_NEGATIVES + SYNTHETIC_NEGATIVES

# Real spellings from the FEC files -> the organization they must resolve to.
REAL_EMPLOYER_POSITIVES = {
    "PFIZER INC": "Pfizer",
    "PFIZER, INC.": "Pfizer",
    "PHARMACIA & UPJOHN COMPANY": "Pfizer",
    "THE ANTHEM COMPANIES, INC.": "Elevance Health",
    "THE ANTHEM CO'S OF CA, INC.": "Elevance Health",
    "ANTHEM INC": "Elevance Health",
    "HUMANA, INC.": "Humana",
    "UNITED HEALTHCARE SERVICES INC": "UnitedHealth Group",
    "UNITED HEALTHCARE OF PENNSYLVANIA AND": "UnitedHealth Group",
    "OPTUM SERVICES, INC": "UnitedHealth Group",
    "OPTUM360 SERVICES INC": "UnitedHealth Group",
    "CVS HEALTH": "CVS Health",
    "AETNA BETTER HEALTH OF TEXAS": "Aetna",
    "CIGNA": "The Cigna Group",
    "EXPRESS SCRIPTS STRATEGIC DEVELOPMENT,": "Express Scripts (Evernorth Health Services)",
    "ACCREDO HEALTH GROUP, INC.": "Express Scripts (Evernorth Health Services)",
    "CENTENE CORPORATION": "Centene",
    "MAGELLAN HEALTH, INC.": "Magellan Health",
    "MOLINA HEALTHCARE OF TX": "Molina Healthcare",
    "MOLINA HEALTHCARE, INC. - BOARD OF DIR": "Molina Healthcare",
    "KAISER PERMANENTE": "Kaiser Permanente",
    "KAISER-PERMANENTE": "Kaiser Permanente",
    "HIGHMARK INC": "Highmark Health",
    "HIGHMARK BLUE CROSS BLUE SHIELD DELAWA": "Highmark Health",
    "BLUECROSS BLUESHIELD OF TN": "BlueCross BlueShield of Tennessee",
    "BLUECROSS BLUESHIEDL OF TN": "BlueCross BlueShield of Tennessee",
    "BCBST": "BlueCross BlueShield of Tennessee",
    "HORIZON BCBS": "Horizon Blue Cross Blue Shield of New Jersey",
    "INDEPENDENCE BLUECROSS": "Independence Health Group (Independence Blue Cross)",
    "BLUE CROSS AND BLUE SHIELD OF NEBRASKA": "Blue Cross and Blue Shield of Nebraska",
    "BLUE CROSS BLUE SHIELD": "Blue Cross Blue Shield Association",
    "AMERICA'S HEALTH INSURANCE PLANS": "AHIP (America's Health Insurance Plans)",
    "BIOTECHNOLOGY INNOVATION ORGANIZATION": "BIO (Biotechnology Innovation Organization)",
    "ELI LILLY AND COMPANY": "Eli Lilly and Company",
    "MERCK SHARP & DOHME": "Merck & Co.",
    "EMD SERONO, US INC.": "EMD Serono (Merck KGaA)",
    "ABBVIE INC.": "AbbVie",
    "ALLERGAN SALES LLC": "AbbVie",
    "AMGEN INC.": "Amgen",
    "HORIZON PHARMA": "Amgen",
    "BRISTOL-MYERS SQUIBB CO.": "Bristol Myers Squibb",
    "GLAXO SMITH KLINE": "GSK",
    "ROCHE DIAGNOSTICS CORP US": "Roche (Genentech)",
    "GENENTECH, USA": "Roche (Genentech)",
    "ASTRAZENECA PHARMACEUTICALS L.P.": "AstraZeneca",
    "BOEHRINGER INGELHEIM PHARMACEUTICALS,": "Boehringer Ingelheim",
    "MYLAN INC.": "Viatris",
    "SANDOZ INC.": "Sandoz",
    "MALLINCKRODT ENTERPRISES, LLC": "Mallinckrodt Pharmaceuticals",
    "AMERISOURCEBERGEN SERVICES CORPORATION": "Cencora",
    "ASD SPECIALTY HEALTHCARE LLC": "Cencora",
    "MCKESSON CORPORATION": "McKesson",
    "FRESENIUS MEDICAL CARE NA": "Fresenius Medical Care",
    "DAVITA, INC.": "DaVita",
    "EDWARDS LIFESCIENCES": "Edwards Lifesciences",
    "TENET HEALTHCARE": "Tenet Healthcare",
    "HCA RETREAT HOSPITAL": "HCA Healthcare",
    "UHS OF DELAWARE INC.": "Universal Health Services",
    "SETON/ASCENSION HEALTH": "Ascension (health system)",
    "AMERICAN HOSPITAL ASSOCIATION-WASHINGT": "American Hospital Association",
    "AMERICAN MEDICAL ASSOCIATION": "American Medical Association",
    "RITE AID CORPORATE": "Rite Aid",
    "WALGREEN CO": "Walgreens",
}
REAL_COMMITTEE_POSITIVES = {
    "PHARMACEUTICAL RESEARCH & MANUFACTURERS OF AMERICA BETTER GOVERNMENT COMMITTEE": (
        "PhRMA (Pharmaceutical Research and Manufacturers of America)"
    ),
    "HEALTH CARE SERVICE CORPORATION EMPLOYEES' POLITICAL ACTION COMMITTEE": (
        "Health Care Service Corporation (HCSC)"
    ),
    "CAPITAL BLUEPAC, THE POLITICAL ACTION COMMITTEE OF CAPITAL BLUECROSS": "Capital BlueCross",
    "BLUE CROSS AND BLUE SHIELD OF KANSAS CITY FEDERAL PAC": (
        "Blue Cross and Blue Shield of Kansas City"
    ),
    "BLUE CROSS AND BLUE SHIELD OF KANSAS, INC. EMPLOYEE PAC": (
        "Blue Cross and Blue Shield of Kansas"
    ),
    "FLORIDA HEALTH POLITICAL ACTION COMMITTEE (THE PAC OF BLUE CROSS & BLUE SHIELD OF FL, INC)": (
        "Florida Blue (GuideWell)"
    ),
    "PHARMACEUTICAL CARE MANAGEMENT ASSOCIATION POLITICAL ACTION COMMITTEE (PCMA PAC)": (
        "Pharmaceutical Care Management Association (PCMA)"
    ),
    "MEDICAID HEALTH PLANS OF AMERICA POLITICAL ACTION COMMITTEE": (
        "Medicaid Health Plans of America"
    ),
    "FEDERATION OF AMERICAN HOSPITALS PAC": "Federation of American Hospitals",
    "AMERICAS HEALTH INSURANCE PLANS PAC (AHIP PAC)": "AHIP (America's Health Insurance Plans)",
    "EMD SERONO, INC. POLITICAL ACTION COMMITTEE": "EMD Serono (Merck KGaA)",
}
# Health-worker unions whose names contain an organization's alias: the never-flag list wins.
NEVER_FLAG_POSITIVES = {
    "SEIU-UHW": "Service Employees International Union (incl. 1199SEIU and SEIU-UHW)",
    "SEIU UNITED HEALTHCARE WORKERS WEST": (
        "Service Employees International Union (incl. 1199SEIU and SEIU-UHW)"
    ),
    "1199SEIU UNITED HEALTHCARE WORKERS EAST": (
        "Service Employees International Union (incl. 1199SEIU and SEIU-UHW)"
    ),
    "1199SEIU FUNDS": "Service Employees International Union (incl. 1199SEIU and SEIU-UHW)",
    "NATIONAL NURSES UNITED PAC - A FUND FOR A HEALTHY AMERICA": "National Nurses United",
    "CALIFORNIA NURSES ASSOCIATION": "National Nurses United",
    "NEW YORK STATE NURSES ASSOCIATION FEDERAL POLITICAL ACTION COMMITTEE": (
        "New York State Nurses Association"
    ),
    "DISTRICT 1199C NAT'L UNION OF HOSPITAL & HEALTH CARE EMPLOYEES POLITICAL ACTION FUND": (
        "AFSCME (incl. NUHHCE Districts 1199C/1199J and UNAC/UHCP)"
    ),
}

EXECUTIVES = [
    "CEO", "PRESIDENT & CEO", "HLTH PLAN CEO", "CHIEF FINANCIAL OFFICER", "CHIEF MEDICAL OFFICER",
    "EVP,CHIEF COMPLIANCE, QUALITY & RISK O", "VICE CHAIRMAN, CHIEF COMMERCIAL OFFICE",
    "CHAIRMAN OF THE BOARD AND CEO", "VICE PRESIDENT", "VPRESIDENT PUBLIC AFFAIRS (M)",
    "SENIOR VICE PRESIDENT, GOVERNMENT RELA", "SVP, MEDICARE", "EVP & GENERAL COUNSEL",
    "DVP AND ASSOCIATE GENERAL COUNSEL", "V.P., THERMAL OXIDIZERS", "REGN PRES NTWK MGMT",
    "DIRECTOR GOVT RELATIONS", "DIRECTOR, FEDERAL GOVERNMENT AFFAIRS",
    "SENIOR DIRECTOR, FEDERAL GOVER", "RVP FEDERAL AFFAIRS", "VP GOVT AFFS", "LOBBYIST",
    "FOUNDER", "CO-FOUNDER & CEO", "OWNER",
    "BOARD MEMBER", "MEMBER, BOARD OF DIRECTORS", "EXECUTIVE DIRECTOR", "EXECUTIVE", "CHAIRWOMAN",
]  # fmt: skip
NOT_EXECUTIVES = [
    "PHYSICIAN", "REGISTERED NURSE", "PHARMACIST", "DIRECTOR", "SR DIRECTOR", "MEDICAL DIRECTOR",
    "MANAGER", "SALES REPRESENTATIVE", "ACCOUNT EXECUTIVE", "EXECUTIVE ASSISTANT", "PARTNER",
    "ACTIVE PARTNERS", "FIRE CHIEF", "CHIEF RESIDENT", "CHAIRSIDE ASSISTANT", "SENIOR COUNSEL",
    "REGULATORY AFFAIRS MANAGER", "PRESSMAN", "RETIRED", "NOT EMPLOYED", "SELF-EMPLOYED",
]  # fmt: skip


# --- loading ------------------------------------------------------------------------------------


@cache
def policy() -> dict:
    return json.loads(POLICY_PATH.read_text(encoding="utf-8"))


def organizations() -> list[dict]:
    return policy()["organizations"]


def org_named(name: str) -> dict:
    return next(o for o in organizations() if o["name"] == name)


def _union(entries: list[dict]) -> re.Pattern[str]:
    # Longest first, so that at a given position the longest alias wins (leftmost, then longest).
    aliases = sorted({a for e in entries for a in e["aliases"]}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, aliases)) + r")\b", re.IGNORECASE)


@cache
def org_regex() -> re.Pattern[str]:
    return _union(organizations())


@cache
def never_regex() -> re.Pattern[str]:
    return _union(policy()["never_flag"])


@cache
def alias_owner() -> dict[str, str]:
    return {a: e["name"] for e in organizations() for a in e["aliases"]}


@cache
def never_owner() -> dict[str, str]:
    return {a: e["name"] for e in policy()["never_flag"] for a in e["aliases"]}


def matched_alias(text: str) -> str | None:
    found = org_regex().search(text.upper())
    return found.group(1).upper() if found else None


def resolve(text: str) -> tuple[str, str] | None:
    """("never", entry) or ("org", organization) for a name, by the documented rule."""
    text = text.upper()
    if found := never_regex().search(text):
        return "never", never_owner()[found.group(1).upper()]
    if alias := matched_alias(text):
        return "org", alias_owner()[alias]
    return None


@cache
def committee_master() -> dict[str, list[str]]:
    rows = {}
    with (BULK / "cm.txt").open(encoding="latin-1") as fh:
        for line in fh:
            fields = line.rstrip("\n").split("|")
            rows[fields[0]] = fields
    return rows


@cache
def itcont_column(index: int) -> frozenset[str]:
    with zipfile.ZipFile(BULK / "indiv20.zip") as zf, zf.open("itcont.txt") as raw:
        text = io.TextIOWrapper(raw, encoding="latin-1")
        return frozenset(line.split("|")[index] for line in text)


def employers() -> frozenset[str]:
    return itcont_column(11)


def occupations() -> frozenset[str]:
    return itcont_column(12)


@cache
def seed_rows() -> list[dict[str, str]]:
    with SEED_CSV.open(newline="", encoding="utf-8") as fh:
        return [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(fh)]


# --- shape --------------------------------------------------------------------------------------


def test_the_policy_file_has_the_shape_the_engine_reads():
    data = policy()
    assert set(data) == TOP_KEYS
    assert data["name"] == "Medicare for All: health insurers, PBMs, pharma and their trade groups"
    assert data["version"] == "2026-11-28"
    assert data["description"].strip()
    assert data["thresholds"] == {
        "committee_min": 0, "individual_over": 200, "employee_review_over": 1000,
    }  # fmt: skip
    assert isinstance(data["executive_occupation_pattern"], str)
    assert data["organizations"] and data["never_flag"]


def test_every_organization_has_the_documented_fields():
    names = [o["name"] for o in organizations()]
    assert len(names) == len(set(names)), "organization names must be unique"
    for org in organizations():
        where = org["name"]
        assert set(org) == ORG_KEYS, where
        assert org["industry"] in INDUSTRIES, where
        assert org["tier"] in (1, 2, 3), where
        assert isinstance(org["pahcf_member"], bool), where
        assert org["parent"] is None or org["parent"] in names, where
        for key in ("former_names", "brands", "subsidiaries", "aliases", "fec_committee_ids"):
            assert isinstance(org[key], list), (where, key)
        assert org["aliases"], f"{where}: no alias"
        assert len(org["aliases"]) == len(set(org["aliases"])), where
        for alias in org["aliases"]:
            assert alias == alias.upper() == " ".join(alias.split()), (where, alias)
            assert alias[0].isalnum() and alias[-1].isalnum(), (where, alias)  # \b works
        for cid in org["fec_committee_ids"]:
            assert re.fullmatch(r"C\d{8}", cid), (where, cid)


def test_every_organization_cites_a_source_with_an_https_url():
    for org in organizations():
        assert org["sources"], org["name"]
        for source in org["sources"]:
            assert set(source) == {"claim", "url"}, org["name"]
            assert source["claim"].strip(), org["name"]
            assert source["url"].startswith(("https://", "http://")), (org["name"], source)
        assert any(s["url"].startswith("https://") for s in org["sources"]), org["name"]


def test_every_committee_id_claim_points_at_its_fec_page():
    for org in organizations():
        urls = {s["url"] for s in org["sources"]}
        for cid in org["fec_committee_ids"]:
            assert f"https://www.fec.gov/data/committee/{cid}/" in urls, (org["name"], cid)


def test_never_flag_entries_are_health_worker_unions_with_reasons():
    entries = policy()["never_flag"]
    names = {e["name"] for e in entries}
    for required in (
        "National Nurses United",
        "Service Employees International Union (incl. 1199SEIU and SEIU-UHW)",
        "National Union of Healthcare Workers",
        "New York State Nurses Association",
        "Minnesota Nurses Association",
        "Massachusetts Nurses Association",
    ):
        assert required in names
    for entry in entries:
        assert set(entry) == NEVER_KEYS, entry["name"]
        assert entry["reason"].strip() and entry["aliases"], entry["name"]
        assert all(a == a.upper() and a[0].isalnum() and a[-1].isalnum() for a in entry["aliases"])
        assert entry["sources"] and all(s["url"].startswith("https://") for s in entry["sources"])


# --- committees ---------------------------------------------------------------------------------


def test_each_seed_committee_belongs_to_exactly_one_organization(shared_data):
    rows = seed_rows()
    assert len(rows) == 129
    for row in rows:
        owners = [o["name"] for o in organizations() if row["CMTE_ID"] in o["fec_committee_ids"]]
        assert len(owners) == 1, (row["CMTE_ID"], row["CMTE_NM"], owners)


def test_seed_tiers_are_kept_except_the_documented_changes(shared_data):
    tier_of = {cid: o["tier"] for o in organizations() for cid in o["fec_committee_ids"]}
    for row in seed_rows():
        expected = TIER_CHANGES.get(row["CMTE_ID"], int(row["tier"]))
        assert tier_of[row["CMTE_ID"]] == expected, (row["CMTE_ID"], row["CMTE_NM"])


def test_every_committee_id_exists_in_the_committee_master(shared_data):
    cm = committee_master()
    entries = organizations() + policy()["never_flag"]
    missing = [(e["name"], c) for e in entries for c in e["fec_committee_ids"] if c not in cm]
    assert missing == []


def test_no_committee_id_belongs_to_two_entries():
    seen: dict[str, str] = {}
    for entry in organizations() + policy()["never_flag"]:
        for cid in entry["fec_committee_ids"]:
            assert cid not in seen, (cid, seen.get(cid), entry["name"])
            seen[cid] = entry["name"]


def test_committee_names_resolve_to_the_organization_holding_the_id(shared_data):
    """Across the whole committee master: a name that matches an alias is that entry's PAC."""
    holder = {c: e["name"] for e in organizations() + policy()["never_flag"]
              for c in e["fec_committee_ids"]}  # fmt: skip
    wrong = []
    for cid, fields in committee_master().items():
        found = resolve(fields[1]) or resolve(fields[13])
        if (found[1] if found else None) != holder.get(cid):
            wrong.append((cid, fields[1], fields[13], found, holder.get(cid)))
    assert wrong == []


# --- aliases ------------------------------------------------------------------------------------


def test_no_alias_is_a_bare_surname_or_generic_word():
    for entry in organizations() + policy()["never_flag"]:
        assert not set(entry["aliases"]) & BANNED_ALIASES, entry["name"]
    for org in organizations():
        spellings = [org["name"], *org["brands"], *org["subsidiaries"], *org["former_names"]]
        assert not {s.upper() for s in spellings} & BANNED_ALIASES, org["name"]


def test_no_alias_belongs_to_two_entries():
    seen: dict[str, str] = {}
    for entry in organizations() + policy()["never_flag"]:
        for alias in entry["aliases"]:
            assert alias not in seen, (alias, seen.get(alias), entry["name"])
            seen[alias] = entry["name"]


def test_every_alias_resolves_to_its_own_entry():
    """No alias is shadowed by a longer one of another organization starting at the same place."""
    for entry in organizations():
        for alias in entry["aliases"]:
            assert resolve(alias) == ("org", entry["name"]), alias
    for entry in policy()["never_flag"]:
        for alias in entry["aliases"]:
            assert resolve(alias) == ("never", entry["name"]), alias


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_match_no_alias(text):
    assert matched_alias(text) is None, f"{text!r} matches {matched_alias(text)!r}"


def test_real_hard_negatives_are_real_fec_spellings(shared_data):
    assert set(REAL_EMPLOYER_NEGATIVES) <= employers()
    names = {f[i] for f in committee_master().values() for i in (1, 13)}
    assert set(REAL_COMMITTEE_NEGATIVES) <= names


@pytest.mark.parametrize(("text", "expected"), list(REAL_EMPLOYER_POSITIVES.items()))
def test_real_employer_spellings_resolve_to_the_intended_organization(text, expected):
    assert resolve(text) == ("org", expected)


@pytest.mark.parametrize(("text", "expected"), list(REAL_COMMITTEE_POSITIVES.items()))
def test_real_committee_names_resolve_to_the_intended_organization(text, expected):
    assert resolve(text) == ("org", expected)


def test_positive_spellings_are_real_fec_spellings(shared_data):
    assert set(REAL_EMPLOYER_POSITIVES) <= employers()
    assert len(max(REAL_EMPLOYER_POSITIVES, key=len)) <= TRUNCATED_AT
    names = {f[1] for f in committee_master().values()}
    assert set(REAL_COMMITTEE_POSITIVES) <= names


@pytest.mark.parametrize(("text", "expected"), list(NEVER_FLAG_POSITIVES.items()))
def test_health_worker_unions_win_over_organization_aliases(text, expected):
    assert resolve(text) == ("never", expected)


def test_hard_negatives_and_positives_are_documented():
    readme = " ".join((POLICY_PATH.parent / "README.md").read_text(encoding="utf-8").split())
    for text in ("STEPTOE & JOHNSON", "HAUSMANN JOHNSON INSURANCE", "DON JOHNSON MOTORS",
                 "UNITY HEALTHCARE LLC", "UNITED HEALTH PARTNERS", "KAISER RANCH",
                 "KAISERAIR", "CHS INC"):  # fmt: skip
        assert text in readme, text


# --- coverage and tiers -------------------------------------------------------------------------


def test_required_organizations_are_listed_under_todays_names():
    former = {
        "Elevance Health": "Anthem, Inc.",
        "Viatris": "Mylan",
        "Cencora": "AmerisourceBergen",
        "The Cigna Group": "Cigna Corporation",
    }
    for name, old in former.items():
        assert old in org_named(name)["former_names"], name
    pbms = {o["name"] for o in organizations() if o["industry"] == "pbm"}
    express_scripts = "Express Scripts (Evernorth Health Services)"
    assert {"CVS Health", express_scripts, "Prime Therapeutics"} <= pbms
    assert "Optum Rx" in org_named("UnitedHealth Group")["brands"]
    assert "CVS Caremark" in org_named("CVS Health")["brands"]
    assert org_named("Aetna")["parent"] == "CVS Health"
    assert org_named(express_scripts)["parent"] == "The Cigna Group"
    trade_groups = {
        "PhRMA (Pharmaceutical Research and Manufacturers of America)",
        "BIO (Biotechnology Innovation Organization)",
        "AHIP (America's Health Insurance Plans)",
        "Association for Accessible Medicines",
        "Blue Cross Blue Shield Association",
        "Pharmaceutical Care Management Association (PCMA)",
        "Healthcare Distribution Alliance",
        "National Association of Chain Drug Stores",
        "Medicaid Health Plans of America",
    }
    assert trade_groups <= {o["name"] for o in organizations()}


def test_pahcf_founders_and_members_are_marked_with_a_source():
    founders = (
        "Federation of American Hospitals",
        "AHIP (America's Health Insurance Plans)",
        "PhRMA (Pharmaceutical Research and Manufacturers of America)",
    )
    for name in founders:
        assert org_named(name)["pahcf_member"] and org_named(name)["tier"] == 1, name
    for name in ("American Hospital Association", "Blue Cross Blue Shield Association",
                 "HCA Healthcare", "Tenet Healthcare", "Ascension (health system)"):  # fmt: skip
        assert org_named(name)["pahcf_member"], name
    assert not org_named("American Medical Association")["pahcf_member"]  # left the coalition
    for org in organizations():
        if org["pahcf_member"]:
            claims = " ".join(s["claim"] for s in org["sources"])
            assert "PAHCF" in claims or "Partnership" in claims, org["name"]


def test_tiers_follow_the_research_definition():
    for org in organizations():
        if org["industry"] in ("insurer", "pbm", "pharma", "biotech"):
            assert org["tier"] == 1, org["name"]
        if org["industry"] in ("wholesaler", "pharmacy", "device", "lab", "dialysis"):
            assert org["tier"] == 2, org["name"]
        if org["industry"] == "medical_society":
            assert org["tier"] == (2 if org["name"] == "American Medical Association" else 3)
        if org["pahcf_member"] and org["industry"] != "trade_group":
            assert org["tier"] == 1, org["name"]


# --- the executive occupation pattern -----------------------------------------------------------


@cache
def executive_regex() -> re.Pattern[str]:
    return re.compile(policy()["executive_occupation_pattern"], re.IGNORECASE)


@pytest.mark.parametrize("occupation", EXECUTIVES)
def test_executive_titles_match_the_occupation_pattern(occupation):
    assert executive_regex().search(occupation)


@pytest.mark.parametrize("occupation", NOT_EXECUTIVES)
def test_other_occupations_do_not_match_the_occupation_pattern(occupation):
    assert not executive_regex().search(occupation)


def test_the_occupation_pattern_means_the_same_in_re2(shared_data):
    """DuckDB's regexp_matches is RE2: same answers on every real occupation in the snapshot."""
    duckdb = pytest.importorskip("duckdb")
    values = sorted(occupations() | set(EXECUTIVES) | set(NOT_EXECUTIVES))
    con = duckdb.connect()
    con.execute("CREATE TABLE occ (x VARCHAR)")
    con.executemany("INSERT INTO occ VALUES (?)", [(v,) for v in values])
    rows = con.execute(
        "SELECT x, regexp_matches(x, ?, 'i') FROM occ", [policy()["executive_occupation_pattern"]]
    ).fetchall()
    assert len(rows) == len(values)
    assert [x for x, hit in rows if hit != bool(executive_regex().search(x))] == []


# --- the engine's own normalizer and lookups ----------------------------------------------------


@pytest.fixture(scope="module")
def engine():
    module = pytest.importorskip("pledgewatch.finance.policy")
    return module


def _simple(text: str) -> str:
    text = text.upper().replace("&", " & ")
    return " ".join(re.sub(r"[^A-Z0-9& ]+", " ", text).split())


def test_the_engine_loads_the_file(engine):
    loaded = engine.Policy.from_json(POLICY_PATH)
    assert len(loaded.organizations) == len(organizations())
    assert len(loaded.never_flag) == len(policy()["never_flag"])


def test_no_alias_loses_a_word_to_the_engines_suffix_stripping(engine):
    """cleanco cuts legal forms and also SC, CA, CO, KS...: 'BCBS OF SC' would be 'BCBS OF'."""
    for entry in organizations() + policy()["never_flag"]:
        for alias in entry["aliases"]:
            assert engine.normalize(alias) == _simple(alias), (entry["name"], alias)


def test_every_spelling_the_engine_matches_belongs_to_one_organization(engine):
    loaded = engine.Policy.from_json(POLICY_PATH)
    owners: dict[str, str] = {}
    for org in loaded.organizations:
        for spelling in org.match_names:
            assert owners.setdefault(spelling, org.name) == org.name, spelling
            assert spelling not in BANNED_ALIASES, (org.name, spelling)


def test_the_engine_resolves_real_spellings_and_skips_hard_negatives(engine):
    loaded = engine.Policy.from_json(POLICY_PATH)
    for text, expected in {**REAL_EMPLOYER_POSITIVES, **REAL_COMMITTEE_POSITIVES}.items():
        found = loaded.find_name(text)
        assert found and found[0].name == expected, (text, found and found[0].name)
    for text in HARD_NEGATIVES:
        found = loaded.find_name(text)
        assert found is None, (text, found[1] if found else None)
    for text, expected in NEVER_FLAG_POSITIVES.items():
        assert loaded.is_never_flagged(text).name == expected, text
