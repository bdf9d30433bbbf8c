"""Authorization: every URL of the project, for every persona, against a table of outcomes.

The personas are those of tests/conftest.py (athlete Alice, her coach Bob, athlete Charlie,
staff Sam in "Catalogue editors") plus Dana, a coach Alice never linked to, and an anonymous
visitor. Bob is linked to Alice; Alice has a finished session with sets, an open session
with a set, an excused week and a comment from Bob (and one of her own).

The URLs come from the resolver, walked recursively: a new URL has no row in RULES and
fails `test_every_url_pattern_has_an_expectation` (and each of its cases), so it cannot
slip past this file. Each URL is requested with GET and with POST by every persona:

- GET never changes a row anywhere (the only exception is the read receipt Alice leaves on
  the comments of a session she opens).
- A refused request (404, 403, 405, a redirect to a login page) changes nothing at all.
- An allowed request by anyone but Alice leaves Alice's data as it was; Bob's permitted
  writes (comments, weekly target, excused weeks, recommended routine, removing Alice) may
  change those, but never her sessions or sets.

Staff: the admin registers the catalogue, user accounts and django-axes' sign-in logs, and
Sam's group holds permissions for the catalogue only (403 on the rest). No session, set,
comment, target, excused-week or coach-link model is registered, so staff see athletes'
logs nowhere: not in the admin, and not in the app, where Sam is a stranger like Charlie.
`test_staff_see_athletes_logs_nowhere` pins that decision.

Speed: the personas and Alice's data are built once for the module, inside a transaction
rolled back after its last test; every test runs in a savepoint rolled back after it (and
each of GET and POST in one of its own), so every request starts from the same rows.
"""

import inspect
import re
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessFailureLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse

from accounts.models import CoachLink, User
from accounts.services import invite_code_for, link_revoke
from tests.factories import PASSWORD, CoachFactory, UserFactory, start_session
from workouts import services, weeks
from workouts.history import local_moment, log_past_session
from workouts.models import (
    Comment,
    ExcusedWeek,
    Exercise,
    Routine,
    SessionExercise,
    SetLog,
    WeeklyTarget,
    WorkoutSession,
)

# The mark also tells pytest-django to create the test database that the module-scoped
# world below is built in.
pytestmark = pytest.mark.django_db

PERSONAS = ("alice", "bob", "charlie", "dana", "sam", "anon")
SIGNED_IN = PERSONAS[:-1]

# Outcomes.
OK = "ok"  # served: 2xx, 422 (a form sent back), or a redirect that is not to a login page
LOGIN = "login"  # 302 to /accounts/login/?next=<this url>
ADMIN_LOGIN = "admin login"  # 302 to a login page (the admin's, or the site's) ?next=<url>
NOT_FOUND = "404"
FORBIDDEN = "403"
REFUSED = "403 or 404"
NOT_ALLOWED = "405"
DENIALS = {LOGIN, ADMIN_LOGIN, NOT_FOUND, FORBIDDEN, REFUSED, NOT_ALLOWED}

# What Bob may change of Alice's: comments, the weekly target, excused weeks, the
# recommended routine, and whether she is on his roster. Never her sessions or sets.
COACH_WRITES = {
    "workouts:comment_create",
    "workouts:comment_delete",
    "workouts:coach_target",
    "workouts:coach_excuse",
    "workouts:coach_unexcuse",
    "workouts:coach_recommend",
    "workouts:coach_remove",
}


# --- Outcome tables -----------------------------------------------------------------------


def everyone(outcome: str = OK) -> dict[str, str]:
    """Public: the same for every persona, signed in or not."""
    return dict.fromkeys(PERSONAS, outcome)


def signed_in(outcome: str = OK) -> dict[str, str]:
    """About the person asking (their own history, profile, target...): any account."""
    return {**dict.fromkeys(SIGNED_IN, outcome), "anon": LOGIN}


def alices(bob: str) -> dict[str, str]:
    """One of Alice's sessions, sets or comments: hers; Bob as given; strangers 404."""
    return {
        "alice": OK,
        "bob": bob,
        "charlie": NOT_FOUND,
        "dana": NOT_FOUND,
        "sam": NOT_FOUND,
        "anon": LOGIN,
    }


def bob_on_alice() -> dict[str, str]:
    """A coach page about Alice: Bob only; Alice is not her own coach."""
    return {
        "alice": NOT_FOUND,
        "bob": OK,
        "charlie": NOT_FOUND,
        "dana": NOT_FOUND,
        "sam": NOT_FOUND,
        "anon": LOGIN,
    }


def coaches() -> dict[str, str]:
    """A coach's own pages (roster, invite code, thresholds): coach accounts only."""
    return {
        "alice": NOT_FOUND,
        "bob": OK,
        "charlie": NOT_FOUND,
        "dana": OK,
        "sam": NOT_FOUND,
        "anon": LOGIN,
    }


def staff(sam: str) -> dict[str, str]:
    """The admin: only staff get past its own login page."""
    return {**dict.fromkeys(PERSONAS, ADMIN_LOGIN), "sam": sam}


Kwargs = Callable[["World"], dict]


def no_kwargs(w: "World") -> dict:
    return {}


@dataclass(frozen=True)
class Rule:
    """Expected outcomes per persona for GET and POST; None: the view does not serve it
    (405 for anyone signed in, the login redirect for a visitor if the view needs login)."""

    get: dict[str, str] | None
    post: dict[str, str] | None
    kw: Kwargs = no_kwargs
    data: Kwargs = no_kwargs
    writes: frozenset[str] = frozenset()  # personas whose allowed POST must change rows
    keeps: frozenset[str] = frozenset()  # personas whose allowed POST must change nothing


def finished(w: "World") -> dict:
    return {"pk": w.finished.pk}


def open_session(w: "World") -> dict:
    return {"pk": w.open.pk}


def open_set(w: "World") -> dict:
    return {"pk": w.open.pk, "set_pk": w.open_set.pk}


def athlete(w: "World") -> dict:
    return {"pk": w.alice.pk}


def target(w: "World") -> dict:
    return {"target": "3"}


def excuse(w: "World") -> dict:
    return {"week": w.this_monday.isoformat(), "reason": "illness", "note": ""}


ALICE = frozenset({"alice"})
BOB = frozenset({"bob"})
ALL_SIGNED_IN = frozenset(SIGNED_IN)

RULES: dict[str, Rule] = {
    # --- Public pages -------------------------------------------------------------------
    "home": Rule(get=everyone(), post=None),  # visitors are sent to the catalogue
    "workouts:routine_list": Rule(get=everyone(), post=None),
    "workouts:routine_detail": Rule(
        get=everyone(), post=None, kw=lambda w: {"slug": "ankle-stability"}
    ),
    "service_worker": Rule(get=everyone(), post=None),
    "manifest": Rule(get=everyone(), post=None),
    "offline": Rule(get=everyone(), post=None),
    "health": Rule(get=everyone(), post=None),  # says only whether the database answers
    "login": Rule(get=everyone(), post=everyone()),
    "signup": Rule(get=everyone(), post=everyone()),
    "password_reset": Rule(get=everyone(), post=everyone()),
    "password_reset_done": Rule(get=everyone(), post=None),
    "password_reset_confirm": Rule(
        get=everyone(), post=everyone(), kw=lambda w: {"uidb64": "MTIzNDU", "token": "x-y"}
    ),
    "password_reset_complete": Rule(get=everyone(), post=None),
    # --- The person's own account and data ------------------------------------------------
    "logout": Rule(get=None, post=signed_in()),
    "password_change": Rule(get=signed_in(), post=signed_in()),
    "password_change_done": Rule(get=signed_in(), post=None),
    # Everyone's profile as it is: saved, and nothing changes.
    "profile": Rule(
        get=signed_in(),
        post=signed_in(),
        data=lambda w: {"display_name": "", "time_zone": "UTC", "weight_unit": "kg"},
        keeps=ALL_SIGNED_IN,
    ),
    "coaches": Rule(get=signed_in(), post=signed_in()),
    # Alice is linked already, Bob's own code is refused; Charlie consents and is linked.
    "coach_join": Rule(
        get=signed_in(),
        post=signed_in(),
        kw=lambda w: {"code": w.code},
        writes=frozenset({"charlie"}),
        keeps=frozenset({"alice", "bob"}),
    ),
    # Only an athlete revokes their own coach; for anyone else Bob is not their coach.
    "coach_revoke": Rule(
        get=None,
        post={**alices(bob=REFUSED), "charlie": REFUSED, "dana": REFUSED, "sam": REFUSED},
        kw=lambda w: {"coach_pk": w.bob.pk},
        writes=ALICE,
    ),
    "data_download": Rule(get=signed_in(), post=None),
    # Without the password typed again nothing is deleted: the form comes back.
    "account_delete": Rule(get=signed_in(), post=signed_in(), keeps=ALL_SIGNED_IN),
    "coach_invite": Rule(get=coaches(), post=coaches(), writes=frozenset({"bob", "dana"})),
    "workouts:history": Rule(get=signed_in(), post=None),
    "workouts:progress_list": Rule(get=signed_in(), post=None),
    "workouts:progress": Rule(get=signed_in(), post=None, kw=lambda w: {"slug": w.exercise_slug}),
    "workouts:export": Rule(get=signed_in(), post=None),
    "workouts:week_target": Rule(get=None, post=signed_in(), data=target, writes=ALL_SIGNED_IN),
    "workouts:week_excuse": Rule(get=None, post=signed_in(), data=excuse, writes=ALL_SIGNED_IN),
    # Each person un-excuses their own week: Bob sending Alice's week changes nothing of hers.
    "workouts:week_unexcuse": Rule(
        get=None,
        post=signed_in(),
        kw=lambda w: {"week": w.excused.week_start.isoformat()},
        writes=ALICE,
    ),
    "workouts:recommendation_clear": Rule(get=None, post=signed_in()),
    # Starting a session starts the asker's own; Alice has one open already.
    "workouts:session_start": Rule(
        get=signed_in(),
        post=signed_in(),
        kw=lambda w: {"slug": "ankle-stability"},
        writes=frozenset({"bob", "charlie", "dana", "sam"}),
        keeps=ALICE,
    ),
    # --- Alice's sessions, sets and comments ------------------------------------------------
    "workouts:session": Rule(get=alices(bob=OK), post=None, kw=finished),
    "workouts:set_create": Rule(
        get=None,
        post=alices(bob=REFUSED),
        kw=open_session,
        data=lambda w: w.new_set_data,
        writes=ALICE,
    ),
    "workouts:set_update": Rule(
        get=None,
        post=alices(bob=REFUSED),
        kw=open_set,
        data=lambda w: w.set_update_data,
        writes=ALICE,
    ),
    "workouts:set_delete": Rule(get=None, post=alices(bob=REFUSED), kw=open_set, writes=ALICE),
    "workouts:session_finish": Rule(
        get=None,
        post=alices(bob=REFUSED),
        kw=open_session,
        data=lambda w: {"note": "Done."},
        writes=ALICE,
    ),
    "workouts:session_note": Rule(
        get=None,
        post=alices(bob=REFUSED),
        kw=finished,
        data=lambda w: {"note": "Rewritten."},
        writes=ALICE,
    ),
    "workouts:session_abandon": Rule(
        get=None, post=alices(bob=REFUSED), kw=open_session, writes=ALICE
    ),
    "workouts:session_delete": Rule(
        get=alices(bob=REFUSED), post=alices(bob=REFUSED), kw=finished, writes=ALICE
    ),
    "workouts:comment_create": Rule(
        get=None,
        post=alices(bob=OK),
        kw=finished,
        data=lambda w: {"about": "", "body": "Keep the knee over the toes."},
        writes=frozenset({"alice", "bob"}),
    ),
    # The comment is Bob's: only its author deletes it, so Alice gets 404 too.
    "workouts:comment_delete": Rule(
        get=None,
        post={**alices(bob=OK), "alice": REFUSED},
        kw=lambda w: {"pk": w.finished.pk, "comment_pk": w.bob_comment.pk},
        writes=BOB,
    ),
    # --- Coach pages -----------------------------------------------------------------------
    "workouts:roster": Rule(get=coaches(), post=None),
    "workouts:coach_thresholds": Rule(
        get=None,
        post=coaches(),
        data=lambda w: {"pain_threshold": "6", "asymmetry_threshold": "25"},
        writes=frozenset({"bob", "dana"}),
    ),
    "workouts:coach_athlete": Rule(get=bob_on_alice(), post=None, kw=athlete),
    "workouts:coach_history": Rule(get=bob_on_alice(), post=None, kw=athlete),
    "workouts:coach_progress_list": Rule(get=bob_on_alice(), post=None, kw=athlete),
    "workouts:coach_progress": Rule(
        get=bob_on_alice(), post=None, kw=lambda w: {"pk": w.alice.pk, "slug": w.exercise_slug}
    ),
    "workouts:coach_export": Rule(get=bob_on_alice(), post=None, kw=athlete),
    "workouts:coach_target": Rule(
        get=None, post=bob_on_alice(), kw=athlete, data=target, writes=BOB
    ),
    "workouts:coach_excuse": Rule(
        get=None, post=bob_on_alice(), kw=athlete, data=excuse, writes=BOB
    ),
    "workouts:coach_unexcuse": Rule(
        get=None,
        post=bob_on_alice(),
        kw=lambda w: {"pk": w.alice.pk, "week": w.excused.week_start.isoformat()},
        writes=BOB,
    ),
    "workouts:coach_recommend": Rule(
        get=None,
        post=bob_on_alice(),
        kw=athlete,
        data=lambda w: {"routine": str(w.recommend_routine.pk)},
        writes=BOB,
    ),
    "workouts:coach_remove": Rule(get=None, post=bob_on_alice(), kw=athlete, writes=BOB),
    # --- The admin: staff only; Sam's group edits the catalogue and nothing else ------------
    "admin:index": Rule(get=staff(OK), post=staff(OK)),
    "admin:login": Rule(get=everyone(), post=everyone()),
    # Signed-in non-staff are sent to the admin index (Django's rule for logout).
    "admin:logout": Rule(
        get={**dict.fromkeys(SIGNED_IN, OK), "sam": NOT_ALLOWED, "anon": ADMIN_LOGIN},
        post={**dict.fromkeys(SIGNED_IN, OK), "anon": ADMIN_LOGIN},
    ),
    "admin:password_change": Rule(get=staff(OK), post=staff(OK)),
    "admin:password_change_done": Rule(get=staff(OK), post=staff(NOT_ALLOWED)),
    "admin:autocomplete": Rule(get=staff(FORBIDDEN), post=staff(NOT_ALLOWED)),
    "admin:jsi18n": Rule(get=staff(OK), post=staff(NOT_ALLOWED)),
    # Redirects to the object's page in the app, which is 404 for Sam (see the staff test).
    "admin:view_on_site": Rule(
        get=staff(OK),
        post=staff(OK),
        kw=lambda w: {"content_type_id": w.session_type.pk, "object_id": w.finished.pk},
    ),
    "admin:app_list": Rule(get=staff(OK), post=staff(OK), kw=lambda w: {"app_label": "workouts"}),
    "admin:auth_user_password_change": Rule(
        get=staff(FORBIDDEN), post=staff(FORBIDDEN), kw=lambda w: {"id": w.alice.pk}
    ),
    "admin:workouts_exercise_retire": Rule(
        get=staff(OK), post=staff(OK), kw=lambda w: {"pk": w.admin_objects["workouts.Exercise"]}
    ),
    "admin/(?P<url>.*)$": Rule(
        get=staff(NOT_FOUND), post=staff(NOT_FOUND), kw=lambda w: {"url": "no-such-page/"}
    ),
}

# Every model the admin registers, and what Sam may do with it. Registering another model
# (say, sessions) adds URLs without a rule here, and the matrix fails until someone decides.
ADMIN_MODELS = {
    "auth.Group": FORBIDDEN,
    "accounts.User": FORBIDDEN,
    "axes.AccessAttempt": FORBIDDEN,
    "axes.AccessLog": FORBIDDEN,
    "axes.AccessFailureLog": FORBIDDEN,
    "workouts.Equipment": OK,
    "workouts.Exercise": OK,
    "workouts.Routine": OK,
    "workouts.Circuit": OK,
}


def _admin_object(label: str) -> Kwargs:
    return lambda w: {"object_id": w.admin_objects[label]}


for _label, _sam in ADMIN_MODELS.items():
    _app, _model = _label.lower().split(".")
    RULES[f"admin:{_app}_{_model}_changelist"] = Rule(get=staff(_sam), post=staff(_sam))
    RULES[f"admin:{_app}_{_model}_add"] = Rule(get=staff(_sam), post=staff(_sam))
    for _view in ("history", "delete", "change"):
        # An empty POST saves nothing: forms come back with errors, deletion asks to confirm.
        RULES[f"admin:{_app}_{_model}_{_view}"] = Rule(
            get=staff(_sam), post=staff(_sam), kw=_admin_object(_label)
        )
    # The bare object URL redirects to its change page, whatever the permissions.
    RULES[f"admin/{_app}/{_model}/<path:object_id>/"] = Rule(
        get=staff(OK), post=staff(OK), kw=_admin_object(_label)
    )


# --- The URL patterns, from the resolver ---------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the namespaced name, or the route itself for an unnamed pattern
    route: str
    name: str | None
    callback: Callable


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        else:
            route = prefix + str(pattern.pattern)
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield Route(key=name or route, route=route, name=name, callback=pattern.callback)


def _routes() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver()):
        # A name used twice (our login view before Django's own) resolves to the first.
        routes.setdefault(route.key, route)
    return routes


ROUTES = _routes()


def served_methods(callback: Callable) -> set[str] | None:
    """GET/POST as the view's own decorators or class allow; None when they do not say."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return {
            method.upper()
            for method in view_class.http_method_names
            if method in ("get", "post") and hasattr(view_class, method)
        }
    func = callback
    while func is not None:
        try:
            nonlocals = inspect.getclosurevars(func).nonlocals
        except TypeError:
            nonlocals = {}
        if "request_method_list" in nonlocals:  # require_http_methods and its shortcuts
            return set(nonlocals["request_method_list"]) & {"GET", "POST"}
        func = getattr(func, "__wrapped__", None)
    return None


def _needs_login(callback: Callable) -> bool:
    # The rule LoginRequiredMiddleware applies before any view runs.
    return getattr(callback, "login_required", True)


# --- The world: personas and Alice's data, built once ---------------------------------------


@dataclass
class World:
    users: dict[str, User]
    finished: WorkoutSession
    open: WorkoutSession
    open_set: SetLog
    bob_comment: Comment
    alice_comment: Comment
    excused: ExcusedWeek
    code: str
    this_monday: date
    exercise_slug: str
    recommend_routine: Routine
    session_type: ContentType
    admin_objects: dict[str, int]
    new_set_data: dict
    set_update_data: dict
    session_keys: dict[str, str] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    before: dict = field(default_factory=dict)
    alice_before: dict = field(default_factory=dict)
    logs_before: dict = field(default_factory=dict)

    @property
    def alice(self) -> User:
        return self.users["alice"]

    @property
    def bob(self) -> User:
        return self.users["bob"]

    def client(self, persona: str) -> Client:
        """The persona's browser with nothing but their session cookie. Clients are kept:
        a new one loads the middleware again, and whitenoise reads every static file."""
        client = self.clients.setdefault(persona, Client())
        client.cookies = SimpleCookie()
        if persona != "anon":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.session_keys[persona]
        return client

    def url(self, route: Route) -> str:
        kwargs = RULES[route.key].kw(self)
        if route.name:
            url = reverse(route.name, kwargs=kwargs)
        else:
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m[1]]), route.route)
            path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m[1]]), path)
            url = "/" + path.replace("^", "").replace("$", "")
        assert resolve(url).func is route.callback, f"{url} does not reach {route.key}"
        return url


def _values(exercise: SessionExercise, number: int) -> dict:
    """What a set form posts for this number: one value, or the same left and right."""
    if exercise.per_side:
        return {"left": str(number), "right": str(number)}
    return {"value": str(number)}


def _build_world() -> World:
    alice = UserFactory(username="alice", first_name="Alice")
    bob = CoachFactory(username="bob", first_name="Bob")
    charlie = UserFactory(username="charlie", first_name="Charlie")
    dana = CoachFactory(username="dana", first_name="Dana")
    sam = UserFactory(username="sam", first_name="Sam", is_staff=True)
    sam.groups.add(Group.objects.get(name="Catalogue editors"))
    CoachLink.objects.create(coach=bob, athlete=alice)
    code = invite_code_for(bob)

    today = weeks.today(alice.zone)
    this_monday = weeks.week_start(today)
    done = log_past_session(
        alice, "ankle-stability", local_moment(alice, today - timedelta(days=3), hour=7)
    )
    first_set = done.set_logs.select_related("session_exercise__exercise").first()
    bob_comment = services.comment_add(
        session=done, author=bob, body="Good control on the left.", set_log=first_set
    )
    alice_comment = services.comment_add(session=done, author=alice, body="Felt wobbly.")
    excused = ExcusedWeek.objects.create(
        athlete=alice,
        week_start=this_monday - weeks.WEEK * 2,
        reason=ExcusedWeek.Reason.INJURY,
        set_by=alice,
    )

    current = start_session(alice)
    exercises = list(current.session_exercises.order_by("circuit_order", "order"))
    logged, free = exercises[0], exercises[1]
    open_set, _created = services.set_log_create(
        session=current,
        session_exercise=logged,
        round_number=1,
        values=services.SetValues(**({"left": 5, "right": 5} if logged.per_side else {"value": 5})),
        client_id=uuid.uuid4(),
    )
    new_set_data = {
        "session_exercise": str(free.pk),
        "round": "1",
        "client_id": str(uuid.uuid4()),
        "performed_at": "",
        **_values(free, 4),
    }

    users = {"alice": alice, "bob": bob, "charlie": charlie, "dana": dana, "sam": sam}
    world = World(
        users=users,
        finished=done,
        open=current,
        open_set=open_set,
        bob_comment=bob_comment,
        alice_comment=alice_comment,
        excused=excused,
        code=code,
        this_monday=this_monday,
        exercise_slug=first_set.session_exercise.exercise.slug,
        recommend_routine=Routine.objects.get(slug="dynamic-feet-ankles"),
        session_type=ContentType.objects.get_for_model(WorkoutSession),
        admin_objects={},
        new_set_data=new_set_data,
        set_update_data=_values(logged, 7),
    )
    for persona, user in users.items():
        client = world.client("anon")
        client.force_login(user)
        world.session_keys[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    # A wrong password and a right one leave rows in the sign-in logs the admin shows.
    world.client("anon").post(reverse("login"), {"username": "alice", "password": "wrong"})
    world.client("anon").post(reverse("login"), {"username": "charlie", "password": PASSWORD})
    # Axes keeps this log only when told to (AXES_ENABLE_ACCESS_FAILURE_LOG); one row will do.
    AccessFailureLog.objects.create(
        username="alice", ip_address="127.0.0.1", user_agent="test", path_info="/accounts/login/"
    )
    for label in ADMIN_MODELS:
        pk = apps.get_model(label)._default_manager.order_by("pk").values_list("pk", flat=True)
        world.admin_objects[label] = pk.first()
        assert world.admin_objects[label] is not None, f"no {label} row to open in the admin"
    world.admin_objects["accounts.User"] = alice.pk
    world.admin_objects["auth.Group"] = Group.objects.get(name="Catalogue editors").pk
    world.admin_objects["workouts.Exercise"] = first_set.session_exercise.exercise_id
    world.before = snapshot()
    world.alice_before = alice_state(alice)
    world.logs_before = logs_state(alice)
    return world


@contextmanager
def rolled_back():
    """Whatever happens inside is undone: a savepoint, rolled back."""
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """Built once, in a transaction rolled back after the module's last test."""
    with django_db_blocker.unblock():
        # Never the development database: the test one exists once a test carries the mark.
        assert "test" in str(connection.settings_dict["NAME"]), connection.settings_dict["NAME"]
        outer = transaction.atomic()
        outer._from_testcase = True  # as TestCase marks its own, for durable blocks inside
        outer.__enter__()
        try:
            built = _build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(shared_world, db):
    """One test: the shared world, in the savepoint that `db` rolls back afterwards."""
    assert connection.in_atomic_block
    return shared_world


# --- Snapshots ------------------------------------------------------------------------------


def snapshot() -> dict[str, tuple[tuple[str, ...], dict]]:
    """Every row of every table: (column names, {pk: the other columns}); login sessions:
    their number only. Plain SQL, one query a table: the matrix takes one per request."""
    state = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = quote(model._meta.db_table)
            if model is Session:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                state[model._meta.label] = (("count",), {"all": cursor.fetchone()})
                continue
            pk = model._meta.pk.column
            names = [pk] + [f.column for f in model._meta.concrete_fields if f.column != pk]
            columns = ", ".join(quote(name) for name in names)
            cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608
            rows = {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
            state[model._meta.label] = (tuple(names[1:]), rows)
    return state


def assert_unchanged(before: dict, after: dict, *, ignore: frozenset | set = frozenset()) -> None:
    """No row added, removed or changed in any table; `ignore`: (model label, column)."""
    changes = []
    for label, (names, old_rows) in before.items():
        new_rows = after[label][1]
        if new_rows == old_rows:
            continue
        for pk in old_rows.keys() - new_rows.keys():
            changes.append(f"{label} {pk}: deleted")
        for pk in new_rows.keys() - old_rows.keys():
            changes.append(f"{label} {pk}: added {dict(zip(names, new_rows[pk], strict=True))}")
        for pk in old_rows.keys() & new_rows.keys():
            changes += [
                f"{label} {pk}: {name} {old!r} -> {new!r}"
                for name, old, new in zip(names, old_rows[pk], new_rows[pk], strict=True)
                if old != new and (label, name) not in ignore
            ]
    assert not changes, "rows changed:\n" + "\n".join(changes)


def logs_state(alice: User) -> dict:
    """Alice's sessions and sets: nobody but Alice changes these."""
    return {
        "sessions": list(WorkoutSession.objects.filter(athlete=alice).order_by("pk").values()),
        "exercises": list(
            SessionExercise.objects.filter(session__athlete=alice).order_by("pk").values()
        ),
        "sets": list(SetLog.objects.filter(session__athlete=alice).order_by("pk").values()),
    }


def alice_state(alice: User) -> dict:
    """Everything of Alice's: her account, logs, comments, targets, excused weeks, links."""
    account = User.objects.filter(pk=alice.pk).values().get()
    account.pop("last_login")
    return {
        **logs_state(alice),
        "account": account,
        "equipment": sorted(alice.equipment.values_list("pk", flat=True)),
        "comments": list(Comment.objects.filter(session__athlete=alice).order_by("pk").values()),
        "targets": list(WeeklyTarget.objects.filter(athlete=alice).order_by("pk").values()),
        "excused": list(ExcusedWeek.objects.filter(athlete=alice).order_by("pk").values()),
        "links": list(CoachLink.objects.filter(athlete=alice).order_by("pk").values()),
    }


# --- Checking a response ---------------------------------------------------------------------


def _login_target(response) -> tuple[str, str | None]:
    location = urlsplit(response.get("Location", ""))
    return location.path, (parse_qs(location.query).get("next") or [None])[0]


def check_outcome(response, expected: str, url: str) -> None:
    status = response.status_code
    seen = f"got {status} {response.get('Location', '')}".strip()
    if expected == OK:
        assert 200 <= status < 400 or status == 422, seen
        path, next_url = _login_target(response)
        assert not (next_url and path in (reverse("login"), reverse("admin:login"))), seen
    elif expected == LOGIN:
        assert status == 302 and _login_target(response) == (reverse("login"), url), seen
    elif expected == ADMIN_LOGIN:
        # Visitors meet LoginRequiredMiddleware first, which sends the admin's model pages
        # to the site's login; signed-in non-staff are sent to the admin's own.
        path, next_url = _login_target(response)
        assert status == 302 and next_url == url, seen
        assert path in (reverse("admin:login"), reverse("login")), seen
    elif expected == NOT_FOUND:
        assert status == 404, seen
    elif expected == FORBIDDEN:
        assert status == 403, seen
    elif expected == REFUSED:
        assert status in (403, 404), seen
    elif expected == NOT_ALLOWED:
        assert status == 405, seen
    else:
        raise AssertionError(f"unknown outcome {expected!r}")


def expected_outcome(route: Route, method: str, persona: str) -> str:
    rule = RULES[route.key]
    outcomes = rule.get if method == "GET" else rule.post
    if outcomes is not None:
        return outcomes[persona]
    if persona == "anon" and _needs_login(route.callback):
        return LOGIN
    return NOT_ALLOWED


def _consume(response) -> None:
    # A streamed response (the CSV export) only runs its queries when read.
    if response.streaming:
        b"".join(response.streaming_content)


def _rule_for(key: str) -> tuple[Route, Rule]:
    route = ROUTES[key]
    if key not in RULES:
        pytest.fail(f"{route.route} ({key}) has no row in RULES: decide who may use it")
    return route, RULES[key]


# --- The matrix ---------------------------------------------------------------------------------


def test_every_url_pattern_has_an_expectation():
    missing = sorted(set(ROUTES) - set(RULES))
    stale = sorted(set(RULES) - set(ROUTES))
    assert not missing, f"URL patterns with no expected outcomes: {missing}"
    assert not stale, f"RULES for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_the_table_agrees_with_the_methods_each_view_serves(key):
    route, rule = _rule_for(key)
    served = served_methods(route.callback)
    if served is None:
        return  # the view does not restrict methods itself; the table decides
    table = {m for m, outcomes in (("GET", rule.get), ("POST", rule.post)) if outcomes}
    assert table == served, f"{route.route}: the view serves {served}, the table says {table}"


CASES = [
    pytest.param(key, persona, id=f"{ROUTES[key].route} [{key}] as {persona}")
    for key in sorted(ROUTES)
    for persona in PERSONAS
]


@pytest.mark.parametrize(("key", "persona"), CASES)
def test_every_url_as_every_persona(world, subtests, key, persona):
    """GET and POST, each from the same starting rows; a failure names the method."""
    route, rule = _rule_for(key)
    url = world.url(route)
    with subtests.test("GET: outcome, and no row changed"), rolled_back():
        check_get(world, route, url, persona)
    with subtests.test("POST: outcome, and only allowed changes"), rolled_back():
        check_post(world, route, rule, url, persona)


def check_get(world: World, route: Route, url: str, persona: str) -> None:
    response = world.client(persona).get(url)
    _consume(response)
    check_outcome(response, expected_outcome(route, "GET", persona), url)
    ignore: set[tuple[str, str]] = set()
    if persona == "alice" and route.key == "workouts:session":
        # Opening her own session is Alice's read receipt: the comments on it stop being
        # "new" on her home page. That is the one write a GET is meant to make.
        assert Comment.objects.get(pk=world.bob_comment.pk).seen_by_athlete_at is not None
        ignore = {("workouts.Comment", "seen_by_athlete_at")}
    assert_unchanged(world.before, snapshot(), ignore=ignore)


def check_post(world: World, route: Route, rule: Rule, url: str, persona: str) -> None:
    response = world.client(persona).post(url, rule.data(world))
    _consume(response)
    expected = expected_outcome(route, "POST", persona)
    check_outcome(response, expected, url)
    after = snapshot()
    if expected in DENIALS:
        assert_unchanged(world.before, after)  # refused: nothing changed anywhere
        return
    if persona in rule.writes:
        assert after != world.before, "an allowed write with valid data changed nothing"
    if persona in rule.keeps:
        assert_unchanged(world.before, after)
    if persona == "alice":
        return
    if persona == "bob" and route.key in COACH_WRITES:
        assert logs_state(world.alice) == world.logs_before, "a coach changed Alice's logs"
    else:
        assert alice_state(world.alice) == world.alice_before, "Alice's data changed"


POST_ONLY = sorted(k for k, r in ROUTES.items() if served_methods(r.callback) == {"POST"})


@pytest.mark.parametrize("key", POST_ONLY)
def test_post_only_views_reject_get_with_405(world, key):
    route, rule = _rule_for(key)
    owner = next(p for p in SIGNED_IN if rule.post and rule.post[p] == OK)
    response = world.client(owner).get(world.url(route))
    assert response.status_code == 405
    assert "POST" in response["Allow"] and "GET" not in response["Allow"]
    assert_unchanged(world.before, snapshot())


# --- Around the matrix ----------------------------------------------------------------------------


def _read_urls(world: World) -> list[str]:
    return [
        reverse("workouts:coach_athlete", args=[world.alice.pk]),
        world.finished.get_absolute_url(),
        reverse("workouts:coach_export", args=[world.alice.pk]),
    ]


@pytest.mark.parametrize("how", ["revoked by service", "revoked on her page", "removed by Bob"])
def test_a_revoked_link_takes_effect_on_the_very_next_request(world, how):
    bob = world.client("bob")
    for url in _read_urls(world):
        response = bob.get(url)
        _consume(response)
        assert response.status_code == 200, url
    if how == "revoked by service":
        assert link_revoke(athlete=world.alice, coach_pk=world.bob.pk) == world.bob
    elif how == "revoked on her page":
        response = world.client("alice").post(reverse("coach_revoke", args=[world.bob.pk]))
        assert response.status_code == 302
    else:
        response = bob.post(reverse("workouts:coach_remove", args=[world.alice.pk]))
        assert response.status_code == 302
    assert not CoachLink.objects.filter(coach=world.bob, athlete=world.alice).exists()
    for url in _read_urls(world):
        assert bob.get(url).status_code == 404, url
    comment = bob.post(
        reverse("workouts:comment_create", args=[world.finished.pk]), {"body": "Still here?"}
    )
    assert comment.status_code == 404
    roster = bob.get(reverse("workouts:roster"), {"show": "all"}).text
    assert reverse("workouts:coach_athlete", args=[world.alice.pk]) not in roster


def _refetch(user: User) -> User:
    return User.objects.get(pk=user.pk)


COACH_WRITE_EFFECTS: dict[str, Callable[[World], bool]] = {
    "workouts:comment_create": lambda w: Comment.objects.filter(
        session=w.finished, author=w.bob, body="Keep the knee over the toes."
    ).exists(),
    "workouts:comment_delete": lambda w: (
        not Comment.objects.filter(pk=w.bob_comment.pk).exists()
        and Comment.objects.filter(pk=w.alice_comment.pk).exists()
    ),
    "workouts:coach_target": lambda w: (
        _refetch(w.alice).weekly_target == 3
        and WeeklyTarget.objects.filter(
            athlete=w.alice, week_start=w.this_monday, target=3, set_by=w.bob
        ).exists()
    ),
    "workouts:coach_excuse": lambda w: (
        ExcusedWeek.objects.filter(
            athlete=w.alice, week_start=w.this_monday, reason="illness", set_by=w.bob
        ).exists()
        and ExcusedWeek.objects.filter(pk=w.excused.pk).exists()
    ),
    "workouts:coach_unexcuse": lambda w: not ExcusedWeek.objects.filter(athlete=w.alice).exists(),
    "workouts:coach_recommend": lambda w: (
        _refetch(w.alice).recommended_routine_id == w.recommend_routine.pk
        and _refetch(w.alice).recommended_by_id == w.bob.pk
    ),
    "workouts:coach_remove": lambda w: not CoachLink.objects.filter(athlete=w.alice).exists(),
}


def test_every_coach_write_has_its_effect_checked():
    assert set(COACH_WRITE_EFFECTS) == COACH_WRITES


@pytest.mark.parametrize("key", sorted(COACH_WRITES))
def test_what_a_linked_coach_may_write_lands_on_the_athlete(world, key):
    route, rule = _rule_for(key)
    response = world.client("bob").post(world.url(route), rule.data(world))
    assert response.status_code == 302
    assert COACH_WRITE_EFFECTS[key](world)
    assert logs_state(world.alice) == world.logs_before


def test_either_deletes_only_their_own_comment(world):
    url = reverse("workouts:comment_delete", args=[world.finished.pk, world.alice_comment.pk])
    assert world.client("bob").post(url).status_code == 404
    assert Comment.objects.filter(pk=world.alice_comment.pk).exists()
    assert world.client("alice").post(url).status_code == 302
    assert not Comment.objects.filter(pk=world.alice_comment.pk).exists()
    assert Comment.objects.filter(pk=world.bob_comment.pk).exists()


def test_staff_see_athletes_logs_nowhere(world):
    for model in (
        WorkoutSession,
        SessionExercise,
        SetLog,
        Comment,
        WeeklyTarget,
        ExcusedWeek,
        CoachLink,
    ):
        assert not admin.site.is_registered(model), f"{model.__name__} is in the admin"
    assert admin.site.is_registered(Exercise)
    sam = world.client("sam")
    # The admin's "view on site" for a session lands on the app's page: 404 for staff.
    response = sam.get(
        reverse("admin:view_on_site", args=[world.session_type.pk, world.finished.pk]),
        follow=True,
    )
    assert response.status_code == 404
    assert sam.get(reverse("admin:accounts_user_change", args=[world.alice.pk])).status_code == 403
    assert sam.get(reverse("workouts:coach_export", args=[world.alice.pk])).status_code == 404
