"""Outgoing mail through the configured SMTP server; without one (development) the mail goes to the log."""
import smtplib
from email.message import EmailMessage

from flask import current_app


def send_mail(to, subject, body):
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"] or f"no-reply@{config.get('SERVER_NAME') or 'localhost'}"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not config["MAIL_SERVER"]:
        current_app.logger.warning("No MAIL_SERVER configured; this mail was not sent:\nTo: %s\nSubject: %s\n\n%s",
                                   to, subject, body)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
