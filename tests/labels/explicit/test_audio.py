"""The 短长短短 rhythm (Morse "AI") in audio, EXP-06, speech left to the inspector."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspections.labels.explicit import check_explicit

from . import media

SECONDS = 12


def background():
    return media.noise(SECONDS, amplitude=0.01)


@pytest.mark.parametrize(("at", "where", "options"), [
    (0.3, "start", {}),
    (6.0, "middle", {"frequency": 440.0}),
    (10.5, "end", {"frequency": 2800.0}),
    (6.0, "middle", {"unit": 0.05}),  # faster
    (6.0, "middle", {"unit": 0.14, "frequency": 700.0}),  # slower and lower
])
def test_the_rhythm_is_found_at_start_middle_end_any_pitch_and_speed(at, where, options) -> None:
    samples = media.place(background(), media.morse(media.AI_RHYTHM, **options), at)
    result = check_explicit(media.wav(samples))
    assert result.status == "found", result.details
    assert result.findings == []
    mark = result.marks[0]
    assert (mark.kind, mark.where) == ("rhythm", where)
    assert mark.start_s == pytest.approx(at, abs=0.05)
    assert [item.name for item in result.evidence] == ["waveform.png", "rhythm.wav"]


@pytest.mark.parametrize("bed", ["music", "speech"])
def test_the_rhythm_is_found_over_music_or_speech(bed) -> None:
    around = (media.music(SECONDS) if bed == "music" else media.speech_like(SECONDS)) + background()
    samples = media.place(around, media.morse(media.AI_RHYTHM, frequency=1500, amplitude=0.6), 5)
    result = check_explicit(media.wav(samples))
    assert result.status == "found"
    assert result.marks[0].kind == "rhythm"


@pytest.mark.parametrize("pattern", [
    "−·",  # N
    "··−",  # U
    "··−·",  # F: short short long short
    "−··",  # D
    "·− ···",  # A S: one short tone too many
    "·· ·−",  # I A: the letters the wrong way round
    "· · · · · ·",  # steady short beeps
    "− − − −",  # steady long beeps
])
def test_near_misses_are_rejected(pattern) -> None:
    result = check_explicit(media.wav(media.place(background(), media.morse(pattern), 4)))
    assert result.status == "missing"
    assert result.rules == ["EXP-06"]


def test_music_alone_fails_exp06() -> None:
    result = check_explicit(media.wav(media.music(SECONDS) + background()))
    assert result.status == "missing"
    assert result.rules == ["EXP-06"]


def test_speech_is_left_to_the_inspector_with_an_excerpt() -> None:
    samples = media.place(background(), media.speech_like(4), 0.2)
    result = check_explicit(media.wav(samples))
    assert result.status == "inconclusive"
    assert "voice prompt" in result.reason
    assert result.findings == []
    assert result.marks[0].kind == "voice" and result.marks[0].where == "start"
    excerpt = next(item for item in result.evidence if item.name == "speech-start.wav")
    assert excerpt.data.startswith(b"RIFF") and len(excerpt.data) > 16000


@pytest.mark.parametrize(("codec", "suffix"), [
    ("mp3", "mp3"), ("flac", "flac"), ("libopus", "ogg"), ("aac", "m4a")])
def test_compressed_formats_are_decoded(tmp_path: Path, codec, suffix) -> None:
    samples = media.place(background(), media.morse(media.AI_RHYTHM), 2)
    path = media.encode_audio(samples, tmp_path / f"a.{suffix}", codec=codec)
    result = check_explicit(path)
    assert result.modality == "audio"
    assert result.status == "found", (result.reason, result.details)


def test_the_audio_of_a_video_is_checked_when_the_sample_is_audio(tmp_path: Path) -> None:
    samples = media.place(media.noise(3, amplitude=0.01), media.morse(media.AI_RHYTHM), 1)
    path = media.encode_video(tmp_path / "v.mp4", seconds=3, size=(320, 180), audio=samples)
    result = check_explicit(path, modality="audio")
    assert result.status == "found", (result.reason, result.details)
    silent = media.encode_video(tmp_path / "s.mp4", seconds=1, size=(320, 180))
    assert check_explicit(silent, modality="audio").status == "not_applicable"


@pytest.mark.parametrize("data", [
    b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\xff" * 40,  # a broken header
    b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 500,  # a tag and no frames
    b"OggS" + b"\x00" * 300,
])
def test_hostile_audio_ends_inconclusive(data: bytes) -> None:
    result = check_explicit(data, budget_s=5)
    assert result.status == "inconclusive"
    assert result.reason
    assert result.findings == []
