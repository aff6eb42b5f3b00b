"""Accounts: register, log in and out, profile, password, recovery."""
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..cohorts import operations as cohort_operations
from ..extensions import db
from ..i18n import current_language
from ..privacy import operations as privacy
from ..security import role_required, safe_next_url
from ..services import accounts
from . import recovery, sessions
from .forms import (
    LearnerAccountForm,
    LoginForm,
    PasswordForm,
    ProfileForm,
    RecoverForm,
    RegisterForm,
    ResetForm,
    ResetRequestForm,
)
from .limits import failures_limited, note_failure, note_success, registrations_limited, reset_requests_limited
from .mail import send_mail

bp = Blueprint("auth", __name__, url_prefix="/account", template_folder="templates")


#: what someone who must choose a new password may still open
NEW_PASSWORD_ALLOWED = {"auth.password", "auth.logout", "static", "privacy.notice"}


@bp.before_app_request
def _new_password_first():
    """After logging in with a one-time password (a login card, a reset), choose your own before anything else."""
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in NEW_PASSWORD_ALLOWED):
        return redirect(url_for("auth.password"))
    return None


def _hash_method():
    return current_app.config["PASSWORD_HASH_METHOD"]


def _log_in(user, remember=False):
    """A fresh cookie session bound to a new server-side login session."""
    session.clear()
    g.pop("csrf_token", None)  # the page rendered next needs a token of the new session
    sessions.start(user, remember)
    login_user(user, remember=remember)


def _create_account(form, **fields):
    """Create the account from `form`, or put the reason it cannot be created on the form and return None."""
    try:
        user = accounts.create_user(username=form.username.data, display_name=form.display_name.data,
                                    locale=form.locale.data, track=form.track.data, hash_method=_hash_method(),
                                    **fields)
    except accounts.UsernameConfusable:
        form.username.errors.append(_("This username looks too much like another one. Please choose another."))
    except accounts.UsernameTaken:
        form.username.errors.append(_("This username is taken. Please choose another."))
    except accounts.EmailTaken:
        form.email.errors.append(_("Another account uses this email address."))
    except accounts.InvalidName:
        form.username.errors.append(_("Use letters, digits, dots, dashes or underscores."))
    else:
        return user
    db.session.rollback()
    return None


def _show_recovery_codes(codes, password=None, for_user=None):
    """The codes are shown once, never stored in clear; the page is not cached."""
    next_url = url_for("auth.new_learner") if for_user else safe_next_url(request.args.get("next"),
                                                                          url_for("main.index"))
    page = render_template("auth/recovery_codes.html", codes=codes, password=password, for_user=for_user,
                           next_url=next_url)
    return page, 200, {"Cache-Control": "no-store"}


@bp.route("/register", methods=["GET", "POST"])
@registrations_limited
def register():
    """Create an account after reading the privacy notice; show the recovery codes once."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = current_language()
        form.join_code.data = request.args.get("code", "")[:32]
    if form.validate_on_submit():
        cohort = None
        if form.join_code.data:
            try:
                cohort = cohort_operations.find_by_code(form.join_code.data)
            except (cohort_operations.UnknownCode, cohort_operations.ExpiredCode) as exc:
                form.join_code.errors.append(cohort_operations.code_error(exc))
                return render_template("auth/register.html", form=form)
        user = _create_account(form, password=form.password.data, email=form.email.data,
                               organisation_id=cohort.organisation_id if cohort else None)
        if user is not None:
            if cohort is not None:
                cohort_operations.join_with_code(user, form.join_code.data)
            privacy.accept_notice(user)
            codes = recovery.issue_codes(user)
            _log_in(user)
            db.session.commit()
            note_success()
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.display_name), "success")
            if cohort is not None:
                flash(_("Welcome to %(cohort)s!", cohort=cohort.name), "success")
            return _show_recovery_codes(codes)
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@failures_limited
def login():
    """Log in with username and password; one generic message for any failure."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if request.method == "GET" and request.args.get("username"):
        form.username.data = request.args["username"][:40]  # from the QR code of a login card
    if form.validate_on_submit():
        user = accounts.find_user(form.username.data)
        if user is not None and user.check_password(form.password.data):
            _log_in(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next_url(request.args.get("next"), url_for("main.index")))
        flash(_("Wrong username or password."), "error")
    if request.method == "POST":
        note_failure()
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out (POST only, with a CSRF token): this session ends on the server too."""
    if current_user.is_authenticated:
        sessions.end(current_user.id, current_user.login_key)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """End every session of this account, on every device, this one included."""
    sessions.end_all(current_user.id)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """See and edit your name, email, language and track."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            accounts.update_profile(current_user, display_name=form.display_name.data, email=form.email.data,
                                    locale=form.locale.data, track=form.track.data)
        except accounts.EmailTaken:
            db.session.rollback()
            form.email.errors.append(_("Another account uses this email address."))
        else:
            db.session.commit()
            session["lang"] = current_user.locale
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form, recovery_codes_left=recovery.unused_count(current_user.id),
                           session_count=sessions.count(current_user.id))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change the password; every other session of this account ends."""
    form = PasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            accounts.change_password(current_user, form.password.data, _hash_method(),
                                     keep_login_key=current_user.login_key)
            db.session.commit()
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form)


@bp.route("/recovery-codes", methods=["POST"])
@login_required
def new_recovery_codes():
    """Make a new set of recovery codes; the old ones stop working."""
    codes = recovery.issue_codes(current_user)
    db.session.commit()
    return _show_recovery_codes(codes)


@bp.route("/recover", methods=["GET", "POST"])
@failures_limited
def recover():
    """Set a new password with a recovery code: no email and no trainer needed."""
    form = RecoverForm()
    if form.validate_on_submit():
        user = accounts.find_user(form.username.data)
        if user is not None and recovery.use_code(user, form.code.data):
            accounts.change_password(user, form.password.data, _hash_method())
            _log_in(user)
            db.session.commit()
            flash(_("Your password is changed. You have %(count)s recovery codes left.",
                    count=recovery.unused_count(user.id)), "success")
            return redirect(url_for("auth.profile"))
        db.session.rollback()
        form.code.errors.append(_("This username and recovery code do not match, or the code was already used."))
    if request.method == "POST":
        note_failure()
    return render_template("auth/recover.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@reset_requests_limited
def reset_request():
    """Ask for a reset link by email; the answer is the same whether or not an account has this email."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = db.session.scalar(accounts.active_user_with_email(form.email.data))
        if user is not None:
            link = url_for("auth.reset", token=recovery.reset_token(user), _external=True)
            minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
            send_mail(user.email, _("Set a new Soglia password"),
                      _("Open this link to set a new password for %(username)s. It works once, for %(minutes)s "
                        "minutes. If you did not ask for it, ignore this mail.", username=user.username,
                        minutes=minutes) + "\n\n" + link)
        flash(_("If an account has this email address, we sent it a link to set a new password."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token):
    """Set a new password from a reset link (expiring, single use)."""
    user = recovery.user_for_reset_token(token)
    if user is None:
        flash(_("This link has expired or was already used. Ask for a new one."), "error")
        return redirect(url_for("auth.reset_request"))
    form = ResetForm()
    if form.validate_on_submit():
        accounts.change_password(user, form.password.data, _hash_method())
        _log_in(user)
        db.session.commit()
        flash(_("Your password is changed. Other devices are logged out."), "success")
        return redirect(url_for("main.index"))
    return render_template("auth/reset.html", form=form)


@bp.route("/new-learner", methods=["GET", "POST"])
@role_required("trainer")
def new_learner():
    """A trainer makes an account for a learner; the learner reads the privacy notice at first login."""
    form = LearnerAccountForm()
    if request.method == "GET":
        form.locale.data = current_language()
    if form.validate_on_submit():
        first_password = accounts.readable_secret()
        user = _create_account(form, password=first_password)
        if user is not None:
            codes = recovery.issue_codes(user)
            db.session.commit()
            return _show_recovery_codes(codes, password=first_password, for_user=user)
    return render_template("auth/new_learner.html", form=form)
