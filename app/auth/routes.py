"""Accounts: register, log in and out, profile and password."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from ..extensions import db, limiter
from ..i18n import current_language
from ..security import safe_next_url
from ..services import accounts
from .forms import LoginForm, PasswordForm, ProfileForm, RegisterForm

bp = Blueprint("auth", __name__, url_prefix="/account", template_folder="templates")


def _hash_method():
    return current_app.config["PASSWORD_HASH_METHOD"]


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create an account: a name for the certificate, a username, an optional email."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = current_language()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                username=form.username.data, display_name=form.display_name.data,
                password=form.password.data, email=form.email.data, locale=form.locale.data,
                track=form.track.data, hash_method=_hash_method(),
            )
            db.session.commit()
        except accounts.UsernameTaken:
            db.session.rollback()
            form.username.errors.append(_("This username is taken. Please choose another."))
        except accounts.EmailTaken:
            db.session.rollback()
            form.email.errors.append(_("Another account uses this email address."))
        except IntegrityError:
            db.session.rollback()
            form.username.errors.append(_("This username is taken. Please choose another."))
        else:
            session.clear()
            login_user(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.display_name), "success")
            return redirect(safe_next_url(request.args.get("next"), url_for("main.index")))
    return render_template("auth/register.html", form=form)


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in with username and password; one generic message for any failure."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.find_user(form.username.data)
        if user is not None and user.check_password(form.password.data):
            session.clear()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next_url(request.args.get("next"), url_for("main.index")))
        flash(_("Wrong username or password."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out (POST only, with a CSRF token)."""
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


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
    return render_template("auth/profile.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change the password; every other session of this account ends."""
    form = PasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            user = current_user._get_current_object()
            accounts.change_password(user, form.password.data, _hash_method())
            db.session.commit()
            login_user(user)  # the new session token keeps this session and ends the others
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form)
