"""The floor of a logged-in page on Soglia's stack, served by `make bench` beside hello-world and Soglia.

Flask, Flask-Login (with its basic session protection) and Flask-SQLAlchemy, nothing else: the signed session
cookie is read, the user is loaded by one Core statement on the request's database session (as Soglia does), and
the page is a fixed string. No rule of Soglia's runs: what this costs, every logged-in page of Soglia costs too.
"""
import os

from flask import Flask
from flask_login import LoginManager, UserMixin, current_user, login_user
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select

app = Flask(__name__)
app.config.update(SECRET_KEY="bench-floor",
                  SQLALCHEMY_DATABASE_URI=os.environ.get("BENCH_FLOOR_DATABASE_URL", "sqlite:///:memory:"))
db = SQLAlchemy(app)
login_manager = LoginManager(app)
login_manager.session_protection = "basic"


class Person(db.Model, UserMixin):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), nullable=False)


@login_manager.user_loader
def load_person(person_id):
    row = db.session.connection().execute(select(Person.__table__).where(Person.__table__.c.id == int(person_id)))
    found = row.first()
    return Person(id=found.id, name=found.name) if found else None


@app.route("/")
def page():
    return f"Hello, {current_user.name}!" if current_user.is_authenticated else ("Log in first", 403)


@app.route("/login")
def log_in():
    """The bench's only person logs in (a bench-only app: no form, no password)."""
    login_user(db.session.get(Person, 1))
    return "logged in"


with app.app_context():
    db.create_all()
    if db.session.get(Person, 1) is None:
        db.session.add(Person(id=1, name="Bench"))
        db.session.commit()
