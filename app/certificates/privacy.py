"""Privacy provider for certificates: revoked when the holder deletes the account, and the name removed."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ..extensions import db
from ..models import Certificate, CertificateEvent
from ..privacy.registry import Provider, register, rows_of
from ..services import certificates
from ..services.certificates import format_code
from .pdf import forget_pdfs


def export_certificates(user_id):
    """Their certificates with each one's history, and what they did to others' certificates as staff."""
    found = rows_of(Certificate, Certificate.user_id == user_id, exclude=("user_id",))
    for certificate in found:
        certificate["code"] = format_code(certificate["code"])
        certificate["events"] = rows_of(CertificateEvent, CertificateEvent.certificate_id == certificate.pop("id"),
                                        exclude=("id", "certificate_id", "actor_id"))
    done = rows_of(CertificateEvent, CertificateEvent.actor_id == user_id, exclude=("id", "actor_id"))
    return {"held": found, "actions_as_staff": done}


def revoke_and_unname(user):
    """A certificate of a deleted account is revoked with the reason HOLDER_DELETED; its page shows no name.

    Reasons staff wrote about the holder's certificates may name them, so they are replaced too, and the rendered
    PDFs (which show the name) are deleted.
    """
    from ..privacy.operations import HOLDER_DELETED

    held = db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)).all()
    for certificate in held:
        if certificate.is_revoked:
            certificate.revoked_reason = HOLDER_DELETED
        else:
            certificates.revoke(certificate, user, HOLDER_DELETED)
        certificate.holder_name = ""
        forget_pdfs(certificate)
    if held:
        db.session.execute(update(CertificateEvent).where(
            CertificateEvent.certificate_id.in_([c.id for c in held])).values(reason=HOLDER_DELETED))


register(Provider(name="certificates", title=_l("Your certificates"), tables=("certificates", "certificate_events"),
                  export=export_certificates, erase=revoke_and_unname))
