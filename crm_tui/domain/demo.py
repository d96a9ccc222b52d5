"""A realistic demo data set: a small team, French and English customers, a year of notes.

In French (``crm_tui.i18n.language()`` when it is built) the whole demo speaks French:
French and Québécois customers, French notes, the French starter set, French variables
(``DemoLanguage``). Deterministic for a seed and a language. Settings and users go
through the domain services (admin checked, recorded in the history); customers, notes
and values are generated as typed rows and written in bulk (``db.bulk_load``), fast
enough for a million notes.

A database that has notes is refused unless ``force`` is given: then the demo adds its
notes next to the existing ones, and only creates the settings and users it lacks.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import peewee

from crm_tui.clock import to_utc
from crm_tui.db import customer_state
from crm_tui.db.bulk_load import (
    NOTE_COLUMNS,
    analyze,
    bulk_writing,
    create_indexes,
    drop_indexes,
    insert_rows,
    insert_values,
    large_cache,
    unchecked_references,
)
from crm_tui.db.models import Customer, Note, User, database_proxy
from crm_tui.db.rows import tuple_rows
from crm_tui.domain import settings as tabs
from crm_tui.domain import users as team
from crm_tui.domain.cockpit import pipeline
from crm_tui.domain.errors import DomainError
from crm_tui.domain.ids import allocate_note_ids, second_of
from crm_tui.domain.notes import index_new_notes
from crm_tui.domain.permissions import require_admin
from crm_tui.domain.progress import NullProgress, Progress
from crm_tui.domain.settings import (
    STARTER_ACTIONS,
    STARTER_ACTIONS_FR,
    STARTER_STATUSES,
    STARTER_STATUSES_FR,
)
from crm_tui.domain.text import fold
from crm_tui.i18n import _, language
from crm_tui.records import Badge, Settings, UserInfo

MAX_CUSTOMERS = 100_000
CHUNK = 50_000
BULK_MINIMUM = 20_000
EPOCH = dt.datetime(1970, 1, 1)
_NOT_SLUG = re.compile(r"[^0-9a-z]+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


# fmt: off
TEAM = (("Camille Roy", "rep"), ("Jordan Smith", "rep"), ("Élodie Gagnon", "rep"),
        ("Marc Tremblay", "rep"), ("Priya Patel", "rep"))
STATUS_WEIGHTS = {"Prospect": 22, "Active": 14, "Client": 16, "Awaiting approval": 10,
                  "On hold": 5, "No answer": 9, "Inactive": 4, "Done": 20}
ACTION_WEIGHTS = {"Call": 34, "E-mail": 28, "Fax": 2, "Send sample": 10, "Ship": 9,
                  "Order follow-up": 17}
# The time-zone options: (name, abbreviation, font, background, IANA zone).
TIME_ZONES = (("EST", "E", "#000000", "#64B5F6", "America/Toronto"),
              ("CST", "C", "#000000", "#90CAF9", "America/Chicago"),
              ("MST", "M", "#000000", "#BBDEFB", "America/Denver"),
              ("PST", "P", "#000000", "#E3F2FD", "America/Los_Angeles"))
# Each starter action's default follow-up delay in days (by English name; French alike).
FOLLOW_UP_DAYS = {"Call": 2, "E-mail": 3, "Fax": 3, "Send sample": 7, "Ship": 5,
                  "Order follow-up": 14}
TIME_ZONE_WEIGHTS = (45, 25, 10, 20)
VARIABLES = (("Time zone", "dropdown"), ("Estimated close date", "date"),
             ("Deal value", "currency"), ("Employees", "number"), ("Segment", "text"))
SEGMENTS = {False: _words("Retail|Grocery|Wholesale|Restaurant|Pharmacy|Hotel|Bakery"),
            True: _words("Épicerie fine|Boulangerie|Restauration|Grossiste|Pharmacie|"
                         "Hôtellerie|Détaillant")}
FIRST = {True: _words("Béatrice|Émile|Amélie|François|Hélène|Jérôme|Zoé|Noël|Chloé|Rémi|"
                      "Anaïs|Loïc|Maëlle|Gaëtan|Inès|Thérèse|Cécile|Étienne|Mathéo|Léa|"
                      "Benoît|Geneviève|Sébastien|Josée"),
         False: _words("Emily|James|Olivia|Michael|Sarah|David|Grace|Ryan|Hannah|Ethan|"
                       "Chloe|Lucas|Megan|Owen|Ava|Noah|Liam|Emma|Jacob|Abigail|Daniel|"
                       "Sophia|Henry|Ella")}
LAST = {True: _words("Lefèvre|Côté|Gagnon|Bélanger|Lévesque|Dubois|Fortin|Gauthier|Morin|"
                     "Lefebvre|Bérubé|Pelletier|Girard|Fournier|Mercier|Caron|Bouchard|"
                     "Gélinas|Thériault|Ouellet|Ménard|Poirier|Désilets|Roussel|Chénier|"
                     "Lapointe|Giroux|Séguin|Boucher|Leclerc"),
        False: _words("Smith|Johnson|Brown|Taylor|Wilson|Clark|Walker|Hughes|O'Brien|"
                      "Mitchell|Parker|Turner|Collins|Murphy|Reed|Bennett|Foster|Hayes|"
                      "Russell|Griffin|Coleman|Bryant|Sullivan|Wallace|Fletcher|Holmes|"
                      "Grant|Spencer|Palmer|Ward")}
SHOPS_FR = _words("Épicerie|Boulangerie|Fromagerie|Pharmacie|Café|Brasserie|Quincaillerie|"
                  "Pâtisserie|Boucherie|Librairie")
FIRMS_EN = _words("Foods|Traders|Supply Co.|Distribution|Market|Wholesale|Provisions|& Sons|"
                  "Group|Imports")
CITIES = _words("Montréal|Québec|Lévis|Sherbrooke|Trois-Rivières|Gatineau|Laval|Toronto|"
                "Ottawa|Boston|Chicago|Denver|Seattle|Portland|Lyon|Besançon|Nîmes|Orléans|"
                "Saint-Étienne|Reims|Rimouski|Saguenay|Drummondville|Granby|Longueuil|"
                "Kingston|Hamilton|Moncton|Halifax|Winnipeg|Calgary|Vancouver|Albany|"
                "Buffalo|Detroit|Phoenix|Dallas|Atlanta|Miami|Nantes|Rennes|Lille|"
                "Grenoble|Montpellier|Tours|Angers|Brest|Dijon|Genève|Bruxelles")
PRODUCTS = {False: _words("organic flour|olive oil|maple syrup|coffee beans|cheddar|"
                          "dried fruit|sparkling water|dark chocolate"),
            True: _words("farine bio|huile d'olive|sirop d'érable|café en grains|"
                         "fromage affiné|fruits séchés|eau pétillante|chocolat noir")}
DAYS = {False: _words("Monday|Tuesday|Wednesday|Thursday|Friday"),
        True: _words("lundi|mardi|mercredi|jeudi|vendredi")}
BODIES = {False: (
    "Asked for a quote on {qty} cases of {product}.",
    "Left a voicemail for {first}; will try again {day}.",
    'Spoke with {first}: they want "{product}" samples before ordering.',
    "Sent the catalogue and the new price list.\nFollow up {day}.",
    "Order of {qty} units shipped, tracking number sent by e-mail.",
    "{first} is comparing us with two other suppliers; price is the issue.",
    "Awaiting approval from head office for {qty} cases of {product}.",
    "Sample of {product} delivered; {first} will taste it with the chef.",
    "No answer by phone or e-mail since last week.",
    "Renewed the yearly contract; they want {product} added.",
), True: (
    "Demande de devis pour {qty} caisses de {product}.",
    "Message laissé à {first} ; rappeler {day}.",
    "Échantillon de {product} envoyé, {first} donne sa réponse {day}.",
    "Catalogue envoyé ; elle ne veut que des produits « bio ».\nRelancer {day}.",
    "Commande de {qty} unités expédiée, numéro de suivi envoyé.",
    "{first} attend l'accord de la direction pour {qty} caisses.",
    "Pas de réponse depuis la semaine dernière, ni au téléphone ni par courriel.",
    "Rendez-vous pris avec {first} {day} pour présenter la gamme {product}.",
    "Client satisfait de la dernière livraison ; veut augmenter les volumes.",
    "Prix jugé trop élevé ; proposer une remise sur {product}.",
)}
PHONE_AREAS = ("514", "418", "617", "312", "206")

# --- the demo in French: Québécois and French names (with Œ, É, Ç), the seed's words ---
TEAM_FR = (("Camille Roy", "rep"), ("Julien Bouchard", "rep"), ("Élodie Gagnon", "rep"),
           ("Marc Tremblay", "rep"), ("Sophie Lévesque", "rep"))
VARIABLES_FR = (("Fuseau horaire", "dropdown"), ("Date de clôture estimée", "date"),
                ("Montant", "currency"), ("Employés", "number"), ("Segment", "text"))
TIME_ZONES_FR = (("HNE", "E", "#000000", "#64B5F6", "America/Toronto"),
                 ("HNC", "C", "#000000", "#90CAF9", "America/Winnipeg"),
                 ("HNR", "R", "#000000", "#BBDEFB", "America/Edmonton"),
                 ("HNP", "P", "#000000", "#E3F2FD", "America/Vancouver"),
                 ("HNA", "A", "#000000", "#B3E5FC", "America/Halifax"))
TIME_ZONE_WEIGHTS_FR = (45, 20, 8, 12, 15)
LAST_FR = LAST[True] + _words("Lefrançois|Provençal|Beauchêne|Cœurdacier|Françœur|Ducœur")
SHOPS_FR_DEMO = SHOPS_FR + _words("Œnothèque|Crémerie|Cave à vins|Comptoir|Marché")
FIRMS_FR = _words("et Fils|et Sœurs|Distribution|Alimentation|Import-Export|Traiteur|"
                  "Frères|Gourmet|Œnologie|Inc.")
BODIES_FR = BODIES[True] + (
    "Rappeler {day} pour le devis.",
    "Échantillon envoyé, attend retour de {first}.",
    "{first} veut être livrée avant {day} ; vérifier le stock (gamme {product}).",
    "Relance par courriel : toujours pas de réponse au devis.",
    "Commande confirmée : {qty} caisses, gamme {product}, livraison {day}.",
    "Facture envoyée ; {first} paiera à 30 jours.",
    "Dégustation en magasin {day} : apporter la fiche produit (gamme {product}).",
    "Soirée clients : {first} cherche des idées de hors-d'œuvre (gamme {product}).",
    "Changement d'interlocuteur : écrire à {first} à partir de {day}.",
)
# fmt: on


@dataclass(frozen=True, slots=True)
class DemoLanguage:
    """What the demo writes in one language: team, variables, names and note texts.

    ``french_only``: every customer French (and every note in French); otherwise half the
    customers are French and half English, as the English demo always had it.
    """

    team: tuple[tuple[str, str], ...]
    variables: tuple[tuple[str, str], ...]
    time_zones: tuple[tuple[str, str, str, str, str], ...]
    time_zone_weights: tuple[int, ...]
    french_only: bool
    french_last: tuple[str, ...]
    french_shops: tuple[str, ...]
    french_firms: tuple[str, ...]
    french_bodies: tuple[str, ...]


ENGLISH = DemoLanguage(TEAM, VARIABLES, TIME_ZONES, TIME_ZONE_WEIGHTS, False, LAST[True],
                       SHOPS_FR, (), BODIES[True])  # fmt: skip
FRENCH = DemoLanguage(TEAM_FR, VARIABLES_FR, TIME_ZONES_FR, TIME_ZONE_WEIGHTS_FR, True, LAST_FR,
                      SHOPS_FR_DEMO, FIRMS_FR, BODIES_FR)  # fmt: skip


def demo_language(lang: str | None = None) -> DemoLanguage:
    """The demo's data in ``lang`` (default: the language in force)."""
    return FRENCH if (lang or language()) == "fr" else ENGLISH


def _starter_weights(
    weights: dict[str, int], english: Sequence[tuple[Any, ...]], french: Sequence[tuple[Any, ...]]
) -> dict[str, int]:
    """The demo's weights (by English name) by folded starter name in both languages."""
    known = {}
    for english_row, french_row in zip(english, french, strict=True):
        if english_row[0] in weights:
            weight = weights[english_row[0]]
            known[fold(english_row[0])] = known[fold(french_row[0])] = weight
    return known


@dataclass(frozen=True, slots=True)
class DemoMade:
    """What the demo added."""

    users: int
    customers: int
    notes: int


@dataclass(slots=True)
class _Customer:
    """A demo customer and the values its notes carry (``None``: left blank)."""

    id: int
    name: str
    french: bool
    time_zone: int | None
    employees: float | None
    segment: str | None
    segment_key: str | None = None


def _ensure_settings(actor: UserInfo, speech: DemoLanguage) -> Settings:
    """Create the demo's statuses, actions and variables that are missing, in the demo's
    language; one there in the other language (a database started in English, a demo in
    French) counts as there. The cockpit's settings are then completed where blank: Done
    (Terminé) is done, the starter actions have their follow-up delays, the time-zone
    options their zones; business hours stay the default."""
    current = tabs.load_settings()
    french = speech is FRENCH
    names = {fold(badge.name) for badge in current.statuses}
    for english_row, french_row in zip(STARTER_STATUSES, STARTER_STATUSES_FR, strict=True):
        if fold(english_row[0]) in names or fold(french_row[0]) in names:
            continue
        name, abbreviation, font, background, in_sequence, done = (
            french_row if french else english_row
        )
        tabs.create_badge(
            actor,
            "status",
            name=name,
            abbreviation=abbreviation,
            font_color=font,
            background_color=background,
            in_sequence=in_sequence,
            done=done,
        )
    names = {fold(badge.name) for badge in current.actions}
    for english_action, french_action in zip(STARTER_ACTIONS, STARTER_ACTIONS_FR, strict=True):
        if fold(english_action[0]) in names or fold(french_action[0]) in names:
            continue
        action = french_action if french else english_action
        tabs.create_badge(
            actor,
            "action",
            name=action[0],
            abbreviation=action[1],
            font_color=action[2],
            background_color=action[3],
        )
    variables = {fold(variable.name) for variable in current.variables}
    for (english_name, _type), (french_name, type_) in zip(VARIABLES, VARIABLES_FR, strict=True):
        if fold(english_name) in variables or fold(french_name) in variables:
            continue
        zones = [
            {
                "name": name,
                "abbreviation": abbreviation,
                "font_color": font,
                "background_color": background,
                "in_sequence": True,
                "time_zone": zone,
            }
            for name, abbreviation, font, background, zone in speech.time_zones
        ]
        options = zones if type_ == "dropdown" else []
        name = french_name if french else english_name
        tabs.create_variable(actor, name=name, type=type_, options=options)
    _complete_cockpit(actor, tabs.load_settings())
    return tabs.load_settings()


def _complete_cockpit(actor: UserInfo, current: Settings) -> None:
    """Fill the cockpit's blank settings of the demo's items (a database made before the
    cockpit, or by an earlier demo): Done is done, actions get delays, zones their zone."""
    done = {fold(STARTER_STATUSES[-1][0]), fold(STARTER_STATUSES_FR[-1][0])}  # Done, Terminé
    for status in current.statuses:
        if fold(status.name) in done and not status.done:
            tabs.update_badge(actor, "status", status.id, done=True)
    delays = _starter_weights(FOLLOW_UP_DAYS, STARTER_ACTIONS, STARTER_ACTIONS_FR)
    for action in current.actions:
        delay = delays.get(fold(action.name))
        if delay is not None and action.follow_up_days is None:
            tabs.update_badge(actor, "action", action.id, follow_up_days=delay)
    zones = {fold(row[0]): row[4] for row in (*TIME_ZONES, *TIME_ZONES_FR)}
    zone_names = {fold(VARIABLES[0][0]), fold(VARIABLES_FR[0][0])}  # Time zone, Fuseau horaire
    for variable in current.variables:
        if fold(variable.name) not in zone_names or variable.type != "dropdown":
            continue
        for option in variable.options:
            zone = zones.get(fold(option.name))
            if zone is not None and not option.time_zone:
                tabs.update_badge(actor, "option", option.id, time_zone=zone)


def _ensure_team(actor: UserInfo, speech: DemoLanguage) -> list[int]:
    """Add the demo team's missing members; returns the ids of every active user."""
    for name, role in speech.team:
        if team.find_user(name) is None:
            team.create_user(actor, name, role=role)
    return [user.id for user in team.list_users() if user.active]


def _customer_names(
    rng: random.Random, count: int, taken: set[str], speech: DemoLanguage = ENGLISH
) -> list[tuple[str, str, bool]]:
    """``count`` distinct ``(name, folded name, is French)``, none in ``taken``.

    People, shops and firms, then the same in other cities, then numbered branches.
    """
    bases: list[tuple[str, str, bool]] = []
    for french in (True,) if speech.french_only else (True, False):
        for last in speech.french_last if french else LAST[french]:
            names = [f"{first} {last}" for first in FIRST[french]]
            if french:
                names += [f"{shop} {last}" for shop in speech.french_shops]
                names += [f"{last} {firm}" for firm in speech.french_firms]
            else:
                names += [f"{last} {firm}" for firm in FIRMS_EN]
            bases += [(name, fold(name), french) for name in names]
    rng.shuffle(bases)
    suffixes = [("", ""), *((f" ({city})", f" ({fold(city)})") for city in CITIES)]
    found: list[tuple[str, str, bool]] = []
    seen = set(taken)
    branch = 2
    while True:
        for suffix, suffix_key in suffixes:
            for base, base_key, french in bases:
                key = base_key + suffix_key
                if key not in seen:
                    seen.add(key)
                    found.append((base + suffix, key, french))
                    if len(found) == count:
                        return found
        suffixes = [(f" #{branch}", f" #{branch}")]  # every combination is taken
        branch += 1


def _maybe(rng: random.Random, blank_rate: float, make: Callable[[], Any]) -> Any:
    return None if rng.random() < blank_rate else make()


def _phone(rng: random.Random, french: bool) -> str:
    if french:
        return "+33 1 " + " ".join(f"{rng.randrange(100):02d}" for _pair in range(4))
    return f"+1 {rng.choice(PHONE_AREAS)}-555-{rng.randrange(10_000):04d}"


def _make_customers(
    rng: random.Random,
    count: int,
    created: dt.datetime,
    dates_as_text: bool,
    speech: DemoLanguage = ENGLISH,
) -> list[_Customer]:
    """Write ``count`` new customers; returns them with the values their notes carry."""
    taken = {key for (key,) in tuple_rows(Customer.select(Customer.name_key))}
    names = _customer_names(rng, count, taken, speech) if count else []
    stamp = created.isoformat(sep=" ") if dates_as_text else created
    rows = []
    for name, key, french in names:
        slug = _NOT_SLUG.sub("", key)[:24]
        email = f"contact@{slug}.{'fr' if french else 'com'}" if rng.random() > 0.25 else ""
        phone = _phone(rng, french) if rng.random() > 0.3 else ""
        rows.append((name, key, email, phone, stamp))
    last_before = Customer.select(peewee.fn.MAX(Customer.id)).scalar() or 0
    columns = ("name", "name_key", "email", "phone", "created_at")
    insert_rows(database_proxy.obj, "customer", columns, rows)
    ids = Customer.select(Customer.id).where(Customer.id > last_before).order_by(Customer.id)
    return [
        _customer(rng, customer_id, name, french, speech.time_zone_weights)
        for (customer_id,), (name, _key, french) in zip(tuple_rows(ids), names, strict=True)
    ]


def _customer(
    rng: random.Random,
    customer_id: int,
    name: str,
    french: bool,
    zone_weights: Sequence[int] = TIME_ZONE_WEIGHTS,
) -> _Customer:
    """A customer with the time zone, size and segment its notes will carry (or blanks)."""
    segment = _maybe(rng, 0.3, lambda: rng.choice(SEGMENTS[french]))
    zones = range(len(zone_weights))
    return _Customer(
        id=customer_id,
        name=name,
        french=french,
        time_zone=_maybe(rng, 0.1, lambda: rng.choices(zones, zone_weights)[0]),
        employees=_maybe(rng, 0.2, lambda: float(int(math.exp(rng.uniform(0.7, 7.5))))),
        segment=segment,
        segment_key=fold(segment) if segment else None,
    )


def _bodies(
    rng: random.Random, french: bool, count: int, speech: DemoLanguage = ENGLISH
) -> list[str]:
    """``count`` note texts in French or English, from templates."""
    templates = speech.french_bodies if french else BODIES[french]
    return [
        rng.choice(templates).format(
            first=rng.choice(FIRST[french]),
            product=rng.choice(PRODUCTS[french]),
            day=rng.choice(DAYS[french]),
            qty=rng.choice((12, 24, 50, 200)),
        )
        for _index in range(count)
    ]


def _note_seconds(rng: random.Random, count: int, today: dt.date) -> list[int]:
    """Creation seconds in office hours over the 365 days before ``today``, sorted.

    Weekdays get six times the notes of weekend days, and the team grows over the year.
    """
    days = [today - dt.timedelta(days=ago) for ago in range(365, 0, -1)]
    weights = [(1 if day.weekday() >= 5 else 6) * (1 + index / 365) for index, day in
               enumerate(days)]  # fmt: skip
    # 8:00 in the zone of whoever fills the database, stored as UTC.
    starts = [second_of(to_utc(dt.datetime.combine(day, dt.time(8)))) for day in days]
    random_ = rng.random
    return sorted(
        start + int(random_() * 36_000) for start in rng.choices(starts, weights, k=count)
    )


def _picker(badges: Sequence[Badge], weights: dict[str, int]) -> Callable[[float], int | None]:
    """Picks a badge id from a uniform number in [0, 1), by the demo's weights (by folded
    name; 3 for a badge not in the starter set)."""
    active = [badge for badge in badges if not badge.archived]
    if not active:
        return lambda _x: None
    cumulative = list(accumulate(weights.get(fold(badge.name), 3) for badge in active))
    bounds = [weight / cumulative[-1] for weight in cumulative[:-1]]
    ids = [badge.id for badge in active]
    return lambda x: ids[bisect_right(bounds, x)]


Rows = list[tuple[Any, ...]]
DAY = 86_400
RECENT_DAYS = 120
"""Notes of the last 120 days expect their deal to close from two weeks ago to six months
ahead (older notes: 15 to 120 days after the note), so the pipeline has dates to come."""


class _NoteMaker:
    """Generates the typed rows of notes and of their values, chunk by chunk.

    Works on whole seconds and day numbers (days since 1970), with every date the
    notes can carry formatted once, so a million notes take seconds, not minutes.
    """

    def __init__(
        self,
        rng: random.Random,
        settings: Settings,
        customers: list[_Customer],
        user_ids: list[int],
        first_day: int,
        dates_as_text: bool,
        speech: DemoLanguage = ENGLISH,
    ) -> None:
        self.rng = rng
        self.customers = customers
        self.user_ids = user_ids
        self.dates_as_text = dates_as_text
        status_weights = _starter_weights(STATUS_WEIGHTS, STARTER_STATUSES, STARTER_STATUSES_FR)
        action_weights = _starter_weights(ACTION_WEIGHTS, STARTER_ACTIONS, STARTER_ACTIONS_FR)
        self.status = _picker(settings.statuses, status_weights)
        self.action = _picker(settings.actions, action_weights)
        done = {fold(STARTER_STATUSES[-1][0]), fold(STARTER_STATUSES_FR[-1][0])}  # Done, Terminé
        self.done = next((b.id for b in settings.statuses if fold(b.name) in done), None)
        pool = min(20_000, max(50, len(customers) * 5))
        self.bodies = {french: _bodies(rng, french, pool, speech) for french in (True, False)}
        by_name = {fold(v.name): v for v in settings.variables if not v.archived}
        # By the English name of each demo variable (its role), found by either spelling.
        self.variables = {}
        for (role, type_), (french, _type) in zip(VARIABLES, VARIABLES_FR, strict=True):
            spellings = (french, role) if speech is FRENCH else (role, french)
            found = [by_name[fold(name)] for name in spellings if fold(name) in by_name]
            if found and found[0].type == type_:
                self.variables[role] = found[0]
        zone = self.variables.get("Time zone")
        self.zones = [option.id for option in zone.options] if zone else []
        self.note_customers: list[_Customer] = []  # of each note made, in order
        self.note_days: list[int] = []
        self.first_day = first_day
        self.today = 366  # ``today``, counted from ``first_day``
        dates = [EPOCH.date() + dt.timedelta(days=first_day + n) for n in range(366 + 200)]
        self.days: list[Any] = [day.isoformat() for day in dates] if dates_as_text else dates

    def _stamp(self, second: int) -> Any:
        if not self.dates_as_text:
            return EPOCH + dt.timedelta(seconds=second)
        day, rest = divmod(second, DAY)
        hour, rest = divmod(rest, 3600)
        minute, sec = divmod(rest, 60)
        return f"{self.days[day - self.first_day]} {hour:02d}:{minute:02d}:{sec:02d}"

    def notes(self, ids: list[int], seconds: list[int]) -> Rows:
        """Note rows for notes of these ids and seconds (call in order: values follow them)."""
        random_ = self.rng.random
        customers, users, days = self.customers, self.user_ids, self.days
        status_of, action_of, done = self.status, self.action, self.done
        rows: Rows = []
        for note_id, second in zip(ids, seconds, strict=True):
            customer = customers[int(len(customers) * random_() ** 2.2)]
            day = second // DAY - self.first_day
            self.note_customers.append(customer)
            self.note_days.append(day)
            status = status_of(random_())
            follow_up = None
            if status != done and random_() < 0.6:
                follow_up = days[day + 1 + int(random_() * 21)]
            assignee = None if random_() < 0.15 else users[int(random_() * len(users))]
            bodies = self.bodies[customer.french]
            stamp = self._stamp(second)
            rows.append(
                (note_id, customer.id, action_of(random_()), status, assignee,
                 users[int(random_() * len(users))], bodies[int(random_() * len(bodies))],
                 follow_up, stamp, stamp, 1)
            )  # fmt: skip
        return rows

    def values(self, ids: list[int], start: int) -> dict[int, tuple[str, Rows]]:
        """Value rows by variable id for the notes ``ids``, the ``start``-th made onward."""
        random_, exp, days, zones = self.rng.random, math.exp, self.days, self.zones
        made: dict[str, Rows] = {name: [] for name, _type in VARIABLES}
        zone, close, deal, employees, segment = (made[name].append for name, _type in VARIABLES)
        customers = self.note_customers[start : start + len(ids)]
        note_days = self.note_days[start : start + len(ids)]
        for note_id, customer, day in zip(ids, customers, note_days, strict=True):
            if customer.time_zone is not None and zones:
                zone((note_id, zones[customer.time_zone % len(zones)]))
            if random_() >= 0.35:  # the last four months' deals close in the coming months
                if day >= self.today - RECENT_DAYS:
                    closes = self.today - 15 + int(random_() * 195)
                else:
                    closes = day + 15 + int(random_() * 105)
                close((note_id, days[closes]))
            if random_() >= 0.4:
                deal(
                    (
                        note_id,
                        int(exp(6.2 + random_() * 6.2)) * 100 + (0, 50, 99)[int(random_() * 3)],
                    )
                )
            if customer.employees is not None:
                employees((note_id, customer.employees))
            if customer.segment is not None:
                segment((note_id, customer.segment, customer.segment_key))
        return {v.id: (v.type, made[name]) for name, v in self.variables.items()}


def build_demo(
    actor: UserInfo,
    *,
    notes: int = 2000,
    seed: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> DemoMade:
    """Fill the database with a demo team, about ``notes / 10`` customers and ``notes`` notes.

    Admins only; one transaction. Refuses a database with notes unless ``force``.
    """
    progress = progress or NullProgress()
    today = today or dt.date.today()
    rng = random.Random(seed)
    database = database_proxy.obj
    dates_as_text = bulk_writing(database).dates_as_text
    with unchecked_references(database), database_proxy.atomic(), large_cache(database):
        require_admin(actor, _("fill the database with demo data"))
        existing = Note.select().count()
        if existing and not force:
            raise DomainError(
                _(
                    "this database has {count} notes already: the demo fills a new database "
                    "(add --force to add demo notes anyway)"
                ).format(count=existing)
            )
        progress.start(_("Preparing the team and the customers"), None)
        speech = demo_language()
        settings = _ensure_settings(actor, speech)
        user_ids = _ensure_team(actor, speech)
        count = min(MAX_CUSTOMERS, max(1, round(notes / 10))) if notes else 0
        first_day = (today - EPOCH.date()).days - 366
        start_of_year = EPOCH + dt.timedelta(days=first_day, hours=8)
        customers = _make_customers(rng, count, start_of_year, dates_as_text, speech)
        maker = _NoteMaker(rng, settings, customers, user_ids, first_day, dates_as_text, speech)
        seconds = _note_seconds(rng, notes, today)
        ids = sorted(allocate_note_ids(database, seconds))
        _write(maker, ids, seconds, progress, bulk=notes >= BULK_MINIMUM)
        customer_state.rebuild_all(  # each customer's status and newest values
            database, pipeline.default_variables()
        )
    progress.start(_("Analysing"), None)
    analyze(database)
    return DemoMade(users=User.select().count(), customers=len(customers), notes=notes)


def _write(
    maker: _NoteMaker, ids: list[int], seconds: list[int], progress: Progress, bulk: bool
) -> None:
    """Write notes, then their values, each generated in a helper thread meanwhile.

    Notes are made one chunk ahead of the writes; values are made while the notes'
    indexes and the search index are built (SQLite works without holding Python's lock).
    """
    database = database_proxy.obj
    index_reads_notes = bulk_writing(database).index_reads_notes
    names = {customer.id: customer.name for customer in maker.customers}
    note_indexes = drop_indexes(database, ["note"]) if bulk else []
    value_indexes = drop_indexes(database, ["note_value"]) if bulk else []
    starts = range(0, len(ids), CHUNK)
    helper = ThreadPoolExecutor(max_workers=1)
    try:
        progress.start(_("Writing notes"), len(ids))
        coming = helper.submit(maker.notes, ids[:CHUNK], seconds[:CHUNK])
        for start in starts:
            rows = coming.result()
            ahead = slice(start + CHUNK, start + 2 * CHUNK)
            if ahead.start < len(ids):
                coming = helper.submit(maker.notes, ids[ahead], seconds[ahead])
            insert_rows(database, "note", NOTE_COLUMNS, rows)
            if not index_reads_notes:
                index_new_notes(database, [], documents=[(r[0], r[6], names[r[1]]) for r in rows])
            progress.advance(len(rows))
        values = [
            helper.submit(maker.values, ids[start : start + CHUNK], start) for start in starts
        ]
        progress.start(_("Indexing notes"), None)
        create_indexes(database, note_indexes)
        if index_reads_notes:
            index_new_notes(database, ids, rebuild=True)
        progress.start(_("Writing values"), len(ids))
        for start, made in zip(starts, values, strict=True):
            for variable_id, (variable_type, rows) in made.result().items():
                insert_values(database, variable_type, variable_id, rows)
            progress.advance(min(CHUNK, len(ids) - start))
        progress.start(_("Indexing values"), None)
        create_indexes(database, value_indexes)
    finally:
        helper.shutdown(wait=True, cancel_futures=True)
