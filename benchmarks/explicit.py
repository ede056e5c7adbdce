"""Benchmark the explicit-label checker on one core, in one process.

Generate labelled and unlabelled images (1280x720 and 1920x1080, PNG and
JPEG), 10-second 720p videos (H.264 MP4: a label from the opening frame to
the end, a label shown 1.5 s, no label) and 30-second audio (WAV and MP3,
with and without the 短长短短 rhythm), check each once with
``check_explicit`` after a warm-up (the OCR models load once per process),
and print::

    explicit N files, image median M ms, video median V ms, audio median A ms

then the medians per kind of file and where the time goes (OCR detection
and recognition, frame and audio decoding, pixel measurements, evidence
encoding), measured with cProfile's cumulative times. A calibration line
first says how fast this machine is (a fixed numpy FFT workload), since
figures move with the machine.

Usage: python benchmarks/explicit.py [--images 8] [--videos 1] [--audio 2] [--keep]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from inspections.labels.explicit import check_explicit  # noqa: E402
from tests.labels.explicit import media  # noqa: E402

# Functions whose cumulative time says where the time goes.
STAGES = {
    "OCR (detection + recognition)": ("ocr.py", "read_lines"),
    "OCR re-read of small lines": ("ocr.py", "reread"),
    "glyph height and contrast": ("image.py", "measure"),
    "evidence PNGs": ("image.py", ("png_bytes", "overview_png")),
    "image decoding": ("image.py", "decode_image"),
    "video frame decoding": ("video.py", "next"),
    "video frame conversion": ("video.py", ("_rgb", "_gray")),
    "label comparison on frames": ("video.py", "present_in"),
    "audio decoding": ("audio.py", "decode_audio"),
    "audio spectra and tones": ("audio.py", ("_spectrogram", "find_tones", "match_rhythm")),
    "speech detection": ("audio.py", "speech_spans"),
    "waveform and excerpts": ("audio.py", ("waveform_png", "wav_bytes")),
}


def one_core() -> str:
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        return "pinned to one core"
    except (AttributeError, OSError):
        return "not pinned (no sched_setaffinity)"


def calibrate() -> float:
    """Milliseconds for a fixed numpy workload (100 spectra of 30 s at 16 kHz in 512-sample frames)."""
    import numpy as np

    rng = np.random.default_rng(0)
    frames = rng.standard_normal((3000, 512)).astype(np.float32)
    started = time.perf_counter()
    for _ in range(20):
        np.fft.rfft(frames, axis=1)
    return (time.perf_counter() - started) * 1000


def corpus(folder: Path, images: int, videos: int, audio: int) -> list[tuple[str, Path]]:
    files: list[tuple[str, Path]] = []
    for index in range(images):
        for width, height in ((1280, 720), (1920, 1080)):
            labelled = index % 2 == 0
            picture = media.label_image(
                width, height, text="AI生成" if labelled else None,
                ratio=(0.045, 0.06)[index % 4 // 2],
                corner=("bottom-right", "top-left", "bottom-left", "top-right")[index % 4])
            data = media.jpeg(picture) if index % 3 == 0 else media.png(picture)
            suffix = "jpg" if index % 3 == 0 else "png"
            path = folder / f"image-{width}-{index}.{suffix}"
            path.write_bytes(data)
            files.append((f"image {width}x{height} {'labelled' if labelled else 'unlabelled'}", path))
    for index in range(videos):
        for name, options in (("labelled", {"label_from": 0.0}),
                              ("shown 1.5 s", {"label_from": 0.0, "label_until": 1.5}),
                              ("unlabelled", {"label_from": None})):
            path = media.encode_video(folder / f"video-{index}-{name.replace(' ', '-')}.mp4",
                                      seconds=10.0, size=(1280, 720), **options)
            files.append((f"video 10 s 720p {name}", path))
    for index in range(audio):
        bed = media.noise(30, amplitude=0.01) + media.music(30, seed=index, amplitude=0.1)
        with_rhythm = media.place(bed, media.morse(media.AI_RHYTHM, frequency=1200), 12.0)
        for name, samples in (("rhythm", with_rhythm), ("no rhythm", bed)):
            wav = folder / f"audio-{index}-{name.replace(' ', '-')}.wav"
            wav.write_bytes(media.wav(samples))
            files.append((f"audio 30 s wav {name}", wav))
            mp3 = media.encode_audio(samples, folder / f"audio-{index}-{name.replace(' ', '-')}.mp3")
            files.append((f"audio 30 s mp3 {name}", mp3))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=8, help="images per size")
    parser.add_argument("--videos", type=int, default=1, help="sets of three 10 s videos")
    parser.add_argument("--audio", type=int, default=2, help="sets of 30 s audio (4 files each)")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus")
    options = parser.parse_args()
    pinned = one_core()
    print(f"calibration: numpy FFT workload {calibrate():.0f} ms ({pinned})")
    folder = Path(tempfile.mkdtemp(prefix="explicit-bench-"))
    try:
        files = corpus(folder, options.images, options.videos, options.audio)
        # Warm-up: load the OCR models and PyAV once, as a running worker has.
        warm = time.perf_counter()
        check_explicit(files[0][1])
        print(f"warm-up (OCR models loaded once per process): {(time.perf_counter() - warm) * 1000:.0f} ms")
        timings: dict[str, list[float]] = {}
        statuses: dict[str, list[str]] = {}
        profile = cProfile.Profile()
        for kind, path in files:
            profile.enable()
            started = time.perf_counter()
            result = check_explicit(path)
            elapsed = (time.perf_counter() - started) * 1000
            profile.disable()
            timings.setdefault(kind, []).append(elapsed)
            statuses.setdefault(kind, []).append(f"{result.status}{'/' + ','.join(result.rules) if result.rules else ''}")
        by_modality: dict[str, list[float]] = {}
        for kind, values in timings.items():
            by_modality.setdefault(kind.split()[0], []).extend(values)
        total = sum(len(v) for v in timings.values())
        print(f"explicit {total} files, "
              f"image median {statistics.median(by_modality.get('image', [0])):.0f} ms, "
              f"video median {statistics.median(by_modality.get('video', [0])):.0f} ms, "
              f"audio median {statistics.median(by_modality.get('audio', [0])):.0f} ms")
        for kind, values in timings.items():
            print(f"  {kind:<34} n={len(values):<3} median {statistics.median(values):7.0f} ms"
                  f"  max {max(values):7.0f} ms  {sorted(set(statuses[kind]))}")
        stats = pstats.Stats(profile)
        spent = sum(sum(values) for values in timings.values()) / 1000
        print(f"where the time goes (cumulative, of {spent:.1f} s checking):")
        for stage, (module, names) in STAGES.items():
            names = (names,) if isinstance(names, str) else names
            seconds = sum(cumulative for (filename, _line, function), (_cc, _nc, _tt, cumulative, _callers)
                          in stats.stats.items()  # type: ignore[attr-defined]
                          if filename.endswith(f"explicit/{module}") and function in names)
            print(f"  {stage:<32} {seconds:6.2f} s  {seconds / spent * 100:5.1f} %")
        if options.keep:
            print(f"corpus kept in {folder}")
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
