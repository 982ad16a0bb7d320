"""Demo users, one per role (password printed by `retorno serve`)."""

from collections.abc import Callable

from retorno.accounts.models import Role, User
from retorno.directory.models import Institution
from retorno.reference.models import ReceptionPoint

DEMO_PASSWORD = "retorno-demo"

# username, role, point code, institution code, first name
DEMO_USERS = [
    ("oficial.tijuana", Role.RECEPTION_OFFICER, "TIJ", None, "Ana Oficial (Tijuana)"),
    ("oficial.mexicali", Role.RECEPTION_OFFICER, "MXL", None, "Luis Oficial (Mexicali)"),
    ("supervisor.tijuana", Role.SUPERVISOR, "TIJ", None, "Rosa Supervisora (Tijuana)"),
    ("supervisor.nacional", Role.SUPERVISOR, None, None, "Carlos Supervisor Nacional"),
    ("proteccion.tijuana", Role.CHILD_PROTECTION, "TIJ", None, "Elena Protección Infancia"),
    ("gestor.empleo", Role.CASEWORKER, None, "STPS-SNE", "Mario Gestor (Empleo)"),
    ("gestor.renapo", Role.CASEWORKER, None, "RENAPO", "Sofía Gestora (RENAPO)"),
    ("gestor.salud", Role.CASEWORKER, None, "SALUD", "Jorge Gestor (Salud)"),
    ("analista", Role.ANALYST, None, None, "Paula Analista"),
    ("admin", Role.ADMIN, None, None, "Administración"),
]


def load(log: Callable[[str], None]) -> None:
    for username, role, point, inst, first_name in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "first_name": first_name,
                "reception_point": ReceptionPoint.objects.filter(code=point).first() if point else None,
                "institution": Institution.objects.filter(code=inst).first() if inst else None,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
    log(f"  demo users: {len(DEMO_USERS)} (password '{DEMO_PASSWORD}')")


def logins() -> list[str]:
    lines = [f"Demo logins (password: {DEMO_PASSWORD}):"]
    for username, role, point, inst, _ in DEMO_USERS:
        scope = point or inst or ""
        lines.append(f"  {username:<22} {role.label}{' · ' + scope if scope else ''}")
    return lines
