"""
Files written by a real muxer, not by our builders: FFmpeg 5.1 (Debian 12)
with `-metadata AIGC='{"AIGC":{…}}'`, one 16×16 frame each:

    ffmpeg -f lavfi -i color=c=red:size=16x16:rate=1:duration=1 -frames:v 1 \\
        -c:v libx264 -metadata AIGC="$LABEL" -bitexact ffmpeg.mkv
    … -c:v libvpx … -f webm pipe:1 > ffmpeg-live.webm   (unseekable: unknown sizes)
    … -c:v flv1 … ffmpeg.flv

They pin what the builders cannot prove: that the walk agrees with how a
widely used writer lays out Matroska Tags and the FLV onMetaData object.
"""

from pathlib import Path

import pytest

from inspections.labels import check_path

from . import builders

REAL = Path(__file__).parent / "real"


@pytest.mark.parametrize(("name", "kind", "location"), [
    ("ffmpeg.mkv", "mkv", "matroska:Segment/Tags/Tag/SimpleTag:AIGC"),
    ("ffmpeg-live.webm", "webm", "matroska:Segment/Tags/Tag/SimpleTag:AIGC"),
    ("ffmpeg.flv", "flv", "flv:onMetaData:AIGC"),
])
def test_a_label_written_by_ffmpeg_is_read(name: str, kind: str, location: str) -> None:
    result = check_path(str(REAL / name))
    assert (result.verdict, result.format) == ("compliant", kind), (result.findings, result.reason)
    assert result.label == builders.label_fields()
    assert [site.location for site in result.sites] == [location]
