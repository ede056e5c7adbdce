import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.labels import builders


def _labelled_png(tmp_path):
    path = tmp_path / "a.png"
    path.write_bytes(builders.png_bytes(builders.text_chunk("AIGC", builders.label_json(wrapped=True))))
    return path


def test_it_prints_one_json_object_per_file(tmp_path, capsys):
    _labelled_png(tmp_path)
    (tmp_path / "plain.txt").write_text("no label here")
    call_command("checklabels", str(tmp_path), json=True)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 2
    for line in lines:
        assert set(line) == {
            "path", "format", "verdict", "label", "sites", "findings", "elapsed_ms"
        }
    by_name = {line["path"].rsplit("/", 1)[-1]: line for line in lines}
    assert by_name["a.png"]["verdict"] == "compliant"


def test_it_exits_2_on_usage_errors_from_the_shell(settings):
    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "checklabels"],
        capture_output=True, text=True,
    )
    assert result.returncode == 2, result.stderr
    assert "PATH" in result.stderr


def test_call_command_raises_on_usage_error():
    with pytest.raises(CommandError):
        call_command("checklabels")
