"""Demo users, one per role (password printed by `retorno serve`)."""

from collections.abc import Callable

from retorno.accounts.models import Role, User
from retorno.directory.models import Institution
from retorno.reference.demo_pack import demo_pack
from retorno.reference.models import ReceptionPoint

DEMO_PASSWORD = "retorno-demo"



def demo_users() -> list[tuple[str, Role, str | None, str | None, str]]:
    """(username, role, point code, institution code, first name) of the pack's demo.yaml."""
    return [
        (u["username"], Role(u["role"]), u.get("point"), u.get("institution"), u.get("name", ""))
        for u in demo_pack().get("users") or []
    ]


def load(log: Callable[[str], None]) -> None:
    users = demo_users()
    for username, role, point, inst, first_name in users:
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
    log(f"  demo users: {len(users)} (password '{DEMO_PASSWORD}')")


def logins() -> list[str]:
    lines = [f"Demo logins (password: {DEMO_PASSWORD}):"]
    for username, role, point, inst, _ in demo_users():
        scope = point or inst or ""
        lines.append(f"  {username:<22} {role.label}{' · ' + scope if scope else ''}")
    return lines
