"""The apps stand on each other in one direction (README, "How it is built"). import-linter checks
the imports (`lint-imports`, pyproject.toml); this checks what an import check cannot see: a
higher app named in a string, as a model ("plans.Plan"), a rule or permission
("plans.change_plan"), a URL name ("plans:detail", also in `{% url %}` and `{% has_perm %}` in the
app's templates) or `apps.get_model("plans", ...)`."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Highest first, as in pyproject.toml's import-linter contract.
LAYERS = [
    "home",
    "notes",
    "forward_look",
    "rhythm",
    "stocktakes",
    "reviews",
    "plans",
    "priorities",
    "assessment",
    "delivery_unit",
]

# Files that may name every app: the root URLs and the settings.
EXEMPT = {
    Path("delivery_unit/urls.py"),
    Path("delivery_unit/settings.py"),
}

# Template folders named for a part of an app rather than the app.
TEMPLATE_FOLDERS = {"delivery_unit": ["people"]}

REFERENCE = re.compile(r"^(?P<app>[a-z_]+)[.:][\w.-]+$")
TEMPLATE_REFERENCE = re.compile(r"""["'](?P<app>[a-z_]+)[.:][\w.-]+["']""")
LOAD = re.compile(r"{%\s*load\s+(?P<libraries>[\w ]+?)\s*%}")


def _higher(app: str) -> set[str]:
    return set(LAYERS[: LAYERS.index(app)])


def _python_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT)
        # Migrations record the history of the schema, including the apps it depended on then.
        if "migrations" in relative.parts or relative in EXEMPT:
            continue
        yield relative


def references_in_python(source: str, higher: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = REFERENCE.match(node.value)
            if match and match["app"] in higher:
                found.append(f"line {node.lineno}: {node.value!r}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value in higher
        ):
            found.append(f"line {node.lineno}: get_model({node.args[0].value!r}, ...)")
    return sorted(found, key=lambda where: int(where.split(":")[0].removeprefix("line ")))


def references_in_template(text: str, higher: set[str]) -> list[str]:
    """Names in quotes, and a higher app's tag library (each app's is named for it)."""
    found = [
        (match.start(), match.group(0))
        for match in TEMPLATE_REFERENCE.finditer(text)
        if match["app"] in higher
    ]
    found += [
        (match.start(), match.group(0))
        for match in LOAD.finditer(text)
        if higher & set(match["libraries"].split())
    ]
    return [f"line {text.count(chr(10), 0, at) + 1}: {what}" for at, what in sorted(found)]


def test_no_app_names_a_higher_app_in_a_string():
    found = []
    for app in LAYERS:
        higher = _higher(app)
        for relative in _python_files(app):
            for where in references_in_python((ROOT / relative).read_text(), higher):
                found.append(f"{relative} {where}")
        for folder in [app, *TEMPLATE_FOLDERS.get(app, [])]:
            for path in sorted((ROOT / "templates" / folder).rglob("*.html")):
                for where in references_in_template(path.read_text(), higher):
                    found.append(f"{path.relative_to(ROOT)} {where}")
    assert found == []


def test_the_check_finds_each_kind_of_reference():
    higher = _higher("priorities")
    source = (
        'MODEL = "plans.Plan"\n'
        'RULE = "plans.change_plan"\n'
        'URL = reverse("plans:detail")\n'
        'MODEL_AGAIN = apps.get_model("stocktakes", "Action")\n'
        'MINE = "priorities:detail"\n'
        'LOWER = "assessment.view_framework"\n'
    )
    assert [where.split(": ", 1)[1] for where in references_in_python(source, higher)] == [
        "'plans.Plan'",
        "'plans.change_plan'",
        "'plans:detail'",
        "get_model('stocktakes', ...)",
    ]
    template = (
        "<a href=\"{% url 'plans:detail' priority.slug %}\">Plan</a>\n"
        '{% has_perm "reviews.view_review" user review as can_see %}\n'
        "{% url 'priorities:detail' priority.slug %}\n"
        "{% load ratings plans %}\n"
    )
    assert references_in_template(template, higher) == [
        "line 1: 'plans:detail'",
        'line 2: "reviews.view_review"',
        "line 4: {% load ratings plans %}",
    ]
