"""Layout rules: interp never imports tracejit or numba; generated docs are current."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_interp_imports_without_tracejit_or_numba():
    code = ("import sys, interp, interp.disasm, interp.verifier; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('tracejit', 'numba')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_interp_sources_never_import_tracejit_or_numba():
    offenders = []
    for dirpath, _, files in os.walk(os.path.join(ROOT, "interp")):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8") as f:
                    for lineno, line in enumerate(f, 1):
                        words = line.split()
                        if words[:1] in (["import"], ["from"]) and len(words) > 1 \
                                and words[1].split(".")[0] in ("tracejit", "numba"):
                            offenders.append(f"{path}:{lineno}")
    assert offenders == []


def test_bytecode_doc_is_current():
    from interp.disasm import opcode_reference
    with open(os.path.join(ROOT, "docs", "bytecode.md"), encoding="utf-8") as f:
        assert f.read() == opcode_reference(), "regenerate: python -m interp.disasm --reference > docs/bytecode.md"


def test_ci_runs_the_readme_test_command():
    """.ci/run may install system packages first; its last line is README's test command."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    with open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8") as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    assert "pytest" in lines[-1] and lines[-1] in readme
    assert not any("pytest" in line for line in lines[:-1])


def test_ci_requires_the_browser_for_the_report_test():
    with open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8") as f:
        script = f.read()
    assert "apt-get install -y -qq chromium chromium-driver" in script
    assert "export TRACEJIT_REQUIRE_BROWSER=1" in script


def test_every_opcode_is_documented_and_handled():
    from interp.templates import TEMPLATES
    from interp.opcodes import OPCODES, OPERAND_KINDS, EFFECTS
    assert len(TEMPLATES) == len(OPCODES)
    for info in OPCODES:
        assert info.doc and info.effect in EFFECTS
        assert all(kind in OPERAND_KINDS for kind in info.operands)
