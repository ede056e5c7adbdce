"""
Files written by a real muxer, not by our builders: FFmpeg 5.1 (Debian 12)
with `-metadata AIGC='{"AIGC":{…}}'` and `-bitexact`, one 16×16 frame or
50 ms of sine each:

    ffmpeg -f lavfi -i color=c=red:size=16x16:rate=1:duration=1 -frames:v 1 \\
        -c:v libx264 -metadata AIGC="$LABEL" -bitexact ffmpeg.mkv
    … -c:v libvpx … -f webm pipe:1 > ffmpeg-live.webm   (unseekable: unknown sizes)
    … -c:v flv1 … ffmpeg.flv
    … -c:v libx264 … -movflags use_metadata_tags ffmpeg.mp4
    … (no -movflags) ffmpeg-without-use_metadata_tags.mp4
    ffmpeg -f lavfi -i sine=duration=0.05 -ar 8000 -metadata AIGC="$LABEL" \\
        -bitexact ffmpeg.mp3   (and ffmpeg.flac; -c:a libopus ffmpeg.opus)

They pin what the builders cannot prove: that each walk agrees with how a
widely used writer lays the label out.
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
    ("ffmpeg.mp4", "mp4", "moov/udta/meta/ilst/mdta:AIGC"),
    ("ffmpeg.mp3", "mp3", "id3:TXXX:AIGC"),
    ("ffmpeg.flac", "flac", "flac:VORBIS_COMMENT:AIGC"),
    ("ffmpeg.opus", "ogg", "ogg:opus:0:AIGC"),
])
def test_a_label_written_by_ffmpeg_is_read(name: str, kind: str, location: str) -> None:
    result = check_path(str(REAL / name))
    assert (result.verdict, result.format) == ("compliant", kind), (result.findings, result.reason)
    assert result.label == builders.label_fields()
    assert [site.location for site in result.sites] == [location]


def test_ffmpeg_drops_an_mp4_label_without_use_metadata_tags() -> None:
    # The trap the TC260 video guide warns about: the file has no label at all.
    result = check_path(str(REAL / "ffmpeg-without-use_metadata_tags.mp4"))
    assert (result.verdict, result.format, result.rules) == ("not_found", "mp4", ["IMP-01"])
