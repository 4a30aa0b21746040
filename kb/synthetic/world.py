"""The invented world of a synthetic knowledge base: its problems, sectors, organisation
types, roles, countries, lifecycle odds, and the tie categories between layers (shares,
skews and network weights) that give each locality a core-periphery structure."""

from __future__ import annotations

from kb.model import ADOPTION_OUTCOMES, LIFECYCLE_STAGES
from kb.settings import DEFAULT_NETWORK_TYPES

SOURCE_ID = "synthetic_generator"
NETWORKS = DEFAULT_NETWORK_TYPES          # work, social, innovation, expertise, career, learning, strategic
NAT, LA, SEC, FL, COM = range(5)           # indices into LAYER_ORDER
MIN_ACTORS_PER_LOCALITY = 12

PROBLEMS = (
    ("youth_unemployment", "Youth unemployment", "Young people not in education, employment or training."),
    ("social_isolation", "Social isolation of older people", "Older residents living alone with little contact."),
    ("low_attainment", "Low educational attainment", "Pupils leaving school with few qualifications."),
    ("antisocial_behaviour", "Antisocial behaviour", "Antisocial behaviour in neighbourhoods."),
    ("residents_feel_unsafe", "Residents not feeling safe", "Residents do not feel safe in their neighbourhood."),
    ("vacant_properties", "Vacant properties", "Empty homes and shops that attract vandalism."),
    ("child_obesity", "Child obesity", "Rising obesity among primary school children."),
    ("mental_health", "Poor mental health", "Unmet need for mental health support."),
    ("homelessness", "Homelessness", "Rough sleeping and insecure housing."),
    ("fuel_poverty", "Fuel poverty", "Households unable to heat their homes."),
    ("teenage_pregnancy", "Teenage pregnancy", "High rates of teenage conception."),
    ("substance_misuse", "Substance misuse", "Drug and alcohol misuse."),
    ("low_civic_participation", "Low civic participation", "Residents rarely take part in local decisions."),
    ("public_as_bystanders", "Public as bystanders", "The public is a bystander rather than a partner in services."),
    ("ideas_lost_in_middle_management", "Ideas lost in middle management",
     "Frontline ideas do not reach senior management."),
    ("ideas_not_flowing_between_levels", "Ideas not flowing between levels",
     "Ideas do not move between the layers of the local system."),
    ("long_term_worklessness", "Long-term worklessness", "Adults out of work for years."),
    ("digital_exclusion", "Digital exclusion", "Residents without internet access or skills."),
    ("carers_under_strain", "Carers under strain", "Unpaid carers without support."),
    ("school_exclusions", "School exclusions", "Pupils excluded from school."),
    ("domestic_violence", "Domestic violence", "Domestic abuse that goes unreported."),
    ("poor_housing_conditions", "Poor housing conditions", "Damp, overcrowded or unsafe homes."),
    ("food_poverty", "Food poverty", "Families relying on food banks."),
    ("community_tensions", "Community tensions", "Tensions between groups of residents."),
)
SECTORS = ("education", "health", "community safety", "youth", "housing", "social care", "employment",
           "environment")
SECTORAL_TYPES = ("school", "health service", "police service", "youth service", "housing association",
                  "social care service", "employment service", "environmental service")  # by SECTORS
NATIONAL_ORG_TYPES = ("government department", "national agency", "regional government office",
                      "national foundation")
LA_ORG_TYPES = ("local strategic partnership", "council directorate")
COMMUNITY_ORG_TYPES = ("voluntary group", "residents' association", "community centre", "tenants' association",
                       "student council", "faith group")
ROLES = (
    ("Policy adviser", "Programme manager", "Regional adviser", "Civil servant"),
    ("Director of services", "Head of service", "Innovation lead", "Policy officer", "Strategic partnerships manager",
     "Community engagement officer", "Performance officer"),
    ("Service manager", "Head teacher", "Health service manager", "Police inspector", "Youth service manager",
     "Housing manager"),
    ("Teacher", "Youth worker", "Health visitor", "Police officer", "Social worker", "Housing officer",
     "Community nurse"),
    ("Resident", "Volunteer", "Community group member", "Service user", "Student council member", "Parent"),
)
COUNTRIES = (("UK", ("North East England", "North West England", "London", "Scotland", "Wales", "Midlands")),
             ("UK", ("South West England", "Yorkshire", "East of England", "Northern Ireland", "South East England",
                     "Midlands")),
             ("Netherlands", ("North Holland", "South Holland")), ("Denmark", ("Capital Region",)),
             ("USA", ("Pennsylvania", "Ohio")), ("Canada", ("Ontario", "Quebec")))
LOCALITY_KINDS = ("local authority area", "city", "county", "metropolitan borough")
STAGES = LIFECYCLE_STAGES
STAGE_P = (0.05, 0.10, 0.15, 0.30, 0.20, 0.20)
STAGE_EVIDENCE_P = (0.03, 0.06, 0.12, 0.28, 0.45, 0.62)  # evidence = 1 + binomial(4, p)
ADOPTION_LAMBDA = (0.0, 0.0, 0.0, 0.4, 0.9, 1.6)          # mean adoptions by stage (+ evidence bonus)
OUTCOMES = ADOPTION_OUTCOMES

# Tie categories between people: (share, from layer, to layer, scope, from skew, to skew,
# network weights in NETWORKS order, p of binomial(4, p) for weight 1..5).
# scope: local (same locality), cross (a peer in another locality), nat_out (national ->
# a locality), nat_in (a locality -> national), nat (national <-> national).
# Skew > 1 favours the first actors of a block: hubs.
_ALL = (1, 1, 1, 1, 1, 1, 1)
_CORE = (1.0, 0.8, 1.1, 0.9, 0.7, 0.8, 1.1)
_FRONT = (1.5, 1.0, 0.6, 0.9, 0.3, 0.9, 0.1)
_COMM = (1.0, 1.4, 0.3, 0.4, 0.05, 0.3, 0.05)
_NATNL = (0.6, 0.1, 0.8, 0.8, 0.2, 0.5, 1.5)
_CROSS = (0.3, 0.2, 1.5, 1.0, 0.6, 1.2, 0.6)
PEOPLE_TIES = (
    (0.110, LA, LA, "local", 1.2, 1.8, _CORE, 0.65),
    (0.085, LA, SEC, "local", 1.2, 1.8, _CORE, 0.60),
    (0.085, SEC, LA, "local", 1.2, 1.8, _CORE, 0.60),
    (0.100, SEC, SEC, "local", 1.2, 1.8, _CORE, 0.60),
    (0.075, SEC, FL, "local", 1.2, 1.4, _FRONT, 0.50),
    (0.085, FL, SEC, "local", 1.0, 1.6, _FRONT, 0.50),
    (0.170, FL, FL, "local", 1.0, 1.4, _FRONT, 0.45),
    (0.015, LA, FL, "local", 1.2, 1.2, _FRONT, 0.35),
    (0.015, FL, LA, "local", 1.0, 2.5, _FRONT, 0.35),
    (0.030, FL, COM, "local", 1.0, 1.0, _COMM, 0.30),
    (0.050, COM, FL, "local", 1.0, 1.6, _COMM, 0.30),
    (0.060, COM, COM, "local", 1.0, 1.2, _COMM, 0.30),
    (0.010, COM, LA, "local", 1.0, 4.0, _COMM, 0.25),   # to a gatekeeper (engagement officer)
    (0.005, LA, COM, "local", 4.0, 1.0, _COMM, 0.25),
    (0.005, SEC, COM, "local", 1.5, 1.0, _COMM, 0.25),
    (0.005, COM, SEC, "local", 1.0, 2.0, _COMM, 0.25),
    (0.010, NAT, LA, "nat_out", 1.3, 1.8, _NATNL, 0.40),
    (0.015, LA, NAT, "nat_in", 1.8, 1.5, _NATNL, 0.40),
    (0.005, NAT, SEC, "nat_out", 1.3, 1.8, _NATNL, 0.35),
    (0.005, SEC, NAT, "nat_in", 1.8, 1.5, _NATNL, 0.35),
    (0.005, NAT, NAT, "nat", 1.0, 1.5, _ALL, 0.55),
    (0.010, LA, LA, "cross", 1.8, 1.8, _CROSS, 0.35),
    (0.010, SEC, SEC, "cross", 1.8, 1.8, _CROSS, 0.35),
    (0.003, FL, FL, "cross", 1.5, 1.5, _CROSS, 0.30),
)
_ORG = (1.2, 0.0, 0.8, 0.6, 0.0, 0.4, 1.5)
ORG_TIES = (  # partnerships between organisations
    (0.25, LA, SEC, "local", 1.5, 1.5, _ORG, 0.55),
    (0.20, SEC, LA, "local", 1.5, 1.5, _ORG, 0.55),
    (0.25, SEC, SEC, "local", 1.2, 1.5, _ORG, 0.50),
    (0.10, SEC, FL, "local", 1.2, 1.2, _ORG, 0.50),
    (0.10, COM, LA, "local", 1.0, 1.5, _ORG, 0.30),
    (0.05, NAT, LA, "nat_out", 1.0, 1.5, _ORG, 0.40),
    (0.05, LA, NAT, "nat_in", 1.5, 1.0, _ORG, 0.40),
)
ORG_TIE_SHARE = 0.05
