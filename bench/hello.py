"""The baseline: a bare Flask hello-world app, served by `make bench` exactly as Soglia is."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
