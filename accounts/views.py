"""Sign-up, profile and coach links; Django's own views handle signing in and passwords."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import privacy, services
from accounts.forms import CodeForm, DeleteAccountForm, ProfileForm, SignupForm
from accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User


@sensitive_post_parameters("password1", "password2")
@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    data = request.POST if request.method == "POST" else None
    form = SignupForm(data=data)
    if form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to Footing, {user.name}. You are signed in.")
        return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ProfileForm.for_user(request.user, data=data)
    if form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})


# --- Coach links: the athlete decides who sees their data ----------------------------------


@require_http_methods(["GET", "POST"])
def coaches(request: AuthenticatedRequest) -> HttpResponse:
    """The athlete's coaches, with revoke buttons, and a box for a new coach's code."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            coach = services.coach_for_code(form.cleaned_data["code"])
        except services.LinkRefused as refusal:
            form.add_error("code", refusal.message)
        else:
            return redirect("coach_join", code=coach.invite_code)
    links = request.user.coach_links.select_related("coach").order_by("created_at")
    status = 422 if form.errors else 200
    return render(request, "accounts/coaches.html", {"form": form, "links": links}, status=status)


@require_http_methods(["GET", "POST"])
def coach_join(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """Confirm before a coach can see anything: the link in an invite lands here."""
    try:
        coach = services.coach_for_code(code)
    except services.LinkRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("coaches")
    if request.method == "POST":
        try:
            services.link_create(athlete=request.user, code=code)
        except services.LinkRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, f"{coach.name} can now see your sessions and progress.")
        return redirect("coaches")
    return render(request, "accounts/coach_join.html", {"coach": coach, "code": code})


@require_POST
def coach_revoke(request: AuthenticatedRequest, coach_pk: int) -> HttpResponse:
    coach = services.link_revoke(athlete=request.user, coach_pk=coach_pk)
    if coach is None:
        raise Http404("Not one of your coaches.")
    messages.success(request, f"{coach.name} can no longer see your data.")
    return redirect("coaches")


@require_http_methods(["GET", "POST"])
def coach_invite(request: AuthenticatedRequest) -> HttpResponse:
    """A coach's code and link to hand out; POST makes a new one."""
    if not request.user.is_coach:
        raise Http404("Only coach accounts have an invite code.")
    if request.method == "POST":
        had_code = bool(request.user.invite_code)
        services.invite_code_for(request.user, renew=True)
        if had_code:
            messages.success(request, "New code made. The old one no longer works.")
        return redirect("coach_invite")
    code = request.user.invite_code  # made on POST only: a GET never writes
    link = request.build_absolute_uri(reverse("coach_join", kwargs={"code": code})) if code else ""
    return render(request, "accounts/coach_invite.html", {"code": code, "link": link})


# --- Your data ----------------------------------------------------------------------------


@require_GET
def data_download(request: AuthenticatedRequest) -> HttpResponse:
    """Everything Footing holds about you, as JSON."""
    return privacy.data_export_response(request.user)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def account_delete(request: AuthenticatedRequest) -> HttpResponse:
    """Delete the account and all its data, after the password is typed again."""
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        privacy.account_delete(user)
        messages.success(request, "Your account and all its data are deleted.")
        return redirect("login")
    status = 422 if form.errors else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)
