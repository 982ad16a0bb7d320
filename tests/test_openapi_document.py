"""The OpenAPI document itself: unique schema names (two schemas with one name made ninja document
one shape for both), error answers documented, permissions declared."""

import pytest

from retorno.api import api

pytestmark = pytest.mark.django_db


def test_every_schema_class_has_its_own_name():
    import ast
    from pathlib import Path

    names: dict[str, str] = {}
    clashes = []
    for path in Path("retorno").glob("*/api.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") == "Schema" for b in node.bases):
                if node.name in names:
                    clashes.append((node.name, names[node.name], str(path)))
                names[node.name] = str(path)
    assert clashes == []


def test_every_operation_documents_its_errors_and_permission():
    document = api.get_openapi_schema()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert "x-retorno-permission" in operation, (method, path)
            assert {"400", "404", "422", "429"} <= set(operation["responses"]), (method, path)
            if operation["x-retorno-permission"] is not None:
                assert {"401", "403"} <= set(operation["responses"]), (method, path)
