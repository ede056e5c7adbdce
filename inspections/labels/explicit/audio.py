"""Explicit labels in audio (GB 45438 clause 5.3; rule EXP-06).

Audio carries a voice prompt or the rhythm 短长短短 (Morse "AI": ·− ··, a
long tone about three short ones) at the start, the end or in the middle.

The rhythm is found with signal processing, no model:

1. The audio (WAV, MP3, FLAC, Ogg/Opus, M4A, or the audio track of a video)
   is decoded with PyAV, mixed to mono at 16 kHz.
2. A spectrogram (32 ms Hann windows every 10 ms) gives, for each frame,
   its strongest frequency and how much of the frame's energy lies there.
   The pitches that dominate many frames are candidate tone pitches.
3. For each candidate pitch, a tone is "on" where the narrow band around it
   holds most of the energy and stands well above that band's usual
   level: this gives tone segments (onset, duration), whatever the pitch.
4. Four consecutive segments of one pitch match 短长短短 when the first,
   third and fourth are alike, the second is 1.8 to 4.5 times as long,
   the gaps are between half a unit and five units, their loudness is
   alike, and no tone of that pitch follows or precedes within four units
   (so "·−···" or a run of steady beeps is no match). The unit comes from
   the tones themselves, so a faster or slower rhythm at any pitch is
   found; music and speech around it do not mask a clearly audible tone.

No speech recogniser ships inside a registry package, so a voice prompt
cannot be read: speech (voiced, pitch-varying sound broken into syllables)
is reported ``inconclusive`` with an excerpt for the inspector to hear.
With neither the rhythm nor speech, the audio fails EXP-06.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from typing import Any

from ..result import Finding
from ..source import Inconclusive
from .result import (
    AUDIO,
    FOUND,
    INCONCLUSIVE,
    MISSING,
    NOT_APPLICABLE,
    EvidenceFile,
    ExplicitResult,
    Mark,
)

RATE = 16000
WINDOW = 512
HOP = 160
MAX_SECONDS = 20 * 60
EDGE_SECONDS = 8.0
LONG_RATIO = (1.8, 4.5)
SHORT_SPREAD = 1.8
MIN_TONE_S, MAX_TONE_S = 0.02, 0.45


@dataclass
class Tone:
    start: float
    end: float
    level: float

    @property
    def duration(self) -> float:
        return self.end - self.start


def decode_audio(source: Any, *, deadline: float) -> tuple[Any, float, bool]:
    """Mono float32 samples at 16 kHz, the full duration (s), and whether all was read."""
    import av
    import numpy as np

    handle = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else str(source)
    try:
        container = av.open(handle, mode="r", timeout=5.0)
    except (av.FFmpegError, ValueError, OSError) as error:
        raise Inconclusive(f"the audio cannot be opened: {error}"[:200]) from error
    with container:
        streams = container.streams.audio
        if not streams:
            raise _NoAudio()
        stream = streams[0]
        stream.codec_context.thread_type = "SLICE"
        duration = float(stream.duration * stream.time_base) if stream.duration and stream.time_base \
            else (container.duration / 1_000_000 if container.duration else 0.0)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        chunks: list[Any] = []
        total = 0
        complete = True
        try:
            for frame in container.decode(stream):
                if time.monotonic() > deadline:
                    raise Inconclusive("time budget exceeded while decoding the audio")
                for out in resampler.resample(frame):
                    array = out.to_ndarray().reshape(-1)
                    chunks.append(array)
                    total += len(array)
                if total >= MAX_SECONDS * RATE:
                    complete = False
                    break
            if complete:
                for out in resampler.resample(None):
                    chunks.append(out.to_ndarray().reshape(-1))
        except av.FFmpegError as error:
            if not chunks:
                raise Inconclusive(f"the audio cannot be decoded: {error}"[:200]) from error
            complete = False
    samples = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    if not len(samples):
        raise Inconclusive("no audio could be decoded")
    return samples, max(duration, len(samples) / RATE), complete


class _NoAudio(Exception):
    """The container has no audio stream."""


def _spectrogram(samples: Any) -> Any:
    import numpy as np

    if len(samples) < WINDOW:
        samples = np.pad(samples, (0, WINDOW - len(samples)))
    count = 1 + (len(samples) - WINDOW) // HOP
    frames = np.lib.stride_tricks.as_strided(
        samples, shape=(count, WINDOW), strides=(samples.strides[0] * HOP, samples.strides[0]))
    spectrum = np.fft.rfft(frames * np.hanning(WINDOW).astype(np.float32), axis=1)
    return (spectrum.real ** 2 + spectrum.imag ** 2).astype(np.float32)


def _bin(frequency: float) -> int:
    return int(round(frequency * WINDOW / RATE))


def _runs(mask: Any) -> list[tuple[int, int]]:
    import numpy as np

    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def find_tones(power: Any) -> dict[int, list[Tone]]:
    """Tone segments per dominant pitch bin."""
    import numpy as np

    low, high = _bin(150), _bin(5000)
    band = power[:, _bin(80) : _bin(7000)].sum(axis=1) + 1e-12
    peaks = low + np.argmax(power[:, low:high], axis=1)
    rows = np.arange(len(power))
    around = sum(power[rows, np.clip(peaks + d, 0, power.shape[1] - 1)] for d in (-2, -1, 0, 1, 2))
    tonal = (around / band > 0.5) & (around > 1e-6 * (band.max() or 1))
    counts = np.bincount(peaks[tonal], minlength=power.shape[1])
    # Merge neighbours: a tone between two bins splits its frames.
    merged = counts + np.roll(counts, 1) + np.roll(counts, -1)
    candidates: list[int] = []
    for index in np.argsort(merged)[::-1]:
        if merged[index] < 3 or len(candidates) >= 8:
            break
        if all(abs(int(index) - other) > 2 for other in candidates):
            candidates.append(int(index))
    tones: dict[int, list[Tone]] = {}
    frame_s = HOP / RATE
    for centre in candidates:
        energy = power[:, max(0, centre - 2) : centre + 3].sum(axis=1)
        floor = max(float(np.median(energy)), 1e-9)
        active = (energy / band > 0.5) & (energy > 10 * floor) & (energy > 1e-4 * energy.max())
        # Close one-frame dropouts.
        active[1:-1] |= active[:-2] & active[2:]
        found = []
        for first, last in _runs(active):
            # A frame is "on" while the tone fills about half of its window.
            duration = (last - first + 1) * frame_s - 0.5 * WINDOW / RATE + frame_s
            if duration < MIN_TONE_S * 0.75:
                continue
            start = first * frame_s + 0.5 * WINDOW / RATE - frame_s / 2
            found.append(Tone(start, start + duration, float(np.median(energy[first : last + 1]))))
        if found:
            tones[centre] = found
    return tones


def match_rhythm(tones: list[Tone]) -> list[tuple[Tone, Tone, Tone, Tone]]:
    """Every 短长短短 group among one pitch's tones."""
    groups = []
    for index in range(len(tones) - 3):
        a, b, c, d = tones[index : index + 4]
        shorts = [a.duration, c.duration, d.duration]
        short = sum(shorts) / 3
        if not (MIN_TONE_S <= min(shorts) and max(shorts) <= MAX_TONE_S):
            continue
        if max(shorts) / max(min(shorts), 1e-6) > SHORT_SPREAD:
            continue
        if not LONG_RATIO[0] <= b.duration / short <= LONG_RATIO[1]:
            continue
        unit = (short + b.duration / 3) / 2
        gaps = [b.start - a.end, c.start - b.end, d.start - c.end]
        if not all(0.4 * unit <= gap <= 5 * unit for gap in gaps):
            continue
        levels = [tone.level for tone in (a, b, c, d)]
        if max(levels) > 6 * min(levels):
            continue
        before = tones[index - 1] if index > 0 else None
        after = tones[index + 4] if index + 4 < len(tones) else None
        if before is not None and a.start - before.end < 4 * unit:
            continue
        if after is not None and after.start - d.end < 4 * unit:
            continue
        groups.append((a, b, c, d))
    return groups


def speech_spans(samples: Any, power: Any) -> list[tuple[float, float]]:
    """Stretches (s) that sound like speech: voiced, gliding pitch, syllables."""
    import numpy as np

    frame_s = HOP / RATE
    band = power[:, _bin(80) : _bin(4000)].sum(axis=1)
    loud = band > max(float(np.percentile(band, 10)) * 10, 1e-6 * (band.max() or 1))
    # Voicing: the autocorrelation (from the power spectrum) peaks at a lag
    # of 2.5-12.5 ms (80-400 Hz).
    autocorrelation = np.fft.irfft(power, axis=1)[:, : WINDOW // 2]
    lag_low, lag_high = RATE // 400, RATE // 80
    peak_lag = lag_low + np.argmax(autocorrelation[:, lag_low:lag_high], axis=1)
    peak = autocorrelation[np.arange(len(power)), peak_lag] / (autocorrelation[:, 0] + 1e-12)
    voiced = loud & (peak > 0.35)
    pitch = RATE / peak_lag
    spans: list[tuple[float, float]] = []
    window = int(2.0 / frame_s)
    step = int(1.0 / frame_s)
    for start in range(0, max(1, len(power) - window + 1), step):
        part = voiced[start : start + window]
        share = part.mean() if len(part) else 0
        if not 0.25 <= share <= 0.9:
            continue
        switches: float = np.count_nonzero(part[1:] != part[:-1]) / 2 / (len(part) * frame_s)
        # Syllables glide in pitch; a musical note holds its pitch. The
        # drift is summed over small steps (octaves), so the jumps of an
        # octave error in the pitch estimate do not count.
        glides = []
        for first, last in _runs(part):
            if last - first >= 5:
                steps = np.diff(np.log2(pitch[start + first + 1 : start + last]))
                glides.append(abs(float(steps[np.abs(steps) < 0.15].sum())))
        glide = float(np.median(glides)) if glides else 0.0
        if switches >= 1.5 and glide >= 0.05:
            spans.append((start * frame_s, (start + window) * frame_s))
    merged: list[list[float]] = []
    for span_start, span_end in spans:
        if merged and span_start <= merged[-1][1]:
            merged[-1][1] = span_end
        else:
            merged.append([span_start, span_end])
    return [(a, b) for a, b in merged]


def _where(start: float, end: float, duration: float) -> str:
    """Start or end: within the first or last quarter, at most 8 s; else the middle."""
    edge = min(EDGE_SECONDS, duration / 4)
    if start < edge:
        return "start"
    if end > duration - edge:
        return "end"
    return "middle"


def wav_bytes(samples: Any) -> bytes:
    """16-bit mono WAV at 16 kHz."""
    import wave

    import numpy as np

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(RATE)
        handle.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def waveform_png(samples: Any, spans: list[tuple[float, float, bool]], *, width: int = 1000,
                 height: int = 160) -> bytes:
    """The waveform's envelope with spans shaded (green: rhythm, amber: speech)."""
    import numpy as np
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    seconds = len(samples) / RATE or 1
    for first, last, good in spans:
        x0, x1 = int(first / seconds * width), max(int(first / seconds * width) + 2,
                                                    int(last / seconds * width))
        draw.rectangle((x0, 0, x1, height), fill=(200, 240, 200) if good else (255, 230, 180))
    columns = np.array_split(np.abs(samples), width) if len(samples) >= width else [samples]
    peak = float(np.abs(samples).max()) or 1.0
    middle = height // 2
    for x, column in enumerate(columns):
        value = float(column.max()) / peak if len(column) else 0.0
        draw.line((x, middle - value * (middle - 4), x, middle + value * (middle - 4)),
                  fill=(40, 70, 140))
    draw.line((0, middle, width, middle), fill=(180, 180, 180))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


def _excerpt(samples: Any, start: float, end: float) -> Any:
    return samples[max(0, int(start * RATE)) : int(end * RATE)]


def analyse(samples: Any, duration: float, complete: bool) -> ExplicitResult:
    """Rhythm and speech in decoded samples (mono, 16 kHz)."""
    import numpy as np

    peak = float(np.abs(samples).max()) if len(samples) else 0.0
    if peak > 0:
        samples = samples / peak
    power = _spectrogram(samples)
    groups = []
    for pitch_bin, tones in find_tones(power).items():
        for group in match_rhythm(tones):
            groups.append((pitch_bin * RATE / WINDOW, group))
    groups.sort(key=lambda item: item[1][0].start)
    seconds = len(samples) / RATE
    details: dict[str, Any] = {"duration_s": round(duration, 3), "decoded_s": round(seconds, 3)}
    if groups:
        marks, spans = [], []
        for frequency, (a, b, _c, d) in groups[:10]:
            unit = (a.duration + b.duration / 3) / 2
            marks.append(Mark(kind="rhythm", text="·− ··", where=_where(a.start, d.end, seconds),
                              start_s=a.start, end_s=d.end))
            spans.append((a.start, d.end, True))
            details.setdefault("rhythms", []).append(
                {"pitch_hz": round(frequency), "unit_s": round(unit, 3),
                 "tones_s": [[round(t.start, 3), round(t.duration, 3)] for t in (a, b, _c, d)]})
        first_start, first_end = groups[0][1][0].start, groups[0][1][3].end  # marks[0]
        evidence = [
            EvidenceFile("waveform.png", "image/png", "the waveform with the rhythm marked",
                         waveform_png(samples, spans)),
            EvidenceFile("rhythm.wav", "audio/wav", f"the rhythm at {first_start:.2f} s",
                         wav_bytes(_excerpt(samples, first_start - 0.5, first_end + 0.5))),
        ]
        return ExplicitResult(AUDIO, FOUND, marks=marks, evidence=evidence, details=details)
    speech = speech_spans(samples, power)
    details["speech_s"] = [[round(a, 2), round(b, 2)] for a, b in speech[:20]]
    if speech:
        first_start, first_end = speech[0]
        last_start, last_end = speech[-1]
        marks = [Mark(kind="voice", text=None, where=_where(a, b, seconds), start_s=a, end_s=b)
                 for a, b in (speech[0], speech[-1])[: 1 if len(speech) == 1 else 2]]
        evidence = [
            EvidenceFile("waveform.png", "image/png", "the waveform with the speech marked",
                         waveform_png(samples, [(a, b, False) for a, b in speech])),
            EvidenceFile("speech-start.wav", "audio/wav",
                         f"speech from {first_start:.1f} s",
                         wav_bytes(_excerpt(samples, first_start,
                                            min(first_end, first_start + EDGE_SECONDS)))),
        ]
        if len(speech) > 1:
            evidence.append(EvidenceFile(
                "speech-end.wav", "audio/wav", f"speech until {last_end:.1f} s",
                wav_bytes(_excerpt(samples, max(last_start, last_end - EDGE_SECONDS), last_end))))
        return ExplicitResult(
            AUDIO, INCONCLUSIVE, marks=marks, evidence=evidence, details=details,
            reason="no 短长短短 rhythm; speech was heard: listen for a voice prompt "
                   "(no speech recogniser is installed)")
    waveform = EvidenceFile("waveform.png", "image/png", "the waveform",
                            waveform_png(samples, []))
    if not complete:
        return ExplicitResult(AUDIO, INCONCLUSIVE, evidence=[waveform], details=details,
                              reason=f"only the first {seconds / 60:.0f} minutes were checked")
    return ExplicitResult(
        AUDIO, MISSING, evidence=[waveform], details=details,
        findings=[Finding("EXP-06", "Neither the 短长短短 rhythm (·− ··) nor speech that could "
                                    "be a voice prompt was heard", "audio_no_label", {})])


def check_audio(source: Any, *, deadline: float) -> ExplicitResult:
    """Check an audio file, or the audio track of a video, for an audible label."""
    try:
        samples, duration, complete = decode_audio(source, deadline=deadline)
    except _NoAudio:
        return ExplicitResult(AUDIO, NOT_APPLICABLE, reason="the file has no audio track")
    if time.monotonic() > deadline:
        raise Inconclusive("time budget exceeded while decoding the audio")
    return analyse(samples, duration, complete)
